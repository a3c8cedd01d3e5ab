import { ByteListType, ListCompositeType } from "@chainsafe/ssz";
import {
  Bucket,
  type Database,
  type Repository,
  readU64Key,
  u64Key,
  type WriteBatch,
} from "../state/db/index.js";
import { ChainHead, FinalityCertificate, StoredBlock, TxLocation } from "../types/block.js";
import { ExecutionReceipt } from "../types/execution.js";
import { MAX_TX_BYTES } from "../types/limits.js";
import { Bytes32, UintNum64 } from "../types/primitives.js";

const EncodedTx = new ByteListType(MAX_TX_BYTES);
const EncodedReceipt = new ByteListType(ExecutionReceipt.maxSize);
const HEAD_KEY = new Uint8Array([0]);

/** What one executed block adds to the chain's storage. */
export interface BlockWrite {
  block: StoredBlock;
  blockHash: Uint8Array;
  /** Encoded signed transactions, parallel to `block.txHashes`. */
  transactions: Uint8Array[];
  /** SSZ ExecutionReceipts as the executor produced them, parallel to `block.txHashes`. */
  receipts: Uint8Array[];
  /** Every receipt digest of the block (deliveries included), the leaves of its receiptRoot in order. */
  receiptDigests: Uint8Array[];
  head: ChainHead;
}

/**
 * Receipts one block can hold at most: its transactions (bounded by the block's bytes) and its
 * deliveries (bounded by the pending corridor queue); far above either.
 */
const MAX_BLOCK_RECEIPTS = 1 << 21;
const ReceiptDigests = new ListCompositeType(Bytes32, MAX_BLOCK_RECEIPTS);

/** Typed access to blocks, transactions, receipts, finality certificates and the chain head. */
export class ChainStore {
  private readonly blocks: Repository<StoredBlock>;
  private readonly heights: Repository<number>;
  private readonly transactions: Repository<Uint8Array>;
  private readonly locations: Repository<TxLocation>;
  private readonly receipts: Repository<Uint8Array>;
  private readonly finality: Repository<FinalityCertificate>;
  private readonly heads: Repository<ChainHead>;
  private readonly digests: Repository<Uint8Array[]>;

  constructor(private readonly db: Database) {
    this.blocks = db.repository(Bucket.ChainBlocks, StoredBlock);
    this.heights = db.repository(Bucket.ChainBlockHeights, UintNum64);
    this.transactions = db.repository(Bucket.ChainTransactions, EncodedTx);
    this.locations = db.repository(Bucket.ChainTxLocations, TxLocation);
    // Receipts are stored as the executor encoded them (no decode and re-encode on the block path).
    this.receipts = db.repository(Bucket.ChainReceipts, EncodedReceipt);
    this.finality = db.repository(Bucket.ChainFinality, FinalityCertificate);
    this.heads = db.repository(Bucket.ChainHead, ChainHead);
    this.digests = db.repository(Bucket.ChainReceiptDigests, ReceiptDigests);
  }

  batch(): WriteBatch {
    return this.db.batch();
  }

  head(): Promise<ChainHead | undefined> {
    return this.heads.get(HEAD_KEY);
  }

  /** Adds a block, its transactions, receipts and the new head to `batch`. */
  addBlock(batch: WriteBatch, write: BlockWrite): void {
    const { block, blockHash, transactions, receipts, receiptDigests, head } = write;
    const height = block.header.height;
    batch.put(this.blocks, u64Key(height), block);
    batch.put(this.digests, u64Key(height), receiptDigests);
    batch.put(this.heights, blockHash, height);
    block.txHashes.forEach((hash, index) => {
      batch.put(this.transactions, hash, transactions[index]!);
      batch.put(this.locations, hash, { height, index, blockHash });
      batch.put(this.receipts, hash, receipts[index]!);
    });
    this.putHead(batch, head);
  }

  putHead(batch: WriteBatch, head: ChainHead): void {
    batch.put(this.heads, HEAD_KEY, head);
  }

  async putFinality(certificate: FinalityCertificate): Promise<void> {
    await this.finality.put(u64Key(certificate.height), certificate);
  }

  /** The receipt digests of block `height` in receiptRoot order; undefined for blocks stored before they were kept. */
  receiptDigests(height: number): Promise<Uint8Array[] | undefined> {
    return this.digests.get(u64Key(height));
  }

  blockByHeight(height: number): Promise<StoredBlock | undefined> {
    return this.blocks.get(u64Key(height));
  }

  async blockByHash(hash: Uint8Array): Promise<StoredBlock | undefined> {
    const height = await this.heights.get(hash);
    return height === undefined ? undefined : this.blockByHeight(height);
  }

  /** Height of the highest block with a finality certificate (0 when none). */
  async lastFinalizedHeight(): Promise<number> {
    for await (const [, certificate] of this.finality.entries({ reverse: true, limit: 1 }))
      return certificate.height;
    return 0;
  }

  /** Heights from `from` to `to` (inclusive) with no finality certificate stored, at most `limit`, ascending. */
  async missingFinality(from: number, to: number, limit: number): Promise<number[]> {
    const missing: number[] = [];
    let next = from;
    for await (const key of this.finality.keys({ gte: u64Key(from), lt: u64Key(to + 1) })) {
      const height = readU64Key(key);
      while (next < height && missing.length < limit) missing.push(next++);
      if (missing.length >= limit) return missing;
      next = height + 1;
    }
    while (next <= to && missing.length < limit) missing.push(next++);
    return missing;
  }

  finalityAt(height: number): Promise<FinalityCertificate | undefined> {
    return this.finality.get(u64Key(height));
  }

  transaction(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.transactions.get(hash);
  }

  /** Encoded transactions by hash, in one read (undefined where unknown). */
  transactionsOf(hashes: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.transactions.getMany(hashes);
  }

  location(hash: Uint8Array): Promise<TxLocation | undefined> {
    return this.locations.get(hash);
  }

  async receipt(hash: Uint8Array): Promise<ExecutionReceipt | undefined> {
    const bytes = await this.receipts.get(hash);
    return bytes === undefined ? undefined : ExecutionReceipt.deserialize(bytes);
  }

  /** Which of `hashes` were already executed in an earlier block (deduplication across blocks). */
  async executed(hashes: Uint8Array[]): Promise<boolean[]> {
    return (await this.locations.getMany(hashes)).map((l) => l !== undefined);
  }
}
