import type { WriteBatch } from "../state/db/index.js";
import type { CorridorReceipt } from "../types/corridor.js";
import type { CorridorMessage } from "../types/execution.js";
import type { CorridorBlock } from "./corridorBlock.js";
import { ShardingError, ShardingErrorCode } from "./errors.js";
import type { CorridorLedgerStore } from "./ledgerStore.js";
import { type LifecycleMove, type LifecycleRequest, planLifecycle } from "./lifecyclePlan.js";
import type { PendingChange, PendingQueue } from "./pendingQueue.js";
import { routeOutbound, scheduleInbound } from "./router.js";

/**
 * Corridor messages waiting for delivery at most: one block's answers and departures plus the
 * departures held back until their deadline. Departures past half of it are refused at once
 * (router.ts), so the answers to the ones in flight always fit.
 */
export const MAX_PENDING_MESSAGES = 1 << 20;

/**
 * One block's corridor work, in the order the chain runs it. At the start: which pending messages
 * the block delivers (`deliver`; the others are held) and the verdicts on its lifecycle
 * transactions (`verdicts`, for the VM). After execution, `finish`: the moves whose transactions
 * succeeded, then the routing of the harbors' outbound messages into the next pending list. Then
 * the header's corridorRoot, written into the block's batch and committed once that is stored.
 */
export class CorridorRound {
  readonly deliver: readonly CorridorMessage[];
  readonly verdicts: Readonly<Record<string, string>>;
  private readonly hold: readonly CorridorMessage[];
  private readonly moves: readonly LifecycleMove[];
  private change: PendingChange | undefined;

  constructor(
    private readonly block: CorridorBlock,
    private readonly queue: PendingQueue,
    private readonly store: CorridorLedgerStore,
    requests: readonly LifecycleRequest[],
    authorityOf: (harbor: string) => Uint8Array | undefined,
  ) {
    const { deliver, hold } = scheduleInbound(block, queue.messages);
    const { verdicts, moves } = planLifecycle(block, requests, authorityOf);
    this.deliver = deliver;
    this.hold = hold;
    this.verdicts = verdicts;
    this.moves = moves;
  }

  /**
   * Takes the block's execution: the lifecycle moves whose transactions succeeded (`succeeded` by
   * tx hash hex) take effect, then the harbors' outbound messages are routed.
   */
  finish(outbound: readonly CorridorMessage[], succeeded: (hashHex: string) => boolean): void {
    for (const move of this.moves) {
      if (succeeded(move.hashHex)) this.block.transition(move.corridor, move.to, move.by, move.evidence);
    }
    const capacity = MAX_PENDING_MESSAGES / 2 - this.hold.length;
    this.change = this.queue.change(this.hold, routeOutbound(this.block, outbound, capacity));
  }

  /** The header's corridorRoot: every corridor's MMR after this block. */
  root(): Uint8Array {
    return this.block.root();
  }

  /** Puts the corridors' changes and the pending queue's into the block's batch. */
  write(batch: WriteBatch): void {
    this.block.write(batch);
    this.queue.write(this.store, batch, this.finished());
  }

  /** Makes the block the ledger's state; call once the batch `write` filled is in the database. */
  commit(): void {
    this.block.commit();
    this.queue.commit(this.finished());
  }

  /** The corridor receipts this block appended, by corridor (metrics count them by kind). */
  appended(): { corridor: string; receipts: readonly CorridorReceipt[] }[] {
    return this.block.appended();
  }

  /** Drops the round (its batch was not written); harmless after commit. */
  discard(): void {
    this.block.discard();
  }

  private finished(): PendingChange {
    if (this.change === undefined) {
      throw new ShardingError(ShardingErrorCode.StageClosed, "a corridor round is written after finish()");
    }
    return this.change;
  }
}
