import { Piscina } from "piscina";
import { assertVerifyInputs } from "./ed25519.js";
import { CryptoError, CryptoErrorCode } from "./errors.js";
import { packVerifications, type VerifyItem } from "./verifyBatch.js";

/** Who waits for a check: a client or a block now, or nobody yet (a check started early). */
export enum VerifyPriority {
  Now = 0,
  Early = 1,
}

/** Worker threads: one per core of the 2-core machines validators are sized for. */
export const DEFAULT_VERIFY_THREADS = 2;
/**
 * Checks per task: the hop to a thread and back (tens of µs) is shared by many ~100 µs checks,
 * while one task stays near 5 ms so a check that is needed now never waits long behind early ones.
 */
export const MAX_CHECKS_PER_TASK = 48;
/** Tasks handed to each thread at once: the next one is queued there while the current one runs. */
const TASKS_PER_THREAD = 2;

interface Pending extends VerifyItem {
  resolve: (ok: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Ed25519 verification on a pool of worker threads, off the event loop. Checks are gathered over
 * one turn of the event loop and sent in packed batches; checks needed now go before early ones.
 * node:crypto's own asynchronous verify was the alternative: it costs 15-40 µs of event-loop time
 * per call to set up, and more CPU per check than the synchronous verify the threads run here.
 */
export class VerifyPool {
  private readonly pool: Piscina<Uint8Array, Uint8Array>;
  private readonly queues: [Pending[], Pending[]] = [[], []];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;

  constructor(private readonly threads = DEFAULT_VERIFY_THREADS) {
    this.pool = new Piscina({
      filename: new URL("./verifyWorker.cjs", import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
    });
    // Each thread loads the verifier module on its first task; do it now, not under the first load.
    for (let i = 0; i < threads; i++) this.pool.run(new Uint8Array(0)).catch(() => undefined);
  }

  /** Whether the signature verifies; throws a CryptoError for a key or signature of the wrong length. */
  verify(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    priority = VerifyPriority.Now,
  ): Promise<boolean> {
    try {
      assertVerifyInputs(publicKey, signature);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed)
      return Promise.reject(new CryptoError(CryptoErrorCode.PoolClosed, "verification pool is closed"));
    return new Promise((resolve, reject) => {
      this.queues[priority].push({ publicKey, message, signature, resolve, reject });
      this.schedule();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const abandoned = [...this.queues[0], ...this.queues[1]];
    this.queues[0] = [];
    this.queues[1] = [];
    for (const p of abandoned)
      p.reject(new CryptoError(CryptoErrorCode.PoolClosed, "verification pool is closed"));
    await this.pool.close({ force: true });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (!this.closed && this.inFlight < this.threads * TASKS_PER_THREAD) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight += 1;
      const packed = packVerifications(batch);
      this.pool
        .run(packed, { transferList: [packed.buffer as ArrayBuffer] })
        .then(
          (results) => {
            for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i] === 1);
          },
          (err) => {
            for (const p of batch) p.reject(err);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.dispatch();
        });
    }
  }

  /** The next task's checks: ones needed now first, then early ones. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    for (const queue of this.queues) {
      if (batch.length === MAX_CHECKS_PER_TASK) break;
      batch.push(...queue.splice(0, MAX_CHECKS_PER_TASK - batch.length));
    }
    return batch;
  }
}
