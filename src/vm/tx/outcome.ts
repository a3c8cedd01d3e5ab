import {
  type CorridorMessage,
  ExecutionOutcome,
  type LogEntry,
  type StorageMutation,
  type TensorUpdate,
} from "../../types/execution.js";
import { Fault, FaultCode } from "../errors.js";
import type { ExecutionResult } from "../execute.js";
import type { World } from "../state/world.js";
import type { GasMeter } from "./meter.js";

/** A native operation's result in the shape of an execution result, for one receipt builder. */
export function nativeResult(
  world: World,
  outcome: ExecutionOutcome,
  gasUsed: number,
  reason = "",
): ExecutionResult {
  const ok = outcome === ExecutionOutcome.Success;
  const effects = world.effects;
  return {
    outcome,
    gasUsed,
    pc: 0,
    reason,
    returnData: new Uint8Array(0),
    storageMutations: ok ? world.storageMutations() : ([] as StorageMutation[]),
    tensorUpdates: ok ? effects.tensorUpdates : ([] as TensorUpdate[]),
    logs: ok ? effects.logs : ([] as LogEntry[]),
    attestations: ok ? effects.attestations : [],
    messages: ok ? effects.messages : ([] as CorridorMessage[]),
  };
}

/**
 * Runs a native operation: a Fault becomes a failed result (out of gas charges the whole limit, other
 * faults what was used) and everything it wrote through the journal is rolled back.
 */
export function runNative(world: World, meter: GasMeter, body: () => ExecutionResult): ExecutionResult {
  const checkpoint = world.checkpoint();
  try {
    return body();
  } catch (err) {
    if (!(err instanceof Fault)) throw err;
    world.rollback(checkpoint);
    if (err.code === FaultCode.OutOfGas) {
      return nativeResult(world, ExecutionOutcome.OutOfGas, meter.limit, "out of gas");
    }
    return nativeResult(world, ExecutionOutcome.Revert, meter.used, err.message);
  }
}
