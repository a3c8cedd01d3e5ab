import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { Bucket, type Database, type Repository, u64Key, type WriteBatch } from "../state/db/index.js";
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
  Bucket.CorridorPendingMessages,
  Bucket.CorridorRecords,
  Bucket.CorridorReceipts,
  Bucket.CorridorLeaves,
  Bucket.CorridorTransfers,
  Bucket.CorridorOpenTransfers,
];

const PendingMessages = new ListCompositeType(CorridorMessage, MAX_PENDING_MESSAGES);
const PENDING_KEY = new Uint8Array([0]);

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
  private readonly pendingRepo: Repository<CorridorMessage[]>;

  constructor(db: Database) {
    this.pendingRepo = db.repository(Bucket.CorridorPendingMessages, PendingMessages);
    this.records = db.repository(Bucket.CorridorRecords, CorridorRecord);
    this.receiptRepo = db.repository(Bucket.CorridorReceipts, CorridorReceipt);
    this.leafRepo = db.repository(Bucket.CorridorLeaves, CorridorLeafEntry);
    this.transfers = db.repository(Bucket.CorridorTransfers, TransferRecord);
    this.openTransfers = db.repository(Bucket.CorridorOpenTransfers, TransferRecord);
  }

  async pending(): Promise<CorridorMessage[]> {
    return (await this.pendingRepo.get(PENDING_KEY)) ?? [];
  }

  putPending(batch: WriteBatch, pending: CorridorMessage[]): void {
    batch.put(this.pendingRepo, PENDING_KEY, pending);
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
