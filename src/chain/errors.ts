import { MassError } from "../util/errors.js";

export enum ChainErrorCode {
  /** The database holds another chain than the genesis given. */
  GenesisMismatch = "CHAIN_GENESIS_MISMATCH",
  /** A committed sub-DAG arrived out of order. */
  CommitOutOfOrder = "CHAIN_COMMIT_OUT_OF_ORDER",
  /** A harbor's rule pack does not match the digest in genesis. */
  RulePackMismatch = "CHAIN_RULE_PACK_MISMATCH",
  Stopped = "CHAIN_STOPPED",
  /** Executing a block gave another hash than the one expected of it (block sync): nothing was written. */
  BlockHashMismatch = "CHAIN_BLOCK_HASH_MISMATCH",
}

export class ChainError extends MassError<ChainErrorCode> {}
