import { ContainerType, type ValueOf } from "@chainsafe/ssz";
import { Bytes32, HarborId, PublicKey, Uint8, UintBn64, UintNum64 } from "./primitives.js";

/**
 * Corridors (SPEC "Harbors and corridors", "Receipt chains, MMR, anchoring"): the link between two
 * harbors through which everything that crosses between them passes, recorded as a receipt chain
 * whose digests form the corridor's MMR. docs/protocol.md gives the digests and the anchoring rule.
 */

/** A corridor's lifecycle (SPEC): DRAFT → PENDING → ACTIVE ⇄ HALTED | SUSPENDED, HALTED → DEPRECATED. */
export enum CorridorState {
  Draft = 0,
  Pending = 1,
  Active = 2,
  Halted = 3,
  Suspended = 4,
  /** Terminal. */
  Deprecated = 5,
}

/** Separates the two harbor ids of a corridor id: `ae-difc~pk-sifc` (ids sorted). */
export const CORRIDOR_ID_SEPARATOR = "~";

export const CorridorParams = new ContainerType(
  {
    /** Blocks after its departure by which a transfer is credited or else refunded. */
    timeoutBlocks: UintNum64,
    /** Most value (sum of amounts, any asset) in flight through the corridor at once. */
    maxInFlight: UintBn64,
    /** Most arrivals delivered per block; later ones wait for the next block. */
    maxDeliveriesPerBlock: UintNum64,
  },
  { typeName: "CorridorParams" },
);
export type CorridorParams = ValueOf<typeof CorridorParams>;

/** A corridor as genesis declares it: its two harbors (sorted by id), parameters and first state. */
export const GenesisCorridor = new ContainerType(
  {
    harborA: HarborId,
    harborB: HarborId,
    params: CorridorParams,
    state: Uint8,
  },
  { typeName: "GenesisCorridor" },
);
export type GenesisCorridor = ValueOf<typeof GenesisCorridor>;

/** What a corridor receipt records. */
export enum CorridorReceiptKind {
  /** Value left its origin harbor (escrowed there) towards the destination. */
  Departure = 0,
  /** The destination credited it; the origin's escrow is retired (the acknowledgement). */
  Arrival = 1,
  /** The destination refused it (compliance, limits): the origin refunds the escrow. */
  Refusal = 2,
  /** Not delivered by its timeout (corridor stopped, limits): the origin refunds the escrow. */
  Refund = 3,
  /** A lifecycle transition of the corridor, with its evidence digest. */
  Transition = 4,
}

/**
 * One entry of a corridor's receipt chain. Its digest, SHA-256 of the SSZ encoding, is the next
 * receipt's `previous` and the corridor MMR's leaf; sequence numbers start at 0 and never skip.
 */
export const CorridorReceipt = new ContainerType(
  {
    sequence: UintNum64,
    /** Digest of the receipt before it; 32 zero bytes for sequence 0. */
    previous: Bytes32,
    kind: Uint8,
    /** The transfer's id; for a transition, 32 zero bytes. */
    transitId: Bytes32,
    sourceHarbor: HarborId,
    destinationHarbor: HarborId,
    /** The asset at the source; 32 zero bytes for the harbor's native balance. */
    asset: Bytes32,
    amount: UintBn64,
    sender: PublicKey,
    recipient: PublicKey,
    /** The block whose execution produced this receipt. */
    height: UintNum64,
    /** The corridor's state after this receipt (a transition's new state). */
    state: Uint8,
    /** A transition's evidence digest; 32 zero bytes otherwise. */
    evidence: Bytes32,
  },
  { typeName: "CorridorReceipt" },
);
export type CorridorReceipt = ValueOf<typeof CorridorReceipt>;
