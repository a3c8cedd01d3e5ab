import {
  type CorridorMessage,
  ExecutionOutcome,
  type LogEntry,
  type StorageMutation,
  type TensorUpdate,
} from "../types/execution.js";
import type { ExecutionEnv } from "./env.js";
import { runFrame } from "./interpreter.js";
import type { AssetState } from "./state/world.js";
import { bytesToWord, wordToBytes } from "./word.js";

/** What one top-level execution did: the outcome and every effect a receipt records. */
export interface ExecutionResult {
  outcome: ExecutionOutcome;
  gasUsed: number;
  /** Byte offset of the instruction that ended a failed execution; 0 otherwise. */
  pc: number;
  reason: string;
  returnData: Uint8Array;
  storageMutations: StorageMutation[];
  tensorUpdates: TensorUpdate[];
  logs: LogEntry[];
  attestations: Uint8Array[];
  messages: CorridorMessage[];
}

/**
 * Calls `asset` as the outermost frame. Gas: out of gas charges the whole limit; revert charges what
 * was used; success charges what was used less the SDELETE refunds. The world must be in an
 * execution (`beginExecution`), which the caller also uses to collect earlier effects.
 */
export function executeAsset(
  env: ExecutionEnv,
  asset: AssetState,
  caller: Uint8Array,
  input: Uint8Array,
  gasLimit: number,
): ExecutionResult {
  const frame = runFrame(env, asset, caller, bytesToWord(caller), input, gasLimit, 0);
  const effects = env.world.effects;
  let gasUsed = gasLimit - frame.gasLeft;
  if (frame.outcome === ExecutionOutcome.Success) gasUsed -= Math.min(effects.refund, gasUsed);
  const ok = frame.outcome === ExecutionOutcome.Success;
  return {
    outcome: frame.outcome,
    gasUsed,
    pc: ok ? 0 : frame.pc,
    reason: frame.reason,
    returnData: frame.returnWord === undefined ? new Uint8Array(0) : wordToBytes(frame.returnWord),
    storageMutations: env.world.storageMutations(),
    tensorUpdates: effects.tensorUpdates,
    logs: effects.logs,
    attestations: effects.attestations,
    messages: effects.messages,
  };
}
