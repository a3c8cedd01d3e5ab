import type { Batch, Certificate, SignedHeader } from "../../types/consensus.js";
import type { CommitRecord, EquivocationEvidence, VoteRecord } from "../../types/consensusMessages.js";
import { type DigestKey, digestKey, digestOfKey } from "../digest.js";
import type { BatchKey, ConsensusStore, ConsensusWrite, RecoveredState } from "./store.js";

/**
 * A store in memory that applies writes synchronously. It outlives the validator using it, so the
 * simulator "crashes" a validator by dropping it and restarts another over the same store.
 */
export class MemoryConsensusStore implements ConsensusStore {
  private readonly votes = new Map<number, VoteRecord>();
  private readonly ownHeaders = new Map<number, SignedHeader>();
  private readonly certificates = new Map<DigestKey, { certificate: Certificate; digest: Uint8Array }>();
  private readonly batches = new Map<DigestKey, { key: BatchKey; batch: Batch }>();
  private readonly commits = new Map<number, CommitRecord>();
  private readonly committed = new Map<DigestKey, number>();
  private readonly evidenceLog = new Map<string, EquivocationEvidence>();
  private gcRound = 0;
  writes = 0;

  async load(): Promise<RecoveredState> {
    const lastIndex = Math.max(-1, ...this.commits.keys());
    return {
      votes: new Map(this.votes),
      ownHeaders: [...this.ownHeaders.values()].sort((a, b) => a.header.round - b.header.round),
      certificates: [...this.certificates.values()].sort(
        (a, b) => a.certificate.header.round - b.certificate.header.round,
      ),
      lastCommit: this.commits.get(lastIndex),
      committed: [...this.committed].map(([key, round]) => ({ round, digest: digestOfKey(key) })),
      batches: [...this.batches.values()].map((b) => b.key),
      gcRound: this.gcRound,
    };
  }

  write(w: ConsensusWrite): void {
    this.writes++;
    // Pruning applies to what was stored before this write, as in the LevelDB store.
    if (w.gcRound !== undefined && w.gcRound > this.gcRound) this.prune(w.gcRound);
    if (w.vote !== undefined) this.votes.set(w.vote.author, w.vote.record);
    if (w.ownHeader !== undefined) this.ownHeaders.set(w.ownHeader.header.round, w.ownHeader);
    for (const c of w.certificates ?? []) this.certificates.set(digestKey(c.digest), c);
    for (const b of w.batches ?? []) this.batches.set(digestKey(b.key.digest), b);
    for (const { key, round } of w.refiled ?? []) {
      const stored = this.batches.get(digestKey(key.digest));
      if (stored !== undefined) stored.key = { round, digest: key.digest };
    }
    for (const { record, rounds } of w.commits ?? []) {
      this.commits.set(record.index, record);
      record.certificates.forEach((d, i) => {
        this.committed.set(digestKey(d), rounds[i] ?? 0);
      });
    }
    for (const c of w.committed ?? []) this.committed.set(digestKey(c.digest), c.round);
    for (const e of w.evidence ?? []) this.evidenceLog.set(`${e.round}/${e.author}`, e.evidence);
  }

  getBatches(keys: BatchKey[]): (Batch | undefined)[] {
    return keys.map((k) => this.batches.get(digestKey(k.digest))?.batch);
  }

  getCertificates(digests: Uint8Array[]): (Certificate | undefined)[] {
    return digests.map((d) => this.certificates.get(digestKey(d))?.certificate);
  }

  getCommit(index: number): CommitRecord | undefined {
    return this.commits.get(index);
  }

  async evidence(): Promise<EquivocationEvidence[]> {
    return [...this.evidenceLog.values()];
  }

  private prune(gcRound: number): void {
    this.gcRound = gcRound;
    for (const [round] of this.ownHeaders) if (round <= gcRound) this.ownHeaders.delete(round);
    for (const [key, c] of this.certificates)
      if (c.certificate.header.round <= gcRound) this.certificates.delete(key);
    for (const [key, b] of this.batches) if (b.key.round <= gcRound) this.batches.delete(key);
    for (const [key, round] of this.committed) if (round <= gcRound) this.committed.delete(key);
    for (const [index, record] of this.commits) if (record.leaderRound <= gcRound) this.commits.delete(index);
  }
}
