import { Fault, FaultCode } from "../errors.js";

/** Gas accounting for the native (non-interpreted) parts of a transaction. */
export class GasMeter {
  used = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  charge(gas: number): void {
    if (this.used + gas > this.limit) throw new Fault(FaultCode.OutOfGas, "");
    this.used += gas;
  }
}
