import {
  type CellReader,
  describeReading,
  evaluateRequirements,
  type Requirement,
} from "../../compliance/predicate.js";
import type { ExecutionEnv } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import { GAS_TENSOR } from "../gas.js";
import { tensorRead } from "../precompiles/compliance.js";
import type { GasMeter } from "./meter.js";

/**
 * A native transaction's cell reader, the TENSOR_GET precompile: each cell read is charged as
 * TENSOR_GET is, so a native check and a program read cells alike.
 */
export function meteredReader(env: ExecutionEnv, meter: GasMeter): CellReader {
  const reads = { readings: [], firstFailure: undefined };
  return (subject, jurisdiction, domain) => {
    meter.charge(GAS_TENSOR);
    return tensorRead(env, reads, subject, jurisdiction, domain);
  };
}

/** A native transaction's compliance check: a failing cell ends the transaction naming that cell. */
export function requireCompliance(
  env: ExecutionEnv,
  meter: GasMeter,
  requirements: readonly Requirement[],
): void {
  const result = evaluateRequirements(requirements, meteredReader(env, meter));
  if (result.failing !== undefined)
    throw new Fault(FaultCode.ComplianceFailed, describeReading(result.failing));
}
