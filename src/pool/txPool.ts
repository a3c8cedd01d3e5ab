import { VerifyPriority } from "../crypto/verifyPool.js";
import type { PoolMetrics } from "../metrics/index.js";
import { txHashOfBytes } from "../types/signing.js";
import { type TransferPayload, TxKind } from "../types/transaction.js";
import { toHex } from "../util/bytes.js";
import {
  type AdmissionPolicy,
  checkTransaction,
  type DecodedTx,
  type EnvelopeRules,
} from "../vm/tx/validity.js";
import { rejectionOf, TxRejectCode, TxRejectedError } from "./errors.js";
import { type TxVerifier, verifyTxSignature } from "./signatureCache.js";

/** The committed account state the pool checks against. */
export interface AccountSource {
  /** The next nonce the chain will execute for the sender. */
  nextNonce(harbor: string, sender: Uint8Array): number;
  balance(harbor: string, sender: Uint8Array): bigint;
}

export interface TxPoolLimits {
  /** Transactions held at once; beyond it new ones are refused (PoolFull), never silently dropped. */
  maxTransactions: number;
  /** Encoded bytes held at once. */
  maxBytes: number;
  /** Transactions one (harbor, sender) may hold: one account cannot fill the pool. */
  maxPerSender: number;
  /** Nonces accepted beyond the next executable one (room for pipelined submission). */
  maxNonceGap: number;
  minFee: bigint;
  maxGasLimit: number;
  /** A released transaction not committed after this long is released again (its batch was lost). */
  rereleaseAfterMs: number;
  /**
   * The pool admits about this long of the chain's committed throughput: beyond it a transaction
   * would wait longer than this for a block, so it is refused at once (PoolFull) instead.
   */
  waitBudgetMs: number;
  /** Transactions always admitted whatever the throughput (a quiet chain, one just started or halted). */
  minAdmitted: number;
}

/** Every transaction pays something for its block space. */
export const MIN_FEE = 1n;

/**
 * Defaults: 100k transactions ≈ 5 s of the 20k tx/s a 2-core validator can verify; 256 MiB bounds
 * memory; 64 per sender and a gap of 64 allow pipelined submission without letting one key dominate.
 */
export const DEFAULT_TX_POOL_LIMITS: TxPoolLimits = {
  maxTransactions: 100_000,
  maxBytes: 256 * 1024 * 1024,
  maxPerSender: 64,
  maxNonceGap: 64,
  minFee: MIN_FEE,
  maxGasLimit: 10_000_000,
  rereleaseAfterMs: 10_000,
  waitBudgetMs: 3_000,
  minAdmitted: 4_096,
};

/** The committed throughput is measured over this window, in one-second steps. */
const THROUGHPUT_WINDOW_SECONDS = 5;

/** How often `takeReady` looks at every sender, for released transactions whose release expired. */
const EXPIRY_SCAN_INTERVAL_MS = 1_000;

/** A transaction a block executed, as the pool needs to know it. */
export interface ExecutedTxRef {
  hashHex: string;
  harbor: string;
  sender: Uint8Array;
}

export function senderKeyOf(harbor: string, sender: Uint8Array): string {
  return `${harbor}/${toHex(sender)}`;
}

/** A pooled transaction is decoded once, at admission; it reaches execution so. */
export interface PooledTx extends DecodedTx {
  senderKey: string;
  nonce: number;
  receivedAt: number;
  /** When it was handed to a batch; undefined while waiting for its nonce turn. */
  releasedAt: number | undefined;
  /** The most it can take from the sender's balance: its fee, plus the amount it transfers. */
  maxCost: bigint;
}

/**
 * Where accepted transactions are recorded so a restarted validator still has them: an accepted
 * transaction is never lost to a crash before it reaches a batch. `added` completes before the
 * client hears "accepted"; `removed` may be written lazily.
 */
export interface TxPoolJournal {
  added(hash: Uint8Array, bytes: Uint8Array): Promise<void>;
  removed(hash: Uint8Array): void;
}

export interface TxPoolOptions {
  chainId: string;
  harbors: readonly string[];
  accounts: AccountSource;
  limits?: Partial<TxPoolLimits>;
  journal?: TxPoolJournal | null;
  metrics?: PoolMetrics | null;
  /** Signature checks (a node passes its verification pool); default: node:crypto's asynchronous verify. */
  verifier?: TxVerifier;
  now?: () => number;
}

/**
 * The validator's transaction pool: admission checks (encoding, chain, harbor, fee, gas, nonce,
 * duplicates, signature — verified once, off the event loop), per-sender
 * nonce order, and bounded size. `takeReady` hands transactions whose nonce turn has come to the
 * worker's batch maker; `removeCommitted` forgets them once a block executed them.
 */
export class TxPool {
  private readonly limits: TxPoolLimits;
  private readonly byHash = new Map<string, PooledTx>();
  /** Weak: a committed transaction's entry goes with its bytes, whoever still holds them. */
  private readonly byBytes = new WeakMap<Uint8Array, PooledTx>();
  /** Per `${harbor}/${senderHex}`: pooled transactions by nonce. */
  private readonly bySender = new Map<string, Map<number, PooledTx>>();
  /**
   * Senders that may have a transaction to release: `takeReady` looks at these only, since a look
   * costs a state read. A sender joins when a transaction arrives or is handed back, and every
   * sender joins at each expiry scan.
   */
  private readonly candidates = new Set<string>();
  private lastExpiryScan = 0;
  /** The stateless rules every transaction must meet here (see vm/tx/validity.ts). */
  private readonly rules: EnvelopeRules & AdmissionPolicy;
  private totalBytes = 0;
  private readonly now: () => number;
  private readonly verifier: TxVerifier;
  /** Transactions committed in each of the last seconds, by second (now / 1000, floored). */
  private readonly committedPerSecond = new Map<number, number>();

  constructor(private readonly options: TxPoolOptions) {
    this.limits = { ...DEFAULT_TX_POOL_LIMITS, ...options.limits };
    this.rules = {
      chainId: new Uint8Array(Buffer.from(options.chainId, "latin1")),
      harbors: new Set(options.harbors),
      minFee: this.limits.minFee,
      maxGasLimit: this.limits.maxGasLimit,
    };
    this.now = options.now ?? Date.now;
    this.verifier = options.verifier ?? verifyTxSignature;
  }

  get size(): number {
    return this.byHash.size;
  }

  get(hashHex: string): PooledTx | undefined {
    return this.byHash.get(hashHex);
  }

  /**
   * The pooled transaction whose encoding is this very array (the one `takeReady` handed out and
   * the worker put into its batch): found without hashing it again.
   */
  ofBytes(bytes: Uint8Array): PooledTx | undefined {
    return this.byBytes.get(bytes);
  }

  /**
   * Re-admits journaled transactions after a restart (signatures were checked when they were first
   * accepted). Ones the chain executed or passed meanwhile, or that no longer fit, are dropped.
   * Returns how many were restored.
   */
  restore(entries: Iterable<Uint8Array>): number {
    let restored = 0;
    for (const bytes of entries) {
      try {
        // Accepted before the restart: only the hard bounds apply, not the throughput-based one.
        const checked = this.precheck(bytes, false);
        this.insert(checked);
        restored += 1;
      } catch {
        this.options.journal?.removed(txHashOfBytes(bytes));
      }
    }
    return restored;
  }

  /** The nonce the sender's next transaction should carry, counting the ones waiting here. */
  nextPendingNonce(harbor: string, sender: Uint8Array): number {
    const queue = this.bySender.get(senderKeyOf(harbor, sender));
    let nonce = this.options.accounts.nextNonce(harbor, sender);
    while (queue?.has(nonce)) nonce += 1;
    return nonce;
  }

  /** Admits an encoded signed transaction or throws a TxRejectedError saying why. */
  async add(bytes: Uint8Array): Promise<PooledTx> {
    this.options.metrics?.txReceived.inc();
    try {
      const checked = this.precheck(bytes, true);
      const { tx } = checked;
      const ok = await this.verifier(tx, bytes, VerifyPriority.Now);
      if (!ok)
        throw new TxRejectedError(
          TxRejectCode.BadSignature,
          "signature does not verify for the sender's key",
        );
      // Checks again after the await: another copy or the same nonce may have arrived meanwhile.
      this.checkAgainstPool(checked, true);
      this.insert(checked);
      try {
        await this.options.journal?.added(checked.hash, bytes);
      } catch (err) {
        this.delete(checked);
        throw err;
      }
      return checked;
    } catch (err) {
      if (err instanceof TxRejectedError) this.options.metrics?.txRejected.inc({ reason: err.code });
      throw err;
    }
  }

  private precheck(bytes: Uint8Array, admitting: boolean): PooledTx {
    const checked = checkTransaction(bytes, this.rules);
    if (!checked.ok) throw rejectionOf(checked.fault);
    const { tx, harbor, payload } = checked.value;
    const { body } = tx;
    const hash = txHashOfBytes(bytes);
    const transferred = body.kind === TxKind.Transfer ? (payload as TransferPayload).amount : 0n;
    const pooled: PooledTx = {
      hash,
      hashHex: toHex(hash),
      bytes,
      tx,
      harbor,
      senderKey: senderKeyOf(harbor, body.sender),
      nonce: body.nonce,
      receivedAt: this.now(),
      releasedAt: undefined,
      maxCost: body.fee + transferred,
    };
    this.checkAgainstPool(pooled, admitting);
    return pooled;
  }

  /** `admitting`: a new transaction from a client, held to the throughput-based bound too. */
  private checkAgainstPool(pooled: PooledTx, admitting: boolean): void {
    if (this.byHash.has(pooled.hashHex))
      throw new TxRejectedError(TxRejectCode.Duplicate, `transaction ${pooled.hashHex} is already pooled`);
    const next = this.options.accounts.nextNonce(pooled.harbor, pooled.tx.body.sender);
    if (pooled.nonce < next) {
      throw new TxRejectedError(
        TxRejectCode.NonceTooLow,
        `nonce ${pooled.nonce} was already used; the next nonce is ${next}`,
      );
    }
    if (pooled.nonce > next + this.limits.maxNonceGap) {
      throw new TxRejectedError(
        TxRejectCode.NonceTooHigh,
        `nonce ${pooled.nonce} is more than ${this.limits.maxNonceGap} ahead of the next nonce ${next}`,
      );
    }
    const queue = this.bySender.get(pooled.senderKey);
    if (queue?.has(pooled.nonce)) {
      throw new TxRejectedError(
        TxRejectCode.NonceInUse,
        `another transaction with nonce ${pooled.nonce} is already pooled`,
      );
    }
    this.checkFunded(pooled, queue);
    if ((queue?.size ?? 0) >= this.limits.maxPerSender) {
      throw new TxRejectedError(
        TxRejectCode.SenderLimit,
        `the sender already has ${this.limits.maxPerSender} pooled transactions`,
      );
    }
    if (
      this.byHash.size >= this.limits.maxTransactions ||
      this.totalBytes + pooled.bytes.length > this.limits.maxBytes
    ) {
      throw new TxRejectedError(TxRejectCode.PoolFull, "the transaction pool is full; retry shortly");
    }
    if (admitting && this.byHash.size >= this.admissionLimit()) {
      throw new TxRejectedError(
        TxRejectCode.PoolFull,
        `the pool holds ${this.byHash.size} transactions, ${this.limits.waitBudgetMs} ms of what the chain commits; retry shortly`,
      );
    }
  }

  /**
   * The sender's committed balance must cover this transaction and every other one it has pooled:
   * a transaction that could not pay its fee would take block space for free.
   */
  private checkFunded(pooled: PooledTx, queue: ReadonlyMap<number, PooledTx> | undefined): void {
    let committed = 0n;
    for (const other of queue?.values() ?? []) committed += other.maxCost;
    const balance = this.options.accounts.balance(pooled.harbor, pooled.tx.body.sender);
    if (balance < committed + pooled.maxCost) {
      const pending = committed > 0n ? ` after ${committed} for its ${queue?.size} pooled transactions` : "";
      throw new TxRejectedError(
        TxRejectCode.InsufficientBalance,
        `the sender's balance ${balance} cannot pay fee ${pooled.tx.body.fee} plus ${pooled.maxCost - pooled.tx.body.fee} transferred${pending}`,
      );
    }
  }

  private insert(pooled: PooledTx): void {
    let queue = this.bySender.get(pooled.senderKey);
    if (queue === undefined) {
      queue = new Map();
      this.bySender.set(pooled.senderKey, queue);
    }
    queue.set(pooled.nonce, pooled);
    this.candidates.add(pooled.senderKey);
    this.byHash.set(pooled.hashHex, pooled);
    this.byBytes.set(pooled.bytes, pooled);
    this.totalBytes += pooled.bytes.length;
    this.options.metrics?.poolSize.set(this.byHash.size);
  }

  /**
   * Transactions to put into batches now: per sender, consecutive nonces from the next executable
   * one, skipping those already released (unless their release timed out). At most `maxBytes`.
   */
  takeReady(maxBytes: number): PooledTx[] {
    const now = this.now();
    if (now - this.lastExpiryScan >= EXPIRY_SCAN_INTERVAL_MS) {
      this.lastExpiryScan = now;
      for (const key of this.bySender.keys()) this.candidates.add(key);
    }
    const out: PooledTx[] = [];
    let bytes = 0;
    for (const key of this.candidates) {
      const queue = this.bySender.get(key);
      const first = queue?.values().next().value;
      if (queue !== undefined && first !== undefined) {
        let nonce = this.options.accounts.nextNonce(first.harbor, first.tx.body.sender);
        for (let pooled = queue.get(nonce); pooled !== undefined; pooled = queue.get(++nonce)) {
          const expired =
            pooled.releasedAt !== undefined && now - pooled.releasedAt > this.limits.rereleaseAfterMs;
          if (pooled.releasedAt !== undefined && !expired) continue;
          // Out of room: the sender stays a candidate for the next call.
          if (bytes + pooled.bytes.length > maxBytes) return out;
          pooled.releasedAt = now;
          bytes += pooled.bytes.length;
          out.push(pooled);
        }
      }
      this.candidates.delete(key);
    }
    return out;
  }

  /** Gives back transactions `takeReady` handed out that could not be submitted (worker back-pressure). */
  unrelease(txs: readonly PooledTx[]): void {
    for (const pooled of txs) {
      pooled.releasedAt = undefined;
      this.candidates.add(pooled.senderKey);
    }
  }

  /** Makes pooled transactions (by hex hash) eligible for `takeReady` again: their block deferred them. */
  unreleaseHashes(hashes: Iterable<string>): void {
    for (const hashHex of hashes) {
      const pooled = this.byHash.get(hashHex);
      if (pooled !== undefined) {
        pooled.releasedAt = undefined;
        this.candidates.add(pooled.senderKey);
      }
    }
  }

  /**
   * Forgets executed transactions, and every pooled transaction of their senders whose nonce the
   * chain has now passed (the same nonce may have been used by a transaction sent elsewhere).
   */
  removeCommitted(executed: Iterable<ExecutedTxRef>): void {
    const touched = new Set<string>();
    let count = 0;
    for (const { hashHex, harbor, sender } of executed) {
      count += 1;
      const pooled = this.byHash.get(hashHex);
      if (pooled !== undefined) this.delete(pooled);
      touched.add(senderKeyOf(harbor, sender));
    }
    for (const key of touched) {
      const queue = this.bySender.get(key);
      const first = queue?.values().next().value;
      if (queue === undefined || first === undefined) continue;
      const next = this.options.accounts.nextNonce(first.harbor, first.tx.body.sender);
      for (const pooled of [...queue.values()]) if (pooled.nonce < next) this.delete(pooled);
    }
    this.countCommitted(count);
    this.options.metrics?.poolSize.set(this.byHash.size);
  }

  /**
   * How many transactions the pool admits now: the committed throughput times the wait budget, so
   * what it admits is committed within about that long; never below `minAdmitted`.
   */
  admissionLimit(): number {
    const second = Math.floor(this.now() / 1000);
    let committed = 0;
    // Whole seconds only: the current one is still filling.
    for (let s = second - THROUGHPUT_WINDOW_SECONDS; s < second; s++)
      committed += this.committedPerSecond.get(s) ?? 0;
    const perSecond = committed / THROUGHPUT_WINDOW_SECONDS;
    return Math.max(this.limits.minAdmitted, Math.round((perSecond * this.limits.waitBudgetMs) / 1000));
  }

  private countCommitted(count: number): void {
    const second = Math.floor(this.now() / 1000);
    this.committedPerSecond.set(second, (this.committedPerSecond.get(second) ?? 0) + count);
    for (const s of this.committedPerSecond.keys())
      if (s < second - THROUGHPUT_WINDOW_SECONDS) this.committedPerSecond.delete(s);
  }

  private delete(pooled: PooledTx): void {
    this.options.journal?.removed(pooled.hash);
    this.byHash.delete(pooled.hashHex);
    this.totalBytes -= pooled.bytes.length;
    const queue = this.bySender.get(pooled.senderKey);
    queue?.delete(pooled.nonce);
    if (queue?.size === 0) this.bySender.delete(pooled.senderKey);
  }
}
