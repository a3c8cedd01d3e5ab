import { ContainerType, ListBasicType, type ValueOf } from "@chainsafe/ssz";
import {
  AsciiStringType,
  Bytes32,
  HarborId,
  PublicKey,
  Uint8,
  UintBn64,
  UintNum64,
} from "../types/primitives.js";

/** Two harbor ids of at most 32 bytes and the separator. */
const CorridorIdBytes = new AsciiStringType(2 * 32 + 1, { typeName: "CorridorId" });

/** Where a transfer across a corridor stands (RPC `mass_getTransfer`). */
export enum TransferStatus {
  /** Departed and escrowed at the origin; not yet credited nor refunded. */
  InTransit = 0,
  /** The destination credited it (or, for an asset, its arrival was settled): the escrow is retired. */
  Credited = 1,
  /** Refused by the destination, by the corridor, or not delivered by its deadline: the escrow is paid back. */
  Refunded = 2,
}

export const TRANSFER_STATUS_NAMES: Record<TransferStatus, string> = {
  [TransferStatus.InTransit]: "in_transit",
  [TransferStatus.Credited]: "credited",
  [TransferStatus.Refunded]: "refunded",
};

/** A transfer has at most a departure and its end (arrival, refusal or refund) on its corridor. */
const MAX_TRANSFER_RECEIPTS = 2;

/** One departure's life, keyed by its transit id. */
export const TransferRecord = new ContainerType(
  {
    transitId: Bytes32,
    /** The corridor it crosses; empty when its destination has no corridor from its origin. */
    corridor: CorridorIdBytes,
    sourceHarbor: HarborId,
    destinationHarbor: HarborId,
    /** The asset at the origin; 32 zero bytes for the native balance. */
    asset: Bytes32,
    amount: UintBn64,
    sender: PublicKey,
    recipient: PublicKey,
    status: Uint8,
    /** The block whose execution emitted the departure. */
    departedAt: UintNum64,
    /** The last block in which it may still be delivered; refunded in the first block after it can no longer be. */
    deadline: UintNum64,
    /** The block that ended it (credited or refunded); 0 while in transit. */
    endedAt: UintNum64,
    /** Sequences of its receipts on the corridor's chain, in order. */
    receipts: new ListBasicType(UintNum64, MAX_TRANSFER_RECEIPTS),
  },
  { typeName: "TransferRecord" },
);
export type TransferRecord = ValueOf<typeof TransferRecord>;
