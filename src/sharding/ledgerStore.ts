import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import {
  Bucket,
  type Database,
  type Repository,
  readU64Key,
  u64Key,
  type WriteBatch,
} from "../state/db/index.js";
import { CorridorParams, CorridorReceipt } from "../types/corridor.js";
import { CorridorMessage } from "../types/execution.js";
import { Bytes32, HarborId, Uint8, UintNum64 } from "../types/primitives.js";
import { utf8 } from "../util/bytes.js";
import { MAX_PENDING_MESSAGES } from "./corridorRound.js";
import { TransferRecord, TransferStatus } from "./transfers.js";

/**
 * Every bucket the corridor ledger owns: all derived from blocks, so a repair that rebuilds the
 * chain by block sync discards them with it.
 */
export const CORRIDOR_BUCKETS: readonly Bucket[] = [
  Bucket.LegacyPendingMessages,
  Bucket.CorridorPendingQueue,
  Bucket.CorridorRecords,
  Bucket.CorridorReceipts,
  Bucket.CorridorLeaves,
  Bucket.CorridorTransfers,
  Bucket.CorridorOpenTransfers,
];

/** The retired single-entry form of the pending list (bucket 27), read once to move it. */
const LegacyPendingMessages = new ListCompositeType(CorridorMessage, MAX_PENDING_MESSAGES);
const LEGACY_PENDING_KEY = new Uint8Array([0]);

/** A corridor message waiting for delivery, at its position in the queue. */
export interface PendingEntry {
  position: number;
  message: CorridorMessage;
}

/** A corridor's persisted state; harbor ids empty where the lifecycle has none. */
export const CorridorRecord = new ContainerType(
  {
    state: Uint8,
    params: CorridorParams,
    receiptCount: UintNum64,
    initiator: HarborId,
    resumeProposer: HarborId,
  },
  { typeName: "CorridorRecord" },
);
export type CorridorRecord = ValueOf<typeof CorridorRecord>;

/** What the MMR needs of a receipt: its digest, and its block (for the MMR as of a height). */
export const CorridorLeafEntry = new ContainerType(
  { digest: Bytes32, height: UintNum64 },
  { typeName: "CorridorLeafEntry" },
);
export type CorridorLeafEntry = ValueOf<typeof CorridorLeafEntry>;

/** Ends the id in keys: harbor ids are printable ASCII, so one corridor's keys never run into another's. */
const ID_TERMINATOR = 0x00;

function corridorPrefix(id: string): Uint8Array {
  const bytes = utf8(id);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = ID_TERMINATOR;
  return out;
}

function sequenceKey(id: string, sequence: number): Uint8Array {
  const prefix = corridorPrefix(id);
  const out = new Uint8Array(prefix.length + 8);
  out.set(prefix);
  out.set(u64Key(sequence), prefix.length);
  return out;
}

/** Typed access to the corridor buckets (records, receipts, leaves). */
export class CorridorLedgerStore {
  private readonly records: Repository<CorridorRecord>;
  private readonly receiptRepo: Repository<CorridorReceipt>;
  private readonly leafRepo: Repository<CorridorLeafEntry>;
  private readonly transfers: Repository<TransferRecord>;
  private readonly openTransfers: Repository<TransferRecord>;
  private readonly legacyPending: Repository<CorridorMessage[]>;
  private readonly pendingRepo: Repository<CorridorMessage>;

  constructor(private readonly db: Database) {
    this.legacyPending = db.repository(Bucket.LegacyPendingMessages, LegacyPendingMessages);
    this.pendingRepo = db.repository(Bucket.CorridorPendingQueue, CorridorMessage);
    this.records = db.repository(Bucket.CorridorRecords, CorridorRecord);
    this.receiptRepo = db.repository(Bucket.CorridorReceipts, CorridorReceipt);
    this.leafRepo = db.repository(Bucket.CorridorLeaves, CorridorLeafEntry);
    this.transfers = db.repository(Bucket.CorridorTransfers, TransferRecord);
    this.openTransfers = db.repository(Bucket.CorridorOpenTransfers, TransferRecord);
  }

  /**
   * The pending queue in order, each message with its position. A database written before the
   * queue had one entry per message holds the whole list under one key: it is moved here first.
   */
  async pending(): Promise<PendingEntry[]> {
    const legacy = await this.legacyPending.get(LEGACY_PENDING_KEY);
    if (legacy !== undefined) {
      const batch = this.db.batch();
      legacy.forEach((message, position) => {
        batch.put(this.pendingRepo, u64Key(position), message);
      });
      batch.delete(this.legacyPending, LEGACY_PENDING_KEY);
      await batch.write({ sync: true });
    }
    const out: PendingEntry[] = [];
    for await (const [key, message] of this.pendingRepo.entries())
      out.push({ position: readU64Key(key), message });
    return out;
  }

  putPending(batch: WriteBatch, entry: PendingEntry): void {
    batch.put(this.pendingRepo, u64Key(entry.position), entry.message);
  }

  deletePending(batch: WriteBatch, position: number): void {
    batch.delete(this.pendingRepo, u64Key(position));
  }

  transfer(transitId: Uint8Array): Promise<TransferRecord | undefined> {
    return this.transfers.get(transitId);
  }

  /** The transfers in transit. */
  async openTransferList(): Promise<TransferRecord[]> {
    const out: TransferRecord[] = [];
    for await (const [, record] of this.openTransfers.entries()) out.push(record);
    return out;
  }

  putTransfer(batch: WriteBatch, record: TransferRecord): void {
    batch.put(this.transfers, record.transitId, record);
    if (record.status === TransferStatus.InTransit) batch.put(this.openTransfers, record.transitId, record);
    else batch.delete(this.openTransfers, record.transitId);
  }

  record(id: string): Promise<CorridorRecord | undefined> {
    return this.records.get(utf8(id));
  }

  /** Every leaf of a corridor, in sequence order. */
  async *leaves(id: string): AsyncGenerator<CorridorLeafEntry> {
    const gte = corridorPrefix(id);
    const lt = gte.slice();
    lt[lt.length - 1] = ID_TERMINATOR + 1;
    for await (const [, leaf] of this.leafRepo.entries({ gte, lt })) yield leaf;
  }

  receipt(id: string, sequence: number): Promise<CorridorReceipt | undefined> {
    return this.receiptRepo.get(sequenceKey(id, sequence));
  }

  /** Receipts `from` ≤ sequence < `to`, in order. */
  async receiptRange(id: string, from: number, to: number): Promise<CorridorReceipt[]> {
    const out: CorridorReceipt[] = [];
    const range = { gte: sequenceKey(id, from), lt: sequenceKey(id, to) };
    for await (const [, receipt] of this.receiptRepo.entries(range)) out.push(receipt);
    return out;
  }

  putRecord(batch: WriteBatch, id: string, record: CorridorRecord): void {
    batch.put(this.records, utf8(id), record);
  }

  putReceipt(batch: WriteBatch, id: string, receipt: CorridorReceipt, digest: Uint8Array): void {
    const key = sequenceKey(id, receipt.sequence);
    batch.put(this.receiptRepo, key, receipt);
    batch.put(this.leafRepo, key, { digest, height: receipt.height });
  }
}
