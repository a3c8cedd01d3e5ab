import { MassError } from "../util/errors.js";

export enum ShardingErrorCode {
  /** A corridor id is not two distinct, sorted harbor ids joined by `~`. */
  InvalidCorridorId = "SHARDING_INVALID_CORRIDOR_ID",
  /** Genesis declares a corridor twice, with unsorted harbors, or with an unknown state. */
  InvalidGenesisCorridor = "SHARDING_INVALID_GENESIS_CORRIDOR",
  /** No corridor with this id exists. */
  UnknownCorridor = "SHARDING_UNKNOWN_CORRIDOR",
  /** A lifecycle transition the rules refuse (the details carry the LifecycleFault). */
  TransitionRefused = "SHARDING_TRANSITION_REFUSED",
  /** A departure through a corridor that is not ACTIVE. */
  CorridorNotActive = "SHARDING_CORRIDOR_NOT_ACTIVE",
  /** A receipt whose fields do not fit its corridor (harbors, kind). */
  InvalidReceipt = "SHARDING_INVALID_RECEIPT",
  /** A block staged at a height not above the last committed one. */
  InvalidHeight = "SHARDING_INVALID_HEIGHT",
  /** A stage used after commit or discard, committed before write, or over a ledger that moved on. */
  StageClosed = "SHARDING_STAGE_CLOSED",
  /** A page limit outside 1..MAX_RECEIPTS_PAGE. */
  InvalidPageLimit = "SHARDING_INVALID_PAGE_LIMIT",
  /** A height range that is not two integers with from ≤ to. */
  InvalidHeightRange = "SHARDING_INVALID_HEIGHT_RANGE",
  /** The stored ledger contradicts itself (a record's count against its receipts). */
  CorruptLedger = "SHARDING_CORRUPT_LEDGER",
}

export class ShardingError extends MassError<ShardingErrorCode> {}
