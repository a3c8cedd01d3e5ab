import { MassError } from "../util/errors.js";

export enum ConsensusErrorCode {
  /** The committee from genesis cannot run consensus (empty, zero stake, too large). */
  InvalidCommittee = "CONSENSUS_INVALID_COMMITTEE",
  /** Consensus parameters out of range (e.g. a zero gc depth). */
  InvalidParams = "CONSENSUS_INVALID_PARAMS",
  /** This validator's secret key does not match its committee entry. */
  KeyMismatch = "CONSENSUS_KEY_MISMATCH",
  /** The stored state contradicts itself (e.g. a commit record naming a missing certificate). */
  CorruptStore = "CONSENSUS_CORRUPT_STORE",
  /** A committed sub-DAG asked for replay is no longer in the store (pruned by gc). */
  ReplayUnavailable = "CONSENSUS_REPLAY_UNAVAILABLE",
  /** A checkpoint contradicts itself or this node's state (e.g. it is behind the store's last commit). */
  InvalidCheckpoint = "CONSENSUS_INVALID_CHECKPOINT",
  /** Peers holding validity stake did not return the same checkpoint before giving up. */
  CheckpointUnavailable = "CONSENSUS_CHECKPOINT_UNAVAILABLE",
  /** An operation needs a started node. */
  NotRunning = "CONSENSUS_NOT_RUNNING",
  /** The node stopped (or its start signal aborted) while this waited, e.g. for committed batches. */
  Stopped = "CONSENSUS_STOPPED",
  /** A simulator option is out of range or inconsistent. */
  InvalidSimulation = "CONSENSUS_INVALID_SIMULATION",
}

export class ConsensusError extends MassError<ConsensusErrorCode> {}
