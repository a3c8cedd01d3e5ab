import { sign } from "../../crypto/ed25519.js";
import type { BatchRef, Certificate, SignedHeader, Vote } from "../../types/consensus.js";
import type {
  CertificateRangeRequest,
  CertificatesRequest,
  CertificatesResponse,
  VoteRecord,
} from "../../types/consensusMessages.js";
import { MAX_SYNC_CERTIFICATES } from "../../types/consensusMessages.js";
import { headerDigest } from "../../types/signing.js";
import { bytesEqual } from "../../util/bytes.js";
import { Bullshark, type BullsharkState, type CommittedLeader } from "../bullshark.js";
import {
  MAX_CERTIFICATE_ROUNDS_AHEAD,
  MAX_HEADER_ROUNDS_AHEAD,
  ORPHAN_AFTER_ROUNDS,
  SYNC_RANGE_ROUNDS,
} from "../constants.js";
import type { CoreContext } from "../context.js";
import { Dag, type Vertex, vertexOf } from "../dag.js";
import { type DigestKey, digestKey } from "../digest.js";
import { DropReason } from "../dropReason.js";
import { type CommittedSubDag, Linearizer } from "../linearizer.js";
import { MessageKind } from "../messages.js";
import type { RecoveredState } from "../store/store.js";
import type { Worker } from "../worker/worker.js";
import { VoteAggregator } from "./aggregator.js";
import { type PendingHeader, Synchronizer } from "./synchronizer.js";
import {
  checkCertificateVotes,
  checkHeaderShape,
  headerSigningMessage,
  parentsValid,
  voteSigningMessage,
} from "./validation.js";

export interface CoreHooks {
  /** A certificate entered the DAG (the proposer may advance). */
  certificateAccepted(vertex: Vertex): void;
  /** Leaders committed and durably recorded, in order. */
  committed(subDags: CommittedSubDag[]): void;
  /** Batches of own certificates no leader will commit (see ORPHAN_AFTER_ROUNDS). */
  orphaned(batches: BatchRef[]): void;
}

/**
 * The primary's state machine: validates headers and votes for them (once per author and round,
 * persisted first), aggregates votes for its own header into a certificate, admits certificates into
 * the DAG once their ancestry is complete, runs Bullshark on every new certificate (the linearizer
 * turns what it commits into sub-DAGs, persisted before they go out), and prunes below the gc
 * round. Every handler is synchronous; side effects go through the outbox in order.
 */
export class Core {
  readonly dag = new Dag();
  readonly bullshark: Bullshark;
  readonly sync: Synchronizer;
  readonly linearizer: Linearizer;
  private readonly bullsharkState: BullsharkState = { lastCommittedRound: 0, committed: new Map() };
  private readonly lastVoted = new Map<number, VoteRecord>();
  /** First verified header per (round, author): the reference for equivocation. */
  private readonly seen = new Map<number, Map<number, { signed: SignedHeader; key: DigestKey }>>();
  private readonly evidenceRecorded = new Set<string>();
  private restoring = false;
  aggregator: VoteAggregator | null = null;
  hooks: CoreHooks = {
    certificateAccepted: () => undefined,
    committed: () => undefined,
    orphaned: () => undefined,
  };
  /** Rounds up to here were checked for orphaned own certificates. */
  private orphanCheckedRound = 0;
  /** Highest round of an accepted certificate, for the sync-target metric. */
  private highestAcceptedRound = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly worker: Worker,
  ) {
    this.bullshark = new Bullshark(ctx.committee, this.dag, ctx.params.gcDepth, this.bullsharkState);
    this.sync = new Synchronizer(ctx, this.dag, (key) => worker.has(key));
    this.linearizer = new Linearizer(ctx);
  }

  /** Committed certificates above the gc round, by digest, with their round (Bullshark's memory). */
  get committedCertificates(): ReadonlyMap<DigestKey, number> {
    return this.bullsharkState.committed;
  }

  /** Rebuilds votes, commit state and the DAG from the store (commits that were not yet recorded happen now). */
  restore(state: RecoveredState): void {
    for (const [author, record] of state.votes) this.lastVoted.set(author, record);
    this.linearizer.restore(state.lastCommit);
    if (state.lastCommit !== undefined) this.bullsharkState.lastCommittedRound = state.lastCommit.leaderRound;
    for (const c of state.committed) this.bullsharkState.committed.set(digestKey(c.digest), c.round);
    // Orphans from before a restart are not reported: the restarted pool releases its transactions anyway.
    this.orphanCheckedRound = Math.max(0, this.bullsharkState.lastCommittedRound - ORPHAN_AFTER_ROUNDS);
    this.dag.prune(Math.max(state.gcRound, this.bullshark.gcRound));
    this.restoring = true;
    try {
      for (const { certificate, digest } of state.certificates) {
        const v = vertexOf(certificate, digest);
        if (this.dag.missingParents(v).length === 0) this.accept(v);
      }
    } finally {
      this.restoring = false;
    }
  }

  // ---- headers and votes ----

  /** Our own new header: persist it, broadcast it, vote for it. */
  proposeOwn(signed: SignedHeader, digest: Uint8Array): void {
    this.aggregator = new VoteAggregator(signed, digest, this.ctx.committee);
    this.ctx.outbox.write({ ownHeader: signed, sync: true });
    this.ctx.outbox.broadcast({ kind: MessageKind.Header, body: signed });
    this.onHeader(this.ctx.self, signed, digest);
  }

  /** Resumes collecting votes for an own header recovered after a restart. */
  resumeOwn(signed: SignedHeader): void {
    const digest = headerDigest(signed.header);
    if (this.dag.has(digestKey(digest))) return;
    this.aggregator = new VoteAggregator(signed, digest, this.ctx.committee);
    this.onHeader(this.ctx.self, signed, digest);
  }

  onHeader(from: number, signed: SignedHeader, ownDigest?: Uint8Array): void {
    const h = signed.header;
    const own = ownDigest !== undefined;
    const shape = checkHeaderShape(h, this.ctx.committee);
    if (shape !== null) {
      this.ctx.drop(MessageKind.Header, shape);
      return;
    }
    if (h.author === this.ctx.self && !own) return; // our own header echoed back
    if (h.round <= this.dag.gcRound) {
      this.ctx.drop(MessageKind.Header, DropReason.TooOld);
      return;
    }
    if (h.round > this.dag.highestRound + MAX_HEADER_ROUNDS_AHEAD) {
      // Only certificates (quorum-signed) make us catch up: one author alone could fake any round.
      this.ctx.drop(MessageKind.Header, DropReason.TooFarAhead);
      return;
    }
    const digest = ownDigest ?? headerDigest(h);
    const key = digestKey(digest);
    const voted = this.lastVoted.get(h.author);
    if (!own && voted !== undefined && voted.round === h.round && bytesEqual(voted.headerDigest, digest)) {
      // A resend of the header we voted for (maybe before a restart): the author may have lost our vote.
      this.sendVote(h.author, h.round, digest);
      return;
    }
    const first = this.seen.get(h.round)?.get(h.author);
    if (first !== undefined) {
      if (first.key === key) return;
      if (!this.verifyHeader(signed, digest)) {
        this.ctx.drop(MessageKind.Header, DropReason.BadSignature);
        return;
      }
      this.recordEquivocation(first.signed, signed);
      this.ctx.drop(MessageKind.Header, DropReason.Equivocation);
      return;
    }
    if (!own && !this.verifyHeader(signed, digest)) {
      this.ctx.drop(MessageKind.Header, DropReason.BadSignature);
      return;
    }
    let slot = this.seen.get(h.round);
    if (slot === undefined) {
      slot = new Map();
      this.seen.set(h.round, slot);
    }
    slot.set(h.author, { signed, key });
    this.processHeader({ signed, digest, key, from });
  }

  onVote(from: number, vote: Vote): void {
    if (!this.ctx.committee.isMember(vote.voter) || vote.voter !== from) {
      this.ctx.drop(MessageKind.Vote, DropReason.UnknownAuthor);
      return;
    }
    const agg = this.aggregator;
    if (vote.origin !== this.ctx.self || agg === null || !bytesEqual(vote.headerDigest, agg.digest)) {
      // A late vote for one of our earlier headers is normal; anything else names a header we never made.
      if (agg !== null && vote.origin === this.ctx.self && vote.round < agg.round) return;
      this.ctx.drop(MessageKind.Vote, DropReason.UnknownHeader);
      return;
    }
    if (agg.certificate !== null || agg.has(vote.voter)) return;
    if (
      from !== this.ctx.self &&
      !this.ctx.verifier.verify(
        this.ctx.committee.publicKey(vote.voter),
        voteSigningMessage(this.ctx.chainId, agg.digest),
        vote.signature,
      )
    ) {
      this.ctx.drop(MessageKind.Vote, DropReason.BadSignature);
      return;
    }
    const certificate = agg.add(vote.voter, vote.signature);
    if (certificate === null) return;
    this.ctx.outbox.broadcast({ kind: MessageKind.Certificate, body: certificate });
    // We checked every vote in it ourselves: no need to verify it again.
    this.accept(vertexOf(certificate, agg.digest));
  }

  // ---- certificates ----

  onCertificate(from: number, certificate: Certificate): void {
    const h = certificate.header;
    const shape = checkHeaderShape(h, this.ctx.committee);
    if (shape !== null) {
      this.ctx.drop(
        MessageKind.Certificate,
        shape === DropReason.InvalidHeader ? DropReason.InvalidCertificate : shape,
      );
      return;
    }
    if (h.round <= this.dag.gcRound) return;
    const digest = headerDigest(h);
    const key = digestKey(digest);
    if (this.dag.has(key) || this.sync.isSuspended(key)) return;
    if (this.dag.at(h.round, h.author) !== undefined) {
      this.ctx.drop(MessageKind.Certificate, DropReason.Equivocation);
      return;
    }
    const invalid = checkCertificateVotes(
      certificate,
      digest,
      this.ctx.committee,
      this.ctx.chainId,
      this.ctx.verifier,
    );
    if (invalid !== null) {
      this.ctx.drop(MessageKind.Certificate, invalid);
      return;
    }
    if (h.round > this.dag.highestRound + MAX_CERTIFICATE_ROUNDS_AHEAD) {
      // A valid quorum vouches for this round: we are behind, catch up by range instead of buffering.
      this.sync.catchUp(from, h.round);
      this.ctx.drop(MessageKind.Certificate, DropReason.TooFarAhead);
      return;
    }
    const vertex = vertexOf(certificate, digest);
    const missing = this.dag.missingParents(vertex);
    if (missing.length === 0) {
      this.accept(vertex);
      return;
    }
    if (!this.sync.suspendCertificate(vertex, missing, from)) {
      this.ctx.drop(MessageKind.Certificate, DropReason.Overloaded);
    }
  }

  onCertificatesRequest(from: number, request: CertificatesRequest): void {
    const found: Vertex[] = [];
    for (const d of request.digests) {
      const v = this.dag.get(digestKey(d));
      if (v !== undefined) found.push(v);
    }
    this.reply(from, found);
  }

  onRangeRequest(from: number, request: CertificateRangeRequest): void {
    const { fromRound, toRound } = request;
    if (fromRound > toRound || toRound - fromRound >= 2 * SYNC_RANGE_ROUNDS) {
      this.ctx.drop(MessageKind.CertificateRangeRequest, DropReason.BadRequest);
      return;
    }
    const found: Vertex[] = [];
    const last = Math.min(toRound, this.dag.highestRound);
    for (let r = Math.max(fromRound, this.dag.gcRound + 1); r <= last; r++) {
      for (const v of this.dag.round(r).values()) found.push(v);
    }
    this.reply(from, found);
  }

  onCertificatesResponse(from: number, response: CertificatesResponse): void {
    for (const c of response.certificates) this.onCertificate(from, c);
    this.sync.responseProcessed(from);
  }

  /** A batch became available: headers waiting only for it can be voted on. */
  batchArrived(key: DigestKey): void {
    for (const header of this.sync.arrived(key).headers) this.processHeader(header);
  }

  // ---- internals ----

  private reply(to: number, vertices: Vertex[]): void {
    if (vertices.length === 0) return;
    vertices.sort((a, b) => a.round - b.round || a.author - b.author);
    const certificates = vertices.slice(0, MAX_SYNC_CERTIFICATES).map((v) => v.certificate);
    this.ctx.outbox.send(to, { kind: MessageKind.CertificatesResponse, body: { certificates } });
  }

  private verifyHeader(signed: SignedHeader, digest: Uint8Array): boolean {
    return this.ctx.verifier.verify(
      this.ctx.committee.publicKey(signed.header.author),
      headerSigningMessage(this.ctx.chainId, digest),
      signed.signature,
    );
  }

  private processHeader(p: PendingHeader): void {
    const h = p.signed.header;
    if (h.round <= this.dag.gcRound) return;
    const checkParents = h.round - 1 > this.dag.gcRound;
    const missingParents = checkParents ? h.parents.map(digestKey).filter((k) => !this.dag.has(k)) : [];
    const missingBatches = h.payload.map((b) => digestKey(b.digest)).filter((k) => !this.worker.has(k));
    if (missingParents.length > 0 || missingBatches.length > 0) {
      if (!this.sync.suspendHeader(p, missingParents, missingBatches)) {
        this.ctx.drop(MessageKind.Header, DropReason.Overloaded);
      }
      return;
    }
    if (checkParents) {
      const parents = h.parents.map((d) => this.dag.get(digestKey(d))!);
      if (!parentsValid(h.round, parents, this.ctx.committee)) {
        this.ctx.drop(MessageKind.Header, DropReason.InvalidHeader);
        return;
      }
    }
    this.vote(h.author, h.round, p.digest);
  }

  /** Votes at most once per (author, round); the vote record is durable before the vote leaves. */
  private vote(author: number, round: number, digest: Uint8Array): void {
    const last = this.lastVoted.get(author);
    if (last !== undefined && last.round >= round) {
      if (last.round === round && bytesEqual(last.headerDigest, digest)) this.sendVote(author, round, digest);
      else
        this.ctx.drop(MessageKind.Header, last.round > round ? DropReason.TooOld : DropReason.Equivocation);
      return;
    }
    const record: VoteRecord = { round, headerDigest: digest };
    this.lastVoted.set(author, record);
    this.ctx.outbox.write({ vote: { author, record }, sync: true });
    this.sendVote(author, round, digest);
  }

  private sendVote(author: number, round: number, digest: Uint8Array): void {
    const vote: Vote = {
      headerDigest: digest,
      round,
      origin: author,
      voter: this.ctx.self,
      signature: sign(this.ctx.secretKey, voteSigningMessage(this.ctx.chainId, digest)),
    };
    if (author === this.ctx.self) this.ctx.outbox.after(() => this.onVote(this.ctx.self, vote));
    else this.ctx.outbox.send(author, { kind: MessageKind.Vote, body: vote });
  }

  private recordEquivocation(first: SignedHeader, second: SignedHeader): void {
    const { author, round } = second.header;
    const id = `${round}/${author}`;
    if (this.evidenceRecorded.has(id)) return;
    this.evidenceRecorded.add(id);
    this.ctx.outbox.write({ evidence: [{ round, author, evidence: { first, second } }] });
    this.ctx.metrics?.equivocations.inc();
  }

  private reportAccepted(round: number): void {
    const metrics = this.ctx.metrics;
    if (!metrics) return;
    metrics.certificates.inc();
    if (round > this.highestAcceptedRound) {
      this.highestAcceptedRound = round;
      metrics.highestCertifiedRound.set(round);
    }
  }

  /** Inserts causally complete certificates, then everything they unblock. */
  private accept(vertex: Vertex): void {
    const queue: Vertex[] = [vertex];
    while (queue.length > 0) {
      const v = queue.shift()!;
      if (this.dag.has(v.key)) continue;
      if (v.round - 1 > this.dag.gcRound) {
        const parents = v.parents.map((p) => this.dag.get(p)!);
        if (!parentsValid(v.round, parents, this.ctx.committee)) {
          this.ctx.drop(MessageKind.Certificate, DropReason.InvalidCertificate);
          continue;
        }
      }
      if (!this.dag.insert(v)) continue;
      this.worker.claim(v.certificate.header.payload, v.round);
      if (!this.restoring) {
        this.ctx.outbox.write({ certificates: [{ certificate: v.certificate, digest: v.digest }] });
      }
      this.reportAccepted(v.round);
      const commits = this.bullshark.process(v);
      if (commits.length > 0) this.commit(commits);
      this.hooks.certificateAccepted(v);
      const ready = this.sync.arrived(v.key);
      queue.push(...ready.certificates);
      for (const header of ready.headers) this.processHeader(header);
    }
  }

  private commit(commits: CommittedLeader[]): void {
    const { subDags, stored } = this.linearizer.linearize(commits);
    this.ctx.outbox.write({ commits: stored, sync: true });
    this.ctx.outbox.after(() => this.hooks.committed(subDags));
    this.reportOrphans();
    this.collectGarbage();
  }

  private reportOrphans(): void {
    const upTo = this.bullshark.lastCommittedRound - ORPHAN_AFTER_ROUNDS;
    const batches: BatchRef[] = [];
    for (let r = Math.max(this.orphanCheckedRound, this.dag.gcRound) + 1; r <= upTo; r++) {
      const own = this.dag.at(r, this.ctx.self);
      if (own !== undefined && !this.bullshark.isCommitted(own.key))
        batches.push(...own.certificate.header.payload);
    }
    this.orphanCheckedRound = Math.max(this.orphanCheckedRound, upTo);
    if (batches.length > 0) this.hooks.orphaned(batches);
  }

  private collectGarbage(): void {
    const gc = this.bullshark.gcRound;
    if (gc <= this.dag.gcRound) return;
    this.dag.prune(gc);
    this.bullshark.pruneCommitted();
    for (const round of this.seen.keys()) if (round <= gc) this.seen.delete(round);
    this.sync.prune(gc);
    this.worker.prune(gc);
    this.ctx.outbox.write({ gcRound: gc });
  }
}
