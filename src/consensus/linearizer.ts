import type { BatchRef, Certificate } from "../types/consensus.js";
import type { CommitRecord } from "../types/consensusMessages.js";
import type { CommittedLeader } from "./bullshark.js";
import type { CoreContext } from "./context.js";

/** One committed leader as the chain consumes it: a block's worth of ordered certificates. */
export interface CommittedSubDag {
  /** Position in the commit sequence, from 0; consecutive across restarts. */
  readonly index: number;
  readonly leaderRound: number;
  readonly leader: Certificate;
  readonly leaderDigest: Uint8Array;
  /** Ordered by (round, author), parents before children, the leader last. */
  readonly certificates: readonly Certificate[];
  readonly digests: readonly Uint8Array[];
  /** The batches of those certificates, in certificate order. */
  readonly batches: readonly BatchRef[];
}

/** What the store keeps of one commit (so it is never output twice), with its certificates' rounds for gc. */
export interface StoredCommit {
  record: CommitRecord;
  rounds: number[];
}

/**
 * Turns the leaders Bullshark commits (each with its causal history, already ordered) into
 * committed sub-DAGs numbered in commit order, and the records that make them durable: the model
 * is Mysticeti's linearizer.rs. It owns the commit sequence; the core persists the records and
 * hands the sub-DAGs on once they are durable.
 */
export class Linearizer {
  /** Index the next committed sub-DAG gets. */
  nextCommitIndex = 0;
  /** Digest of the last committed leader (undefined before the first commit). */
  lastCommitLeader: Uint8Array | undefined;

  constructor(private readonly ctx: CoreContext) {}

  /** Continues the sequence after the store's last commit. */
  restore(lastCommit: CommitRecord | undefined): void {
    if (lastCommit === undefined) return;
    this.nextCommitIndex = lastCommit.index + 1;
    this.lastCommitLeader = lastCommit.leader;
  }

  /** The sub-DAGs of `commits`, in order, and their commit records. */
  linearize(commits: readonly CommittedLeader[]): { subDags: CommittedSubDag[]; stored: StoredCommit[] } {
    const now = this.ctx.clock.now();
    const metrics = this.ctx.metrics;
    const subDags: CommittedSubDag[] = [];
    const stored: StoredCommit[] = [];
    for (const { leader, vertices } of commits) {
      const certificates = vertices.map((v) => v.certificate);
      const digests = vertices.map((v) => v.digest);
      const subDag = subDagOf(this.nextCommitIndex++, leader.digest, certificates, digests);
      subDags.push(subDag);
      this.lastCommitLeader = leader.digest;
      stored.push({
        record: {
          index: subDag.index,
          leaderRound: leader.round,
          leader: leader.digest,
          certificates: [...subDag.digests],
        },
        rounds: vertices.map((v) => v.round),
      });
      if (metrics) {
        metrics.committedLeaders.inc();
        metrics.committedCertificates.inc(vertices.length);
        metrics.committedRound.set(leader.round);
        metrics.commitLatency.observe(Math.max(0, now - leader.certificate.header.createdAt) / 1000);
      }
    }
    return { subDags, stored };
  }
}

/** A stored commit as a sub-DAG again (replay): `certificates` are the record's, in its order. */
export function subDagOfRecord(record: CommitRecord, certificates: readonly Certificate[]): CommittedSubDag {
  return subDagOf(record.index, record.leader, certificates, record.certificates);
}

/** The one place a sub-DAG is assembled: the leader closes `certificates`. */
function subDagOf(
  index: number,
  leaderDigest: Uint8Array,
  certificates: readonly Certificate[],
  digests: readonly Uint8Array[],
): CommittedSubDag {
  const leader = certificates.at(-1)!;
  return {
    index,
    leaderRound: leader.header.round,
    leader,
    leaderDigest,
    certificates,
    digests,
    batches: certificates.flatMap((c) => c.header.payload),
  };
}
