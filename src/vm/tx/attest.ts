import { isDomainIndex } from "../../compliance/domains.js";
import { isComplianceState } from "../../compliance/state.js";
import { ExecutionOutcome } from "../../types/execution.js";
import { asciiString } from "../../types/primitives.js";
import type { AttestPayload } from "../../types/transaction.js";
import type { ExecutionEnv } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import type { ExecutionResult } from "../execute.js";
import { GAS_TENSOR } from "../gas.js";
import { tensorSet } from "../precompiles/compliance.js";
import type { GasMeter } from "./meter.js";
import { nativeResult } from "./outcome.js";

/** Writes one tensor cell through the TENSOR_SET precompile (authorised attesters only). */
export function applyAttest(
  env: ExecutionEnv,
  meter: GasMeter,
  sender: Uint8Array,
  payload: AttestPayload,
): ExecutionResult {
  meter.charge(GAS_TENSOR);
  if (!isComplianceState(payload.state)) throw new Fault(FaultCode.InvalidArgument, "state must be 0..6");
  if (!isDomainIndex(payload.domain)) throw new Fault(FaultCode.InvalidArgument, "domain must be 0..19");
  let jurisdiction: string;
  try {
    jurisdiction = asciiString(payload.jurisdiction);
  } catch {
    throw new Fault(FaultCode.InvalidArgument, "jurisdiction is not ASCII");
  }
  tensorSet(
    env,
    sender,
    payload.subject,
    jurisdiction,
    payload.domain,
    payload.state,
    payload.expiresAt,
    payload.attestationRef,
  );
  return nativeResult(env.world, ExecutionOutcome.Success, meter.used);
}
