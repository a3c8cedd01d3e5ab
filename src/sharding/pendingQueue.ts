import type { WriteBatch } from "../state/db/index.js";
import type { CorridorMessage } from "../types/execution.js";
import type { CorridorLedgerStore, PendingEntry } from "./ledgerStore.js";

/** What one block does to the queue: the entries it keeps (held), appends and takes out. */
export interface PendingChange {
  next: PendingEntry[];
  added: PendingEntry[];
  removed: number[];
}

/**
 * The corridor messages waiting for delivery, in delivery order, one database entry each: a block
 * writes what it appends and deletes what it takes out, so its cost follows the block's messages,
 * not the length of the queue (a queue of departures held for a stopped corridor can be long).
 */
export class PendingQueue {
  private constructor(
    private entries: PendingEntry[],
    /** The position the next appended message takes: positions only grow, so order is append order. */
    private nextPosition: number,
  ) {}

  static async open(store: CorridorLedgerStore): Promise<PendingQueue> {
    const entries = await store.pending();
    return new PendingQueue(entries, (entries.at(-1)?.position ?? -1) + 1);
  }

  get messages(): CorridorMessage[] {
    return this.entries.map((e) => e.message);
  }

  /**
   * The queue after a block: `held` (messages of this queue, by identity, in queue order) stay
   * where they are, `appended` go to the end, everything else is taken out.
   */
  change(held: readonly CorridorMessage[], appended: readonly CorridorMessage[]): PendingChange {
    const keep = new Set(held);
    const next: PendingEntry[] = [];
    const removed: number[] = [];
    for (const entry of this.entries) {
      if (keep.has(entry.message)) next.push(entry);
      else removed.push(entry.position);
    }
    const added = appended.map((message, i) => ({ position: this.nextPosition + i, message }));
    return { next: [...next, ...added], added, removed };
  }

  write(store: CorridorLedgerStore, batch: WriteBatch, change: PendingChange): void {
    for (const position of change.removed) store.deletePending(batch, position);
    for (const entry of change.added) store.putPending(batch, entry);
  }

  /** Takes a change whose batch is in the database. */
  commit(change: PendingChange): void {
    this.entries = change.next;
    this.nextPosition += change.added.length;
  }
}
