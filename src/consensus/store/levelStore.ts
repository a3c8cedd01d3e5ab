import { Bucket } from "../../state/db/buckets.js";
import type { Database, Repository } from "../../state/db/database.js";
import { readU64Key, u16Key, u64Key } from "../../state/db/keys.js";
import { Batch, Certificate, SignedHeader } from "../../types/consensus.js";
import { CommitRecord, EquivocationEvidence, Marker, VoteRecord } from "../../types/consensusMessages.js";
import { Digest } from "../../types/primitives.js";
import { concatBytes } from "../../util/bytes.js";
import type { BatchKey, ConsensusStore, ConsensusWrite, RecoveredState } from "./store.js";

/** round ‖ suffix: keeps a bucket in round order, so gc is one range delete. */
function roundKey(round: number, suffix: Uint8Array): Uint8Array {
  return concatBytes(u64Key(round), suffix);
}

/**
 * The consensus store over the node's LevelDB (buckets 1-9, see src/state/db/buckets.ts). Each
 * `write` is one atomic batch; votes, own headers and commits are written with fsync.
 */
export class LevelConsensusStore implements ConsensusStore {
  private readonly votes: Repository<VoteRecord>;
  private readonly certificates: Repository<Certificate>;
  private readonly certificatesByRound: Repository<Uint8Array>;
  private readonly batches: Repository<Batch>;
  private readonly ownHeaders: Repository<SignedHeader>;
  private readonly commits: Repository<CommitRecord>;
  private readonly evidenceRepo: Repository<EquivocationEvidence>;
  private readonly committed: Repository<number>;
  private readonly meta: Repository<number>;

  constructor(private readonly db: Database) {
    this.votes = db.repository(Bucket.ConsensusVotes, VoteRecord);
    this.certificates = db.repository(Bucket.ConsensusCertificates, Certificate);
    this.certificatesByRound = db.repository(Bucket.ConsensusCertificatesByRound, Digest);
    this.batches = db.repository(Bucket.ConsensusBatches, Batch);
    this.ownHeaders = db.repository(Bucket.ConsensusOwnHeaders, SignedHeader);
    this.commits = db.repository(Bucket.ConsensusCommitState, CommitRecord);
    this.evidenceRepo = db.repository(Bucket.ConsensusEvidence, EquivocationEvidence);
    this.committed = db.repository(Bucket.ConsensusCommitted, Marker);
    this.meta = db.repository(Bucket.ConsensusGcRound, Marker);
  }

  async load(): Promise<RecoveredState> {
    const votes = new Map<number, VoteRecord>();
    for await (const [key, record] of this.votes.entries()) votes.set((key[0]! << 8) | key[1]!, record);
    const ownHeaders: SignedHeader[] = [];
    for await (const [, h] of this.ownHeaders.entries()) ownHeaders.push(h);
    const digests: Uint8Array[] = [];
    for await (const [, d] of this.certificatesByRound.entries()) digests.push(d);
    const stored = await this.certificates.getMany(digests);
    const certificates = stored.flatMap((certificate, i) =>
      certificate === undefined ? [] : [{ certificate, digest: digests[i]! }],
    );
    let lastCommit: CommitRecord | undefined;
    for await (const [, record] of this.commits.entries({ reverse: true, limit: 1 })) lastCommit = record;
    const committed: { round: number; digest: Uint8Array }[] = [];
    for await (const key of this.committed.keys()) {
      committed.push({ round: readU64Key(key), digest: key.slice(8) });
    }
    const batches: BatchKey[] = [];
    for await (const key of this.batches.keys())
      batches.push({ round: readU64Key(key), digest: key.slice(8) });
    let gcRound = 0;
    for await (const key of this.meta.keys()) gcRound = readU64Key(key);
    return { votes, ownHeaders, certificates, lastCommit, committed, batches, gcRound };
  }

  async write(w: ConsensusWrite): Promise<void> {
    const batch = this.db.batch();
    // Pruning first: it deletes what was stored before, and the write's own puts stay.
    if (w.gcRound !== undefined) await this.addPruning(batch, w.gcRound);
    if (w.vote !== undefined) batch.put(this.votes, u16Key(w.vote.author), w.vote.record);
    if (w.ownHeader !== undefined) batch.put(this.ownHeaders, u64Key(w.ownHeader.header.round), w.ownHeader);
    for (const { certificate, digest } of w.certificates ?? []) {
      batch.put(this.certificates, digest, certificate);
      batch.put(
        this.certificatesByRound,
        roundKey(certificate.header.round, u16Key(certificate.header.author)),
        digest,
      );
    }
    for (const b of w.batches ?? []) batch.put(this.batches, roundKey(b.key.round, b.key.digest), b.batch);
    for (const { key, round } of w.refiled ?? []) {
      const from = roundKey(key.round, key.digest);
      // Read before this write applies (its pruning may delete the old row): the batch moves intact.
      const stored = await this.batches.get(from);
      if (stored === undefined) continue;
      batch.delete(this.batches, from);
      batch.put(this.batches, roundKey(round, key.digest), stored);
    }
    for (const { record, rounds } of w.commits ?? []) {
      batch.put(this.commits, u64Key(record.index), record);
      record.certificates.forEach((d, i) => {
        batch.put(this.committed, roundKey(rounds[i] ?? 0, d), 0);
      });
    }
    for (const c of w.committed ?? []) batch.put(this.committed, roundKey(c.round, c.digest), 0);
    for (const e of w.evidence ?? [])
      batch.put(this.evidenceRepo, roundKey(e.round, u16Key(e.author)), e.evidence);
    await batch.write({ sync: w.sync ?? false });
  }

  async getBatches(keys: BatchKey[]): Promise<(Batch | undefined)[]> {
    return this.batches.getMany(keys.map((k) => roundKey(k.round, k.digest)));
  }

  async getCertificates(digests: Uint8Array[]): Promise<(Certificate | undefined)[]> {
    return this.certificates.getMany(digests);
  }

  async getCommit(index: number): Promise<CommitRecord | undefined> {
    return this.commits.get(u64Key(index));
  }

  async evidence(): Promise<EquivocationEvidence[]> {
    const out: EquivocationEvidence[] = [];
    for await (const [, e] of this.evidenceRepo.entries()) out.push(e);
    return out;
  }

  /** Adds the deletions of everything at or below `gcRound` to `batch` (evidence is kept). */
  private async addPruning(batch: ReturnType<Database["batch"]>, gcRound: number): Promise<void> {
    const below = { lt: u64Key(gcRound + 1) };
    for await (const [key, digest] of this.certificatesByRound.entries(below)) {
      batch.delete(this.certificatesByRound, key);
      batch.delete(this.certificates, digest);
    }
    for await (const key of this.batches.keys(below)) batch.delete(this.batches, key);
    for await (const key of this.ownHeaders.keys(below)) batch.delete(this.ownHeaders, key);
    for await (const key of this.committed.keys(below)) batch.delete(this.committed, key);
    // Commit records are keyed by index; leader rounds grow with the index, so stop at the first kept one.
    for await (const [key, record] of this.commits.entries()) {
      if (record.leaderRound > gcRound) break;
      batch.delete(this.commits, key);
    }
    for await (const key of this.meta.keys()) batch.delete(this.meta, key);
    batch.put(this.meta, u64Key(gcRound), 0);
  }
}
