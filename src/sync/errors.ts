import { MassError } from "../util/errors.js";

export enum SyncErrorCode {
  /** A block's finality certificate does not prove it final (bad or too few signatures, wrong hash). */
  BadFinality = "SYNC_BAD_FINALITY",
  /** A block does not extend this node's head (height or parent hash). */
  WrongParent = "SYNC_WRONG_PARENT",
  /** A block's transactions are not the ones its certified header commits to. */
  WrongTransactions = "SYNC_WRONG_TRANSACTIONS",
  /** Re-executing a certified block gave another hash: this node cannot follow the chain. */
  ReexecutionMismatch = "SYNC_REEXECUTION_MISMATCH",
  /** No peer could serve what was needed before giving up. */
  Unavailable = "SYNC_UNAVAILABLE",
  /** The agreed checkpoint names another leader than the synced block at its height. */
  CheckpointMismatch = "SYNC_CHECKPOINT_MISMATCH",
  Aborted = "SYNC_ABORTED",
}

export class SyncError extends MassError<SyncErrorCode> {}
