import type { Batch } from "../types/consensus.js";
import { toHex } from "../util/bytes.js";
import { type DecodedTx, decodeTx } from "../vm/tx/validity.js";
import type { TxSignatureCache } from "./signatureCache.js";
import type { TxPool } from "./txPool.js";

/**
 * Transactions held decoded at most, across batches: several seconds of peak load. Beyond it the
 * oldest batches are forgotten (a batch that never commits, orphaned or garbage-collected, goes so)
 * and decoded again if they ever commit.
 */
export const MAX_DECODED_TRANSACTIONS = 65_536;

/**
 * Decodes each batch's transactions once, when the batch is stored, and keeps them for the block
 * that commits it: an own batch's from the pool that admitted them, a peer's decoded on arrival
 * (and their signature checks started). Keyed by batch digest, which the committed sub-DAG names.
 */
export class BatchDecoder {
  private readonly batches = new Map<string, (DecodedTx | null)[]>();
  private held = 0;

  constructor(
    private readonly pool: TxPool,
    private readonly signatures: TxSignatureCache,
    private readonly capacity = MAX_DECODED_TRANSACTIONS,
  ) {}

  /** A batch was stored: an own one (sealed from pooled transactions) or a peer's. */
  stored(batch: Batch, digest: Uint8Array, own: boolean): void {
    const decoded = batch.transactions.map(
      (bytes) => (own ? this.pool.ofBytes(bytes) : undefined) ?? decodeTx(bytes),
    );
    if (!own) this.signatures.prefetch(decoded);
    const key = toHex(digest);
    if (this.batches.has(key)) return;
    this.batches.set(key, decoded);
    this.held += decoded.length;
    while (this.held > this.capacity) {
      const oldest = this.batches.entries().next().value;
      if (oldest === undefined) break;
      this.batches.delete(oldest[0]);
      this.held -= oldest[1].length;
    }
  }

  /** The decoded transactions of a committed batch, which leaves the cache; undefined if not held. */
  take(digest: Uint8Array): (DecodedTx | null)[] | undefined {
    const key = toHex(digest);
    const decoded = this.batches.get(key);
    if (decoded === undefined) return undefined;
    this.batches.delete(key);
    this.held -= decoded.length;
    return decoded;
  }
}
