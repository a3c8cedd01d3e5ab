import { verifyAsync } from "../crypto/ed25519.js";
import { VerifyPriority } from "../crypto/verifyPool.js";
import { txSigningMessageOfBytes } from "../types/signing.js";
import type { SignedTransaction } from "../types/transaction.js";
import type { DecodedTx } from "../vm/tx/validity.js";

/**
 * Results kept at most: a few seconds of peak load (each entry is a hash string and a promise,
 * about 200 bytes). Beyond it the oldest are forgotten and checked again if they ever commit.
 */
export const MAX_CACHED_SIGNATURES = 262_144;
/**
 * Early checks waiting or running at once: about two seconds of both cores. Peers' batches beyond it
 * are not checked early (a block checks what it commits), so a peer flooding batches cannot queue
 * unbounded work or memory here.
 */
export const MAX_EARLY_CHECKS_PENDING = 32_768;

/**
 * Checks the signature of `tx`, decoded from `encoded`; `priority` says whether anyone waits for
 * the answer yet.
 */
export type TxVerifier = (
  tx: SignedTransaction,
  encoded: Uint8Array,
  priority: VerifyPriority,
) => Promise<boolean>;

/** Whether the transaction's signature verifies under its sender's key, checked off the event loop. */
export function verifyTxSignature(tx: SignedTransaction, encoded: Uint8Array): Promise<boolean> {
  return verifyAsync(tx.body.sender, txSigningMessageOfBytes(encoded, tx.body), tx.signature);
}

/**
 * Signature checks of transactions seen in peers' batches, started before the batches commit so
 * the block that executes them rarely waits for a check: each transaction is verified once per
 * validator, and the result waits here for `Chain` to ask for it. Early checks queue behind the
 * checks someone waits for (see VerifyPriority), in arrival order, which is commit order.
 * A check that fails to run rejects: it never counts as a bad signature, which would make this
 * validator's block differ from its peers'.
 */
export class TxSignatureCache {
  private readonly entries = new Map<string, Promise<boolean>>();
  private earlyPending = 0;

  constructor(
    private readonly verifier: TxVerifier,
    /** Transactions this node already checked (its own pool's): never checked again. */
    private readonly alreadyVerified: (hashHex: string) => boolean = () => false,
    private readonly maxEntries = MAX_CACHED_SIGNATURES,
    private readonly maxEarlyPending = MAX_EARLY_CHECKS_PENDING,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Starts checks of a batch's (decoded) transactions. Undecodable ones (null) are left for the block to drop. */
  prefetch(transactions: readonly (DecodedTx | null)[]): void {
    for (const decoded of transactions) {
      if (this.earlyPending >= this.maxEarlyPending) return;
      if (decoded === null) continue;
      const { hashHex } = decoded;
      if (this.entries.has(hashHex) || this.alreadyVerified(hashHex)) continue;
      const result = this.verifier(decoded.tx, decoded.bytes, VerifyPriority.Early);
      this.earlyPending += 1;
      // A failed check (not a bad signature: a closed or broken pool) is reported to the block that
      // asks; until then it must not count as an unhandled rejection.
      result.then(
        () => (this.earlyPending -= 1),
        () => (this.earlyPending -= 1),
      );
      this.entries.set(hashHex, result);
      if (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
  }

  /** Whether the transaction's signature verifies: from the early check, or checked now. */
  check(hashHex: string, tx: SignedTransaction, encoded: Uint8Array): boolean | Promise<boolean> {
    if (this.alreadyVerified(hashHex)) return true;
    return this.entries.get(hashHex) ?? this.verifier(tx, encoded, VerifyPriority.Now);
  }

  /** Drops results no block will ask for again (their transactions executed). */
  forget(hashHexes: Iterable<string>): void {
    for (const hashHex of hashHexes) this.entries.delete(hashHex);
  }
}
