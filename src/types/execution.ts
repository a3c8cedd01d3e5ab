import { BooleanType, ByteListType, ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { MAX_BYTECODE_BYTES, MAX_METADATA_BYTES } from "./limits.js";
import { Bytes32, HarborId, PublicKey, Uint8, UintBn64, UintNum64 } from "./primitives.js";
import { JurisdictionCode } from "./transaction.js";

/**
 * Objects the SAVM and the harbor executor produce: tensor cells, receipts, write-sets and corridor
 * messages. docs/savm.md describes their meaning; every digest below is SHA-256 of the SSZ encoding.
 */

/** Bounds of one execution's side effects; an execution exceeding one faults (docs/savm.md). */
export const MAX_RECEIPT_STORAGE_MUTATIONS = 4096;
export const MAX_RECEIPT_TENSOR_UPDATES = 256;
export const MAX_RECEIPT_LOGS = 1024;
export const MAX_RECEIPT_ATTESTATIONS = 256;
export const MAX_RECEIPT_MESSAGES = 256;
/** Revert reasons and fault descriptions are short text. */
export const MAX_REASON_BYTES = 256;
/** A SAVM return value is one 256-bit word (or nothing). */
export const MAX_RETURN_BYTES = 32;
/** Longest state key: kind byte + 32-byte id + 32-byte slot. */
export const MAX_STATE_KEY_BYTES = 1 + 32 + 32;
/** Largest state value: an asset record with its bytecode and metadata. */
export const MAX_STATE_VALUE_BYTES = MAX_BYTECODE_BYTES + MAX_METADATA_BYTES + 256;

/** One compliance-tensor cell: C(subject, jurisdiction, domain) as last attested. */
export const TensorCell = new ContainerType(
  {
    /** ComplianceState wire value as attested (reads may see EXPIRED instead, see `expiresAt`). */
    state: Uint8,
    attestationRef: Bytes32,
    /** Unix milliseconds at which the attester evaluated the subject (the block time of the write). */
    evaluatedAt: UintNum64,
    /** Unix milliseconds after which the cell reads as EXPIRED; 0 = never expires. */
    expiresAt: UintNum64,
    attester: PublicKey,
  },
  { typeName: "TensorCell" },
);
export type TensorCell = ValueOf<typeof TensorCell>;

/** A tensor cell's coordinates (time is the read time, not part of the key). */
export const TensorCellKey = new ContainerType(
  { subject: Bytes32, jurisdiction: JurisdictionCode, domain: Uint8 },
  { typeName: "TensorCellKey" },
);
export type TensorCellKey = ValueOf<typeof TensorCellKey>;

export const TensorUpdate = new ContainerType(
  { key: TensorCellKey, cell: TensorCell },
  { typeName: "TensorUpdate" },
);
export type TensorUpdate = ValueOf<typeof TensorUpdate>;

/** A storage slot change; an all-zero value means the slot is absent. */
export const StorageMutation = new ContainerType(
  { asset: Bytes32, key: Bytes32, old: Bytes32, new: Bytes32 },
  { typeName: "StorageMutation" },
);
export type StorageMutation = ValueOf<typeof StorageMutation>;

export const LogEntry = new ContainerType(
  { asset: Bytes32, topic: Bytes32, data: Bytes32 },
  { typeName: "LogEntry" },
);
export type LogEntry = ValueOf<typeof LogEntry>;

/** How an execution ended. Wire values: never renumber. */
export enum ExecutionOutcome {
  Success = 0,
  Revert = 1,
  OutOfGas = 2,
  /** Rejected before execution (bad signature, nonce, fee balance, malformed payload, gas below intrinsic). */
  Invalid = 3,
}

/** Corridor message kinds (the asset-orbit protocol). Wire values: never renumber. */
export enum CorridorMessageKind {
  /** Source -> destination: an asset unit left its origin (TRANSIT). */
  Departure = 0,
  /** Destination -> source: the destination's import check refused the arrival; the origin may UNLOCK. */
  Refusal = 1,
  /** Destination -> source: the arrival was settled; the origin's lock is retired. */
  Settlement = 2,
  /**
   * Sharding -> destination, in the block of a transfer's deadline: an arrival still unsettled there
   * closes (it can no longer be SETTLEd) and the destination answers with Expired.
   */
  Expiry = 3,
  /** Destination -> source: the arrival expired unsettled; the origin treats it as a refusal (UNLOCK). */
  Expired = 4,
}

/** A message one harbor sends another through their corridor; the sharding layer orders and delivers it. */
export const CorridorMessage = new ContainerType(
  {
    kind: Uint8,
    /** The lock (= transit) id; unique per departure, so an asset unit can never depart twice. */
    transitId: Bytes32,
    sourceHarbor: HarborId,
    destinationHarbor: HarborId,
    /** The asset that locked at the source. */
    sourceAsset: Bytes32,
    /** The asset that may SETTLE the arrival at the destination. */
    destinationAsset: Bytes32,
    /** Who departed the value (the lock's owner); refusals and settlements carry the departure's. */
    sender: PublicKey,
    recipient: PublicKey,
    amount: UintBn64,
    /** Digest of the execution receipt that emitted this message. */
    receipt: Bytes32,
    /**
     * A departure's timeout: blocks it may wait for delivery before it is refunded. 0 takes the
     * corridor's `timeoutBlocks`, and a larger value is capped at it.
     */
    timeoutBlocks: UintNum64,
  },
  { typeName: "CorridorMessage" },
);
export type CorridorMessage = ValueOf<typeof CorridorMessage>;

/** Per-execution receipt (SPEC "Smart Asset VM"): chained per asset by `previous`. */
export const ExecutionReceipt = new ContainerType(
  {
    /** The asset whose chain this receipt extends; all-zero for the harbor's native ledger (transfers, attestations). */
    asset: Bytes32,
    sequence: UintNum64,
    previous: Bytes32,
    txHash: Bytes32,
    caller: PublicKey,
    jurisdiction: JurisdictionCode,
    gasUsed: UintNum64,
    outcome: Uint8,
    /** Program counter of the fault (out of gas, revert, invalid op); 0 on success. */
    pc: UintNum64,
    reason: new ByteListType(MAX_REASON_BYTES),
    returnData: new ByteListType(MAX_RETURN_BYTES),
    storageMutations: new ListCompositeType(StorageMutation, MAX_RECEIPT_STORAGE_MUTATIONS),
    tensorUpdates: new ListCompositeType(TensorUpdate, MAX_RECEIPT_TENSOR_UPDATES),
    logs: new ListCompositeType(LogEntry, MAX_RECEIPT_LOGS),
    /** Digests the ATTEST precompile recorded (each commits to the cells read and the result). */
    attestations: new ListCompositeType(Bytes32, MAX_RECEIPT_ATTESTATIONS),
    /** Outbound corridor messages (their `receipt` field is zero here; it is this receipt's digest). */
    messages: new ListCompositeType(CorridorMessage, MAX_RECEIPT_MESSAGES),
  },
  { typeName: "ExecutionReceipt" },
);
export type ExecutionReceipt = ValueOf<typeof ExecutionReceipt>;

/** A native account in a harbor. */
export const Account = new ContainerType({ balance: UintBn64, nonce: UintNum64 }, { typeName: "Account" });
export type Account = ValueOf<typeof Account>;

/** The head of a receipt chain: the last receipt's digest (zero before the first) and the chain length. */
export const ReceiptChainHead = new ContainerType(
  {
    head: Bytes32,
    /** Receipts in the chain so far (the next receipt's sequence). */
    count: UintNum64,
  },
  { typeName: "ReceiptChainHead" },
);
export type ReceiptChainHead = ValueOf<typeof ReceiptChainHead>;

/** A deployed Smart Asset and the head of its receipt chain. */
export const AssetRecord = new ContainerType(
  {
    owner: PublicKey,
    code: new ByteListType(MAX_BYTECODE_BYTES),
    metadata: new ByteListType(MAX_METADATA_BYTES),
    chain: ReceiptChainHead,
  },
  { typeName: "AssetRecord" },
);
export type AssetRecord = ValueOf<typeof AssetRecord>;

/** Lock lifecycle at the origin harbor. Wire values: never renumber. */
export enum LockStatus {
  Locked = 0,
  InTransit = 1,
  /** The destination refused the arrival: the asset may UNLOCK and restore the unit. */
  Refused = 2,
}

export const Lock = new ContainerType(
  {
    asset: Bytes32,
    owner: PublicKey,
    amount: UintBn64,
    status: Uint8,
    destinationHarbor: HarborId,
    destinationAsset: Bytes32,
    recipient: PublicKey,
  },
  { typeName: "Lock" },
);
export type Lock = ValueOf<typeof Lock>;

/** An arrival at the destination harbor, waiting for its asset to SETTLE it. */
export const Arrival = new ContainerType(
  { message: CorridorMessage, settled: new BooleanType() },
  { typeName: "Arrival" },
);
export type Arrival = ValueOf<typeof Arrival>;

/** One state change of a harbor: `value` empty means the key is deleted. */
export const WriteEntry = new ContainerType(
  {
    key: new ByteListType(MAX_STATE_KEY_BYTES),
    value: new ByteListType(MAX_STATE_VALUE_BYTES),
  },
  { typeName: "WriteEntry" },
);
export type WriteEntry = ValueOf<typeof WriteEntry>;
