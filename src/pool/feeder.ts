import { SubmitResult } from "../consensus/worker/worker.js";
import type { Batch, BatchRef } from "../types/consensus.js";
import { txHashOfBytes } from "../types/signing.js";
import { toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import type { Startable } from "../util/lifecycle.js";
import type { Logger } from "../util/logger.js";
import type { TxPool } from "./txPool.js";

/** How often pooled transactions whose turn has come move into the worker's batches. */
const POOL_PUMP_INTERVAL_MS = 5;
/** Bytes moved per pump: about two default batches, so a burst drains in a few pumps. */
const POOL_PUMP_BYTES = 1024 * 1024;

/** The part of consensus the feeder talks to: the worker's intake and its stored batches. */
export interface BatchWorker {
  submitTransaction(transaction: Uint8Array): SubmitResult;
  getBatches(refs: readonly BatchRef[]): Promise<(Batch | undefined)[]> | (Batch | undefined)[];
}

/**
 * Moves transactions from the pool into consensus and back: every few milliseconds the ones whose
 * nonce turn has come go to the worker (until it pushes back), and the transactions of own batches
 * that no leader committed (orphaned) return to the pool's release queue.
 */
export class PoolFeeder implements Startable {
  private timer: NodeJS.Timeout | undefined;

  /** `worker()`: the consensus now running (resync replaces it), or undefined while none runs. */
  constructor(
    private readonly pool: TxPool,
    private readonly worker: () => BatchWorker | undefined,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => this.pump(), POOL_PUMP_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Hands the transactions of orphaned own batches back to the pool's release queue. */
  async resubmitOrphaned(refs: BatchRef[]): Promise<void> {
    try {
      const batches = (await this.worker()?.getBatches(refs)) ?? [];
      const hashes = batches.flatMap((b) => b?.transactions.map((tx) => toHex(txHashOfBytes(tx))) ?? []);
      this.pool.unreleaseHashes(hashes);
      this.log.info("resubmitting transactions of orphaned batches", {
        batches: refs.length,
        transactions: hashes.length,
      });
    } catch (err) {
      // Stopping, or the batches are gone: the pool's release timeout still covers them.
      this.log.debug("cannot read orphaned batches", { error: errorMessage(err) });
    }
  }

  /** Moves transactions whose nonce turn has come into the worker; stops at the worker's back-pressure. */
  private pump(): void {
    const worker = this.worker();
    if (!worker) return;
    const ready = this.pool.takeReady(POOL_PUMP_BYTES);
    for (let i = 0; i < ready.length; i++) {
      if (worker.submitTransaction(ready[i]!.bytes) === SubmitResult.Busy) {
        this.pool.unrelease(ready.slice(i));
        return;
      }
    }
  }
}
