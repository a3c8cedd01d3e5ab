import type { RulePack } from "../compliance/rulePack.js";
import { sha256 } from "../crypto/hash.js";
import { merkleRoot } from "../crypto/merkle.js";
import type { ChainMetrics } from "../metrics/index.js";
import { verifyTxSignature } from "../pool/signatureCache.js";
import type { ExecutedTxRef } from "../pool/txPool.js";
import { CorridorLedger, type CorridorRound, lifecycleRequests } from "../sharding/index.js";
import type { Database } from "../state/db/index.js";
import { StateStore } from "../state/stateStore.js";
import type { BlockHeader, ChainHead, StoredBlock } from "../types/block.js";
import {
  Account,
  CorridorMessage,
  ExecutionOutcome,
  ExecutionReceipt,
  TensorCell,
} from "../types/execution.js";
import { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { blockHash as hashBlock } from "../types/signing.js";
import {
  MigratePayload,
  type SignedTransaction,
  type TransactionBody,
  TransferPayload,
  TxKind,
} from "../types/transaction.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { executeBlock, type HarborRunner, inlineRunner } from "../vm/executor/block.js";
import { accountKey, tensorKey } from "../vm/state/keys.js";
import { type DecodedTx, decodeTx } from "../vm/tx/validity.js";
import { ChainStore } from "./chainStore.js";
import { CorridorMetricsFeed } from "./corridorMetrics.js";
import { ChainError, ChainErrorCode } from "./errors.js";

/** The most native value a transaction can take from its sender besides the fee. */
function nativeSpend(body: TransactionBody): bigint {
  try {
    if (body.kind === TxKind.Transfer) return TransferPayload.deserialize(body.payload).amount;
    if (body.kind === TxKind.Migrate) return MigratePayload.deserialize(body.payload).amount;
  } catch {
    // Malformed: the VM rejects it before it spends anything.
  }
  return 0n;
}

/**
 * A block executes on the worker pool when its second-busiest harbor has at least this many
 * transactions: harbors run in parallel there, and with less work beside the busiest harbor,
 * copying harbor state to the workers costs more than the parallelism gains.
 */
export const POOL_MIN_TXS = 256;

/** Byte offset of `outcome` in an encoded ExecutionReceipt: the fixed-size fields (or offsets) before it. */
const OUTCOME_OFFSET = (() => {
  let offset = 0;
  for (const [name, type] of Object.entries(ExecutionReceipt.fields)) {
    if (name === "outcome") return offset;
    offset += type.fixedSize ?? 4;
  }
  throw new Error("ExecutionReceipt has no outcome field");
})();

/** A receipt's outcome, read without decoding the whole receipt. */
export function receiptOutcome(receipt: Uint8Array): ExecutionOutcome {
  return receipt[OUTCOME_OFFSET]!;
}

/** One committed Bullshark leader with its causal history's transactions, in consensus order. */
export interface ExecutableSubDag {
  /** Position in the commit sequence, from 0. */
  commitIndex: number;
  leaderRound: number;
  leaderDigest: Uint8Array;
  /** The leader header's creation time, unix milliseconds. */
  leaderTime: number;
  /** Encoded signed transactions of the sub-DAG's batches, in order; may repeat and hold garbage. */
  transactions: Uint8Array[];
  /**
   * The same transactions as decoded on arrival, aligned with `transactions` (null: not a
   * transaction; undefined or absent: decoded here).
   */
  decoded?: readonly (DecodedTx | null | undefined)[];
  /** Block sync: the certified hash the block must have; on a mismatch nothing is written. */
  expectedHash?: Uint8Array;
}

export interface ExecutedBlock {
  header: BlockHeader;
  hash: Uint8Array;
  txHashes: Uint8Array[];
  executed: ExecutedTxRef[];
  /** Hashes (hex) of transactions left out for a nonce ahead of their sender's: to be submitted again. */
  deferred: string[];
  /** Transactions dropped before execution: repeats, undecodable, unknown harbor, bad signature, used nonce. */
  dropped: number;
  /** Where the time went: choosing and verifying, executing, building the block, writing it. */
  timings: { selectMs: number; executeMs: number; sealMs: number; writeMs: number };
}

export interface ChainOptions {
  db: Database;
  genesis: Genesis;
  rulePacks: ReadonlyMap<string, RulePack>;
  runner: HarborRunner;
  metrics?: ChainMetrics | null;
  /** Blocks whose second-busiest harbor has this many transactions use `runner`, others run inline (default POOL_MIN_TXS). */
  poolMinTxs?: number;
  /**
   * Whether a transaction's signature verifies; default: checked now, off the event loop. A node
   * answers from its pool and from checks started when the batch arrived (TxSignatureCache).
   */
  checkSignature?: (
    hashHex: string,
    tx: SignedTransaction,
    encoded: Uint8Array,
  ) => boolean | Promise<boolean>;
}

/**
 * The chain: turns each committed sub-DAG into the next block, executes it harbor-parallel, and
 * stores block, transactions, receipts, state and head in one atomic, durable write. Blocks follow
 * the commit sequence strictly; every committed leader yields a block, empty ones too.
 */
export class Chain {
  readonly genesisHash: Uint8Array;
  private head: ChainHead;
  private readonly harbors: { id: string; jurisdiction: string; rulePack: RulePack }[];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inline = inlineRunner();
  private readonly harborIds: Set<string>;
  /** Each harbor's authority key (genesis): it signs the harbor's corridor lifecycle moves. */
  private readonly authorities: ReadonlyMap<string, Uint8Array>;
  private readonly corridorMetrics: CorridorMetricsFeed | undefined;

  private constructor(
    private readonly options: ChainOptions,
    readonly store: ChainStore,
    readonly state: StateStore,
    /** Corridors, their receipt chains, the messages between harbors and the transfers in transit (src/sharding). */
    readonly corridors: CorridorLedger,
    head: ChainHead,
  ) {
    this.genesisHash = sha256(Genesis.serialize(options.genesis));
    this.head = head;
    this.harborIds = new Set(options.genesis.harbors.map((h) => asciiString(h.id)));
    this.authorities = new Map(options.genesis.harbors.map((h) => [asciiString(h.id), h.authority]));
    this.corridorMetrics = options.metrics
      ? new CorridorMetricsFeed(options.metrics.corridors, corridors)
      : undefined;
    this.harbors = options.genesis.harbors.map((h) => {
      const id = asciiString(h.id);
      const rulePack = options.rulePacks.get(id);
      if (rulePack === undefined) {
        throw new ChainError(ChainErrorCode.RulePackMismatch, `no rule pack for harbor ${id}`);
      }
      return { id, jurisdiction: asciiString(h.jurisdiction), rulePack };
    });
  }

  static async open(options: ChainOptions): Promise<Chain> {
    const { db, genesis } = options;
    const harborIds = genesis.harbors.map((h) => asciiString(h.id));
    const store = new ChainStore(db);
    const state = await StateStore.open(db, harborIds);
    const genesisHash = sha256(Genesis.serialize(genesis));
    let head = await store.head();
    if (head === undefined) {
      if (!state.isEmpty) {
        throw new ChainError(ChainErrorCode.GenesisMismatch, "the database holds state but no chain head");
      }
      // Height 0 is genesis: its hash is the genesis hash, its state the funded accounts.
      head = { height: 0, blockHash: genesisHash, timestamp: genesis.genesisTime, commitIndex: 0 };
      const batch = db.batch();
      for (const account of genesis.accounts) {
        const value = Account.serialize({ balance: account.balance, nonce: 0 });
        const key = Buffer.from(accountKey(account.address), "hex");
        state.apply(batch, asciiString(account.harbor), [{ key, value }]);
      }
      for (const cell of genesis.cells) {
        const harbor = genesis.harbors.find((h) => bytesEqual(h.id, cell.harbor))!;
        const key = Buffer.from(
          tensorKey(cell.subject, asciiString(harbor.jurisdiction), cell.domain),
          "hex",
        );
        const value = TensorCell.serialize({
          state: cell.state,
          attestationRef: genesisHash,
          evaluatedAt: genesis.genesisTime,
          expiresAt: 0,
          // Genesis cells have no attester: the zero key marks them as set by genesis itself.
          attester: new Uint8Array(32),
        });
        state.apply(batch, asciiString(cell.harbor), [{ key, value }]);
      }
      store.putHead(batch, head);
      await batch.write({ sync: true });
    }
    const genesisOfDb =
      head.height === 0 ? head.blockHash : (await store.blockByHeight(1))?.header.parentHash;
    if (genesisOfDb === undefined || toHex(genesisOfDb) !== toHex(genesisHash)) {
      throw new ChainError(
        ChainErrorCode.GenesisMismatch,
        "this database belongs to another genesis; use another home or remove its database",
      );
    }
    const corridors = await CorridorLedger.open(db, genesis);
    return new Chain(options, store, state, corridors, head);
  }

  get height(): number {
    return this.head.height;
  }

  /** Corridor messages waiting for delivery by the next blocks (answers, and departures held back). */
  get pendingMessages(): readonly CorridorMessage[] {
    return this.corridors.pending;
  }

  /**
   * Why the stored state is not the state the head block committed to (a value changed on disk, a
   * write lost); undefined when its root matches. Before the first block there is nothing to check.
   */
  async stateFault(): Promise<string | undefined> {
    if (this.head.height === 0) return undefined;
    const block = await this.store.blockByHeight(this.head.height);
    if (block === undefined) return `the head block ${this.head.height} is missing from the database`;
    const root = this.state.stateRoot();
    if (bytesEqual(root, block.header.stateRoot)) return undefined;
    return `the stored state's root ${toHex(root)} is not block ${this.head.height}'s state root ${toHex(block.header.stateRoot)}`;
  }

  get chainHead(): ChainHead {
    return this.head;
  }

  /** The commit index the next sub-DAG must have (commits up to here are already blocks). */
  get nextCommitIndex(): number {
    return this.head.height === 0 ? 0 : this.head.commitIndex + 1;
  }

  /** Executes the next committed sub-DAG. Calls are serialised; each resolves with its block. */
  execute(subDag: ExecutableSubDag): Promise<ExecutedBlock> {
    const run = this.queue.then(() => this.executeNow(subDag));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A block that fails part-way leaves its corridor round uncommitted: the next begin() drops it. */
  private async executeNow(subDag: ExecutableSubDag): Promise<ExecutedBlock> {
    if (subDag.commitIndex !== this.nextCommitIndex) {
      throw new ChainError(
        ChainErrorCode.CommitOutOfOrder,
        `commit ${subDag.commitIndex} arrived, but the chain expects commit ${this.nextCommitIndex}`,
      );
    }
    const t0 = performance.now();
    const { transactions, decoded, txHashes, harbors, senders, deferred, dropped } =
      await this.selectTransactions(subDag.transactions, subDag.decoded);
    const t1 = performance.now();
    const height = this.head.height + 1;
    const timestamp = Math.max(this.head.timestamp, subDag.leaderTime);
    const chainId = asciiString(this.options.genesis.chainId);
    const round: CorridorRound = this.corridors.begin(height, lifecycleRequests(decoded), (harbor) =>
      this.authorities.get(harbor),
    );
    const { deliver } = round;
    const inbound = deliver.map((m) => CorridorMessage.serialize(m));
    // Only harbors with work execute; an idle harbor's state is not even looked at.
    const busy = new Set([...harbors, ...deliver.map((m) => asciiString(m.destinationHarbor))]);
    // Blocks with one busy harbor run on this thread, reading state in place; several busy harbors
    // pay for a worker pool's state copy to run in parallel. Results do not depend on the choice.
    const perHarbor = new Map<string, number>();
    for (const h of harbors) perHarbor.set(h, (perHarbor.get(h) ?? 0) + 1);
    const secondBusiest = [...perHarbor.values(), 0, 0].sort((a, b) => b - a)[1]!;
    const poolMinTxs = this.options.poolMinTxs ?? POOL_MIN_TXS;
    const runner = secondBusiest >= poolMinTxs ? this.options.runner : this.inline;
    const result = await executeBlock(runner, {
      chainId,
      timestamp,
      harbors: this.harbors
        .filter((h) => busy.has(h.id))
        .map((h) => ({
          harbor: h.id,
          jurisdiction: h.jurisdiction,
          rulePack: h.rulePack,
          snapshot: this.state.snapshot(h.id),
        })),
      transactions,
      decoded,
      inbound,
      verifySignatures: false,
      lifecycleVerdicts: round.verdicts,
    });

    const t2 = performance.now();
    const db = this.options.db;
    const batch = db.batch();
    const receiptsByTx = new Map<string, Uint8Array>();
    const receiptDigests: Uint8Array[] = [];
    const outbound: CorridorMessage[] = [];
    const txsByHarbor = new Map<string, string[]>();
    transactions.forEach((_, i) => {
      const harbor = harbors[i]!;
      const list = txsByHarbor.get(harbor);
      if (list === undefined) txsByHarbor.set(harbor, [toHex(txHashes[i]!)]);
      else list.push(toHex(txHashes[i]!));
    });
    for (const harbor of result.harbors) {
      this.state.apply(batch, harbor.harbor, harbor.writeSet);
      receiptDigests.push(...harbor.receiptDigests);
      // A harbor's receipts: its inbound deliveries first, then its transactions in block order.
      const deliveries = deliver.filter((m) => asciiString(m.destinationHarbor) === harbor.harbor).length;
      (txsByHarbor.get(harbor.harbor) ?? []).forEach((hashHex, i) => {
        receiptsByTx.set(hashHex, harbor.receipts[deliveries + i]!);
      });
      for (const bytes of harbor.outbound) outbound.push(CorridorMessage.deserialize(bytes));
    }
    round.finish(outbound, (hashHex) => {
      const receipt = receiptsByTx.get(hashHex);
      return receipt !== undefined && receiptOutcome(receipt) === ExecutionOutcome.Success;
    });
    const header: BlockHeader = {
      chainId: this.options.genesis.chainId,
      height,
      parentHash: this.head.blockHash,
      leaderRound: subDag.leaderRound,
      leaderCertificate: subDag.leaderDigest,
      timestamp,
      txRoot: merkleRoot(txHashes),
      receiptRoot: merkleRoot(receiptDigests),
      stateRoot: this.state.stateRoot(),
      corridorRoot: round.root(),
      anchorRoot: merkleRoot([]),
    };
    const hash = hashBlock(header);
    if (subDag.expectedHash !== undefined && !bytesEqual(hash, subDag.expectedHash)) {
      throw new ChainError(
        ChainErrorCode.BlockHashMismatch,
        `block ${height} executed to ${toHex(hash)}, but ${toHex(subDag.expectedHash)} is certified`,
        { height, expected: toHex(subDag.expectedHash), actual: toHex(hash) },
      );
    }
    const block: StoredBlock = { header, txHashes };
    const head: ChainHead = { height, blockHash: hash, timestamp, commitIndex: subDag.commitIndex };
    const receipts = txHashes.map((h) => receiptsByTx.get(toHex(h))!);
    this.store.addBlock(batch, { block, blockHash: hash, transactions, receipts, receiptDigests, head });
    round.write(batch);
    const t3 = performance.now();
    // Not fsynced: consensus commits are, and a block lost to a power cut is executed again from them.
    await batch.write({ sync: false });
    const t4 = performance.now();
    round.commit();
    this.corridorMetrics?.blockCommitted(round.appended());
    this.head = head;

    const metrics = this.options.metrics;
    if (metrics) {
      metrics.blocks.inc();
      metrics.height.set(height);
      for (const r of receipts)
        metrics.txExecuted.inc({ outcome: ExecutionOutcome[receiptOutcome(r)] ?? "unknown" });
    }
    const executed = txHashes.map((hash, i) => ({
      hashHex: toHex(hash),
      harbor: harbors[i]!,
      sender: senders[i]!,
    }));
    const timings = {
      selectMs: Math.round(t1 - t0),
      executeMs: Math.round(t2 - t1),
      sealMs: Math.round(t3 - t2),
      writeMs: Math.round(t4 - t3),
    };
    return { header, hash, txHashes, executed, deferred, dropped, timings };
  }

  /**
   * The block's transactions, in consensus order: the first occurrence of each, not executed
   * before, decodable, for a known harbor, with a valid signature (see `checkSignature`), and carrying its sender's next nonce. A nonce
   * already used is dropped; a nonce ahead of the sender's next one is deferred (left out, so the
   * pool that holds it submits it again once its turn comes), never executed as a failure. Past
   * the genesis block limits (bytes, gas) transactions are deferred the same way.
   * Every validator makes the same choices from the same state, so blocks stay identical.
   */
  private async selectTransactions(
    candidates: readonly Uint8Array[],
    decoded: readonly (DecodedTx | null | undefined)[] | undefined,
  ) {
    const seen = new Set<string>();
    const unique: DecodedTx[] = [];
    candidates.forEach((bytes, i) => {
      const known = decoded?.[i];
      const d = known === undefined ? decodeTx(bytes) : known;
      // Undecodable or for a harbor this chain lacks: nothing could execute it. The other stateless
      // rules are the harbor's to apply, with an Invalid receipt.
      if (d === null || seen.has(d.hashHex)) return;
      seen.add(d.hashHex);
      if (this.harborIds.has(d.harbor)) unique.push(d);
    });
    const executedBefore = await this.store.executed(unique.map((u) => u.hash));
    const fresh = unique.filter((_, i) => !executedBefore[i]);
    const check =
      this.options.checkSignature ??
      ((_: string, tx: SignedTransaction, encoded: Uint8Array) => verifyTxSignature(tx, encoded));
    const valid = await Promise.all(fresh.map((u) => check(u.hashHex, u.tx, u.bytes)));
    /**
     * Per sender, after its transactions kept so far: the nonce its next one must carry, and the
     * native value it has left for fees (credits aside). Read from state once per sender.
     */
    const senders = new Map<string, { nextNonce: number; spendable: bigint }>();
    /** Senders whose kept transaction cannot pay its fee: it is rejected without using its nonce. */
    const unpaid = new Set<string>();
    const kept: typeof unique = [];
    const deferred: string[] = [];
    const { maxBlockBytes, maxBlockGas } = this.options.genesis.params;
    let bytes = 0;
    let gas = 0;
    fresh.forEach((u, i) => {
      if (!valid[i]) return;
      const key = `${u.harbor}/${toHex(u.tx.body.sender)}`;
      // After a transaction that cannot pay its fee (Invalid, nonce unused) the sender's later ones
      // would all fail on their nonce and be lost: they wait for a block where they can execute.
      if (unpaid.has(key)) {
        deferred.push(u.hashHex);
        return;
      }
      let sender = senders.get(key);
      if (sender === undefined) {
        const account = this.account(u.harbor, u.tx.body.sender);
        sender = { nextNonce: account.nonce, spendable: account.balance };
        senders.set(key, sender);
      }
      const next = sender.nextNonce;
      if (u.tx.body.nonce > next) deferred.push(u.hashHex);
      if (u.tx.body.nonce !== next) return;
      // Over the block's limits: left for a later block (the sender's later nonces follow it there).
      if (bytes + u.bytes.length > maxBlockBytes || gas + u.tx.body.gasLimit > maxBlockGas) {
        deferred.push(u.hashHex);
        return;
      }
      bytes += u.bytes.length;
      gas += u.tx.body.gasLimit;
      if (sender.spendable < u.tx.body.fee) {
        unpaid.add(key);
      } else {
        sender.nextNonce = next + 1;
        sender.spendable -= u.tx.body.fee + nativeSpend(u.tx.body);
      }
      kept.push(u);
    });
    return {
      transactions: kept.map((k) => k.bytes),
      decoded: kept,
      txHashes: kept.map((k) => k.hash),
      harbors: kept.map((k) => k.harbor),
      senders: kept.map((k) => k.tx.body.sender),
      deferred,
      dropped: candidates.length - kept.length - deferred.length,
    };
  }

  /** The nonce the account's next transaction must carry. */
  accountNonce(harbor: string, sender: Uint8Array): number {
    return this.account(harbor, sender).nonce;
  }

  /** The sender's committed account (an account never written is empty). */
  account(harbor: string, sender: Uint8Array): Account {
    const value = this.state.get(harbor, accountKey(sender));
    return value === undefined ? { balance: 0n, nonce: 0 } : Account.deserialize(value);
  }
}
