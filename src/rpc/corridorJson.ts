import { type MmrConsistencyProof, type MmrProofJson, mmrProofToJson } from "../crypto/mmr.js";
import {
  type CorridorReceiptProof,
  type CorridorView,
  TRANSFER_STATUS_NAMES,
  type TransferRecord,
  TransferStatus,
} from "../sharding/index.js";
import { type CorridorReceipt, CorridorReceiptKind, CorridorState } from "../types/corridor.js";
import { asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";

/**
 * The JSON forms of corridors, their receipts and transfers (docs/rpc.md, "Corridors"): u64 values
 * as decimal strings, bytes as 0x-hex, harbor and corridor ids as strings, enums by name and code.
 * Only the MMR proof keeps the MSEZ reference form `mmrProofToJson` gives (snake_case, bare hex).
 */

/** An enum member's name in upper case (`ACTIVE`, `DEPARTURE`); `UNKNOWN_<code>` for a code it lacks. */
function enumName(names: Record<number, string>, code: number): string {
  const name = names[code];
  return name === undefined ? `UNKNOWN_${code}` : name.toUpperCase();
}

export const corridorStateName = (state: number): string => enumName(CorridorState, state);
export const corridorReceiptKindName = (kind: number): string => enumName(CorridorReceiptKind, kind);

export function transferStatusName(status: number): string {
  return TRANSFER_STATUS_NAMES[status as TransferStatus] ?? `unknown_${status}`;
}

/** A corridor MMR consistency proof (src/crypto/mmr.ts `MmrConsistencyProof`), sizes as strings. */
export interface MmrConsistencyJson {
  oldSize: string;
  newSize: string;
  oldPeaks: string[];
  newPeaks: string[];
  paths: string[][];
}

export function mmrConsistencyJson(proof: MmrConsistencyProof): MmrConsistencyJson {
  return {
    oldSize: String(proof.oldSize),
    newSize: String(proof.newSize),
    oldPeaks: proof.oldPeaks.map(toHex),
    newPeaks: proof.newPeaks.map(toHex),
    paths: proof.paths.map((path) => path.map(toHex)),
  };
}

export interface CorridorJson {
  id: string;
  state: string;
  stateCode: number;
  harbors: [string, string];
  params: { timeoutBlocks: string; maxInFlight: string; maxDeliveriesPerBlock: string };
  receiptCount: string;
  mmrRoot: string;
  mmrSize: string;
  /** Value departed through the corridor and neither credited nor refunded yet. */
  inFlight: string;
  /** The harbor that moved the corridor into its state (PENDING's proposer, the suspender, the halter). */
  initiator: string | null;
  /** On a HALTED corridor, the harbor that proposed resuming it. */
  resumeProposer: string | null;
}

export function corridorJson(view: CorridorView, inFlight: bigint): CorridorJson {
  return {
    id: view.id,
    state: corridorStateName(view.state),
    stateCode: view.state,
    harbors: [view.harbors[0], view.harbors[1]],
    params: {
      timeoutBlocks: String(view.params.timeoutBlocks),
      maxInFlight: view.params.maxInFlight.toString(),
      maxDeliveriesPerBlock: String(view.params.maxDeliveriesPerBlock),
    },
    receiptCount: String(view.receiptCount),
    mmrRoot: toHex(view.mmrRoot),
    mmrSize: String(view.mmrSize),
    inFlight: inFlight.toString(),
    initiator: view.initiator ?? null,
    resumeProposer: view.resumeProposer ?? null,
  };
}

export interface CorridorReceiptJson {
  sequence: string;
  previous: string;
  kind: string;
  kindCode: number;
  transitId: string;
  sourceHarbor: string;
  destinationHarbor: string;
  asset: string;
  amount: string;
  sender: string;
  recipient: string;
  height: string;
  state: string;
  stateCode: number;
  evidence: string;
}

/** Every field of a receipt; `kind` and `state` by name, with their wire values in `kindCode` and `stateCode`. */
export function corridorReceiptJson(receipt: CorridorReceipt): CorridorReceiptJson {
  return {
    sequence: String(receipt.sequence),
    previous: toHex(receipt.previous),
    kind: corridorReceiptKindName(receipt.kind),
    kindCode: receipt.kind,
    transitId: toHex(receipt.transitId),
    sourceHarbor: asciiString(receipt.sourceHarbor),
    destinationHarbor: asciiString(receipt.destinationHarbor),
    asset: toHex(receipt.asset),
    amount: receipt.amount.toString(),
    sender: toHex(receipt.sender),
    recipient: toHex(receipt.recipient),
    height: String(receipt.height),
    state: corridorStateName(receipt.state),
    stateCode: receipt.state,
    evidence: toHex(receipt.evidence),
  };
}

export interface CorridorReceiptProofJson {
  receipt: CorridorReceiptJson;
  digest: string;
  height: string;
  mmr: { size: string; root: string; proof: MmrProofJson };
  corridorLeafIndex: number;
  corridorSiblings: string[];
}

export function corridorReceiptProofJson(proof: CorridorReceiptProof): CorridorReceiptProofJson {
  return {
    receipt: corridorReceiptJson(proof.receipt),
    digest: toHex(proof.digest),
    height: String(proof.height),
    mmr: {
      size: String(proof.mmr.size),
      root: toHex(proof.mmr.root),
      proof: mmrProofToJson(proof.mmr.root, proof.digest, proof.mmr.proof),
    },
    corridorLeafIndex: proof.corridorLeafIndex,
    corridorSiblings: proof.corridorSiblings.map(toHex),
  };
}

export interface TransferJson {
  transitId: string;
  status: string;
  /** Null when its destination has no corridor from its origin (refunded at once, no receipt). */
  corridor: string | null;
  sourceHarbor: string;
  destinationHarbor: string;
  asset: string;
  amount: string;
  sender: string;
  recipient: string;
  departedAt: string;
  deadline: string;
  /** Null while in transit. */
  endedAt: string | null;
  receipts: CorridorReceiptJson[];
}

/** A transfer with its receipts (in sequence order, as `record.receipts` lists them). */
export function transferJson(record: TransferRecord, receipts: readonly CorridorReceipt[]): TransferJson {
  const corridor = asciiString(record.corridor);
  const inTransit = record.status === TransferStatus.InTransit;
  return {
    transitId: toHex(record.transitId),
    status: transferStatusName(record.status),
    corridor: corridor === "" ? null : corridor,
    sourceHarbor: asciiString(record.sourceHarbor),
    destinationHarbor: asciiString(record.destinationHarbor),
    asset: toHex(record.asset),
    amount: record.amount.toString(),
    sender: toHex(record.sender),
    recipient: toHex(record.recipient),
    departedAt: String(record.departedAt),
    deadline: String(record.deadline),
    endedAt: inTransit ? null : String(record.endedAt),
    receipts: receipts.map(corridorReceiptJson),
  };
}
