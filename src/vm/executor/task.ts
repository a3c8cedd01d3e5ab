import type { RulePack } from "../../compliance/rulePack.js";
import { CorridorMessage, ExecutionReceipt, type WriteEntry } from "../../types/execution.js";
import { defaultProofRegistry } from "../precompiles/zk.js";
import type { SealedReceipt } from "../receipt.js";
import { type HarborSnapshot, snapshotReader } from "../state/reader.js";
import { World } from "../state/world.js";
import { applyTransaction } from "../tx/apply.js";
import type { HarborContext } from "../tx/context.js";
import { deliverMessage } from "../tx/deliver.js";
import type { DecodedTx } from "../tx/validity.js";

/**
 * One harbor's share of a block: everything needed to execute it, as structured-clonable data, so it
 * can run on any worker thread. Harbors share no state, which is why results never depend on the
 * pool size or on which thread ran which harbor.
 */
export interface HarborTask {
  chainId: string;
  /** Block time, unix milliseconds. */
  timestamp: number;
  harbor: string;
  jurisdiction: string;
  rulePack: RulePack;
  /** The harbor's state as of the block's start (hex state key -> SSZ value). */
  snapshot: HarborSnapshot;
  /** SSZ CorridorMessages addressed to this harbor, in corridor order: delivered first. */
  inbound: Uint8Array[];
  /** SSZ SignedTransactions for this harbor, in block order. */
  transactions: Uint8Array[];
  /**
   * The same transactions decoded (aligned with `transactions`), when the task runs in the thread
   * that decoded them; a task sent to a worker thread carries bytes only and decodes them there.
   */
  decoded?: readonly DecodedTx[];
  verifySignatures: boolean;
  /**
   * The chain's verdict on each corridor lifecycle transaction of the block (tx hash hex → "" when
   * the move is allowed, else why not): lifecycles are the sharding layer's, which plans them.
   */
  lifecycleVerdicts?: Readonly<Record<string, string>>;
}

/** What a harbor's execution produced. Receipts and messages are SSZ-encoded for cheap transfer. */
export interface HarborResult {
  harbor: string;
  /** Every state change, sorted by key; an empty value deletes the key. */
  writeSet: WriteEntry[];
  /** SSZ ExecutionReceipts: deliveries first, then one per transaction in block order. */
  receipts: Uint8Array[];
  receiptDigests: Uint8Array[];
  /** SSZ CorridorMessages for other harbors, in emission order. */
  outbound: Uint8Array[];
  gasUsed: number;
}

/** Executes a harbor task in the calling thread (the worker's body; also usable directly). */
export function executeHarbor(task: HarborTask): HarborResult {
  const world = new World(snapshotReader(task.snapshot));
  const ctx: HarborContext = {
    chainId: task.chainId,
    timestamp: task.timestamp,
    harbor: task.harbor,
    jurisdiction: task.jurisdiction,
    rulePack: task.rulePack,
    proofs: defaultProofRegistry(),
    verifySignatures: task.verifySignatures,
    lifecycleVerdicts: task.lifecycleVerdicts,
  };
  const sealed: SealedReceipt[] = [];
  for (const bytes of task.inbound)
    sealed.push(deliverMessage(world, ctx, CorridorMessage.deserialize(bytes)));
  task.transactions.forEach((bytes, i) => {
    sealed.push(applyTransaction(world, ctx, bytes, task.decoded?.[i]));
  });
  let gasUsed = 0;
  const outbound: Uint8Array[] = [];
  for (const s of sealed) {
    gasUsed += s.receipt.gasUsed;
    for (const m of s.outbound) outbound.push(CorridorMessage.serialize(m));
  }
  return {
    harbor: task.harbor,
    writeSet: world.writeSet(),
    receipts: sealed.map((s) => ExecutionReceipt.serialize(s.receipt)),
    // Plain Uint8Arrays (not Buffers), so results compare equal whichever thread produced them.
    receiptDigests: sealed.map((s) => new Uint8Array(s.digest)),
    outbound,
    gasUsed,
  };
}
