import type { Batch, Certificate, SignedHeader } from "../../types/consensus.js";
import type { CommitRecord, EquivocationEvidence, VoteRecord } from "../../types/consensusMessages.js";

/** A value or a promise of it: the in-memory store answers synchronously, which keeps a simulation deterministic. */
export type MaybePromise<T> = T | Promise<T>;

/** Names a stored batch: batches are keyed by the local round they were stored in (for gc). */
export interface BatchKey {
  round: number;
  digest: Uint8Array;
}

/** One atomic write. Everything in it lands together or not at all. */
export interface ConsensusWrite {
  /** The vote just cast for a header of `author` (safety: must be durable before the vote is sent). */
  vote?: { author: number; record: VoteRecord };
  /** A header this validator proposes (durable before broadcast, so a restart never equivocates). */
  ownHeader?: SignedHeader;
  certificates?: { certificate: Certificate; digest: Uint8Array }[];
  batches?: { key: BatchKey; batch: Batch }[];
  /** Stored batches to file under a later round (a certificate of that round references them). */
  refiled?: { key: BatchKey; round: number }[];
  /** Committed leaders with the certificates each ordered: never output twice. */
  commits?: { record: CommitRecord; rounds: number[] }[];
  evidence?: { round: number; author: number; evidence: EquivocationEvidence }[];
  /** Certificates to mark committed without a commit record of their own (a checkpoint's). */
  committed?: { round: number; digest: Uint8Array }[];
  /**
   * Delete certificates, batches, own headers, committed markers and commit records at or below
   * (what was stored before this write: the write's own puts stay).
   */
  gcRound?: number;
  /** fsync before the write counts as done (votes, own headers, commits). */
  sync?: boolean;
}

/** Everything a restarting validator rebuilds its state from. */
export interface RecoveredState {
  votes: Map<number, VoteRecord>;
  /** Own headers above the gc round, ascending by round. */
  ownHeaders: SignedHeader[];
  /** Certificates above the gc round, ascending by round (parents first). */
  certificates: { certificate: Certificate; digest: Uint8Array }[];
  /** The last commit record, if anything was committed. */
  lastCommit: CommitRecord | undefined;
  /** Committed certificates above the gc round. */
  committed: { round: number; digest: Uint8Array }[];
  /** Batches held, by key (contents are read on demand). */
  batches: BatchKey[];
  /** The gc round the store last pruned at. */
  gcRound: number;
}

/**
 * The consensus store. `write` calls are applied in call order; the core never issues a write
 * before the previous one resolved, and never sends what a write protects before it resolved.
 */
export interface ConsensusStore {
  load(): Promise<RecoveredState>;
  write(write: ConsensusWrite): MaybePromise<void>;
  getBatches(keys: BatchKey[]): MaybePromise<(Batch | undefined)[]>;
  getCertificates(digests: Uint8Array[]): MaybePromise<(Certificate | undefined)[]>;
  getCommit(index: number): MaybePromise<CommitRecord | undefined>;
  evidence(): Promise<EquivocationEvidence[]>;
}
