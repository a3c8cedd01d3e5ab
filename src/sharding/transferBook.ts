import { asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { type TransferRecord, TransferStatus } from "./transfers.js";

/**
 * The transfers in transit, in memory: what routing and timeouts need every block (is this transit
 * open, how much value is in flight through a corridor). Ended transfers live only in the database.
 */
export class TransferBook {
  private readonly openByTransit = new Map<string, TransferRecord>();
  private readonly inFlightByCorridor = new Map<string, bigint>();

  constructor(open: Iterable<TransferRecord>) {
    this.apply(open);
  }

  open(transitHex: string): TransferRecord | undefined {
    return this.openByTransit.get(transitHex);
  }

  /** Every open transfer, oldest departure first. */
  openTransfers(): TransferRecord[] {
    return [...this.openByTransit.values()];
  }

  inFlight(corridor: string): bigint {
    return this.inFlightByCorridor.get(corridor) ?? 0n;
  }

  /** Takes a committed block's transfer changes. */
  apply(records: Iterable<TransferRecord>): void {
    for (const record of records) {
      const hex = toHex(record.transitId);
      const corridor = asciiString(record.corridor);
      const before = this.openByTransit.get(hex);
      if (before !== undefined) this.addInFlight(corridor, -before.amount);
      if (record.status === TransferStatus.InTransit) {
        this.openByTransit.set(hex, record);
        this.addInFlight(corridor, record.amount);
      } else {
        this.openByTransit.delete(hex);
      }
    }
  }

  private addInFlight(corridor: string, amount: bigint): void {
    const total = (this.inFlightByCorridor.get(corridor) ?? 0n) + amount;
    if (total === 0n) this.inFlightByCorridor.delete(corridor);
    else this.inFlightByCorridor.set(corridor, total);
  }
}
