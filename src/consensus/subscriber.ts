import type { Batch, BatchRef } from "../types/consensus.js";
import { type DigestKey, digestKey } from "./digest.js";
import { ConsensusError, ConsensusErrorCode } from "./errors.js";
import type { CommittedSubDag } from "./linearizer.js";
import type { MaybePromise } from "./store/store.js";

/** A committed sub-DAG with the contents of its batches: what the executor runs (Narwhal's name). */
export interface ConsensusOutput {
  readonly subDag: CommittedSubDag;
  /** In `subDag.batches` order. */
  readonly batches: Batch[];
}

export interface SubscriberDeps {
  /** Reads batches this validator holds (undefined where it holds none). */
  read(refs: readonly BatchRef[]): MaybePromise<(Batch | undefined)[]>;
  /** Starts fetching batches it lacks from peers (the synchronizer); arrivals come to batchArrived. */
  fetch(wanted: { key: DigestKey; author: number }[]): void;
  /** Receives every output once, in commit order; a returned promise holds back the next one. */
  onOutput(output: ConsensusOutput): void | Promise<void>;
  /** The consumer threw or rejected: nothing more is delivered. */
  onFailure(err: unknown): void;
}

/** Batches a fetch waits for; `wake` is set once it waits for all of them to arrive. */
interface Watch {
  readonly pending: Set<DigestKey>;
  readonly wake: { resolve(): void; reject(err: unknown): void } | null;
}

/**
 * Turns committed sub-DAGs into consensus outputs, in commit order (Narwhal's executor
 * subscriber): it reads each sub-DAG's batches and, where this validator lacks some (it caught up
 * by certificate sync, which does not fetch batches), has the synchronizer fetch them and waits.
 * Nothing here waits on a promise it made itself: with a synchronous store an output goes out in
 * the call that committed it or stored its last batch, so the simulator stays deterministic.
 * Once stopped it delivers nothing new (the consumer gets the rest again through `deliverFrom`).
 */
export class Subscriber {
  private readonly queue: CommittedSubDag[] = [];
  /** An output is being prepared or consumed. */
  private busy = false;
  private pumping = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly watches = new Set<Watch>();
  private stopped = false;

  constructor(private readonly deps: SubscriberDeps) {}

  /** The next committed sub-DAG, in commit order. */
  push(subDag: CommittedSubDag): void {
    if (this.stopped) return;
    this.queue.push(subDag);
    this.pump();
  }

  /** A batch was stored: fetches waiting for it may go on. */
  batchArrived(key: DigestKey): void {
    if (this.watches.size === 0) return;
    for (const watch of [...this.watches]) {
      if (!watch.pending.delete(key) || watch.pending.size > 0 || watch.wake === null) continue;
      this.watches.delete(watch);
      watch.wake.resolve();
    }
  }

  /**
   * Calls `done` with the batches of `subDag` once all are at hand (in this call if they are and
   * the store answers synchronously), fetching missing ones from peers; calls `failed` with
   * ConsensusError Stopped if the subscriber stops while they are fetched, or with a read error.
   */
  fetchBatches(
    subDag: CommittedSubDag,
    done: (batches: Batch[]) => void,
    failed: (err: unknown) => void,
  ): void {
    if (this.stopped) {
      failed(stoppedError());
      return;
    }
    const found = this.deps.read(subDag.batches);
    if (!(found instanceof Promise)) {
      this.check(subDag, found, null, done, failed);
      return;
    }
    // Arrivals are noted from here on, so none slips in between the read and a wait.
    const watch: Watch = { pending: new Set(subDag.batches.map((b) => digestKey(b.digest))), wake: null };
    this.watches.add(watch);
    found.then(
      (batches) => {
        this.watches.delete(watch);
        this.check(subDag, batches, watch, done, failed);
      },
      (err: unknown) => {
        this.watches.delete(watch);
        failed(err);
      },
    );
  }

  /** Ends fetches (ConsensusError Stopped), delivers nothing new, resolves once the output in flight settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    const waiting = [...this.watches];
    this.watches.clear();
    for (const watch of waiting) watch.wake?.reject(stoppedError());
    if (this.busy) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.busy && !this.stopped && this.queue.length > 0) {
        const subDag = this.queue.shift()!;
        this.busy = true;
        this.fetchBatches(
          subDag,
          (batches) => this.output({ subDag, batches }),
          (err) => this.fail(err),
        );
      }
    } finally {
      this.pumping = false;
    }
  }

  private output(output: ConsensusOutput): void {
    let consumed: void | Promise<void>;
    try {
      consumed = this.deps.onOutput(output);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (consumed instanceof Promise)
      consumed.then(
        () => this.settle(),
        (err: unknown) => this.fail(err),
      );
    else this.settle();
  }

  /** The output in flight was consumed: the next may go. */
  private settle(): void {
    this.release();
    this.pump();
  }

  /** The output in flight could not be delivered: nothing after it is. */
  private fail(err: unknown): void {
    this.release();
    // Stopped on purpose: the output was given up, not failed.
    if (this.stopped) return;
    this.stopped = true;
    this.queue.length = 0;
    this.deps.onFailure(err);
  }

  private release(): void {
    this.busy = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** `found` was read for `subDag`; `watch` noted what arrived meanwhile (null after a synchronous read). */
  private check(
    subDag: CommittedSubDag,
    found: (Batch | undefined)[],
    watch: Watch | null,
    done: (batches: Batch[]) => void,
    failed: (err: unknown) => void,
  ): void {
    if (!found.includes(undefined)) {
      done(found as Batch[]);
      return;
    }
    const missing = new Set<DigestKey>();
    found.forEach((batch, i) => {
      const key = batch === undefined ? digestKey(subDag.batches[i]!.digest) : undefined;
      if (key !== undefined && (watch === null || watch.pending.has(key))) missing.add(key);
    });
    // What the read lacked arrived while it ran: read again.
    if (missing.size === 0) {
      this.fetchBatches(subDag, done, failed);
      return;
    }
    if (this.stopped) {
      failed(stoppedError());
      return;
    }
    const resolve = () => this.fetchBatches(subDag, done, failed);
    this.watches.add({ pending: missing, wake: { resolve, reject: failed } });
    this.deps.fetch(authorsOf(subDag, missing));
  }
}

/** Each of `keys` with the author of the first header that carries it. */
function authorsOf(
  subDag: CommittedSubDag,
  keys: ReadonlySet<DigestKey>,
): { key: DigestKey; author: number }[] {
  const left = new Set(keys);
  const wanted: { key: DigestKey; author: number }[] = [];
  for (const certificate of subDag.certificates) {
    for (const ref of certificate.header.payload) {
      const key = digestKey(ref.digest);
      if (left.delete(key)) wanted.push({ key, author: certificate.header.author });
    }
  }
  return wanted;
}

function stoppedError(): ConsensusError {
  return new ConsensusError(ConsensusErrorCode.Stopped, "consensus stopped while fetching committed batches");
}
