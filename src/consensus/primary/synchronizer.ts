import type { SignedHeader } from "../../types/consensus.js";
import { MAX_SYNC_DIGESTS } from "../../types/consensusMessages.js";
import type { Timer } from "../clock.js";
import {
  COMMITTED_BATCH_AUTHOR_ATTEMPTS,
  COMMITTED_BATCH_RETRY_MS,
  FETCH_RETRY_MS,
  MAX_CERTIFICATE_ROUNDS_AHEAD,
  MAX_FETCH_ATTEMPTS,
  MAX_OUTSTANDING_FETCHES,
  RANGE_SYNC_TIMEOUT_MS,
  SUSPENDED_CERTIFICATES_PER_AUTHORITY,
  SUSPENDED_HEADERS_PER_AUTHORITY,
  SYNC_RANGE_ROUNDS,
} from "../constants.js";
import type { CoreContext } from "../context.js";
import type { Dag, Vertex } from "../dag.js";
import { type DigestKey, digestOfKey } from "../digest.js";
import { MessageKind } from "../messages.js";

/** A verified header waiting for parents or batches before we can vote on it. */
export interface PendingHeader {
  readonly signed: SignedHeader;
  readonly digest: Uint8Array;
  readonly key: DigestKey;
  readonly from: number;
}

interface Waiting<T> {
  item: T;
  missing: Set<DigestKey>;
}

/** How one kind of fetch asks, and when it gives up. */
interface FetchPolicy {
  readonly kind: MessageKind.CertificatesRequest | MessageKind.BatchesRequest;
  readonly retryMs: number;
  /** Requests sent before giving up. */
  readonly maxAttempts: number;
  /** Whether its digests count against MAX_OUTSTANDING_FETCHES. */
  readonly bounded: boolean;
  /** The peers asked at attempt `attempt` (from 0) of a fetch first addressed to `firstPeer`. */
  peers(firstPeer: number, attempt: number): number[];
}

interface FetchGroup {
  policy: FetchPolicy;
  keys: DigestKey[];
  firstPeer: number;
  attempts: number;
  timer: Timer | null;
}

/**
 * Holds what cannot be processed yet and fetches what it waits for. Certificates wait for their
 * parents (so the DAG stays causally complete), headers for their parents and batches. Missing
 * items are requested from the peer that referenced them, then from the others in turn, until a
 * few attempts failed (the item is fetched again when something references it again). Batches of
 * committed sub-DAGs (the subscriber's) are fetched the same way, but sooner, from every peer
 * after their author, and until they arrive. A validator that sees certificates far ahead of its
 * DAG catches up by round range instead of buffering. Everything held here is bounded per
 * committee member.
 */
export class Synchronizer {
  private readonly certificates = new Map<DigestKey, Waiting<Vertex>>();
  private readonly headers = new Map<DigestKey, Waiting<PendingHeader>>();
  /** Missing digest → keys of the items waiting for it. */
  private readonly waiters = new Map<DigestKey, Set<DigestKey>>();
  private readonly certificatesPerAuthor = new Map<number, number>();
  private readonly headersPerAuthor = new Map<number, number>();
  private readonly inFlight = new Map<DigestKey, FetchGroup>();
  /** Batches committed sub-DAGs lack: fetched until they arrive. */
  private readonly committedWanted = new Set<DigestKey>();
  private readonly parentsFetch: FetchPolicy;
  private readonly headerBatchesFetch: FetchPolicy;
  private readonly committedBatchesFetch: FetchPolicy;
  private range: { peer: number; startHighest: number; timer: Timer } | null = null;
  private catchUpTarget = 0;
  private nextRangePeer = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly dag: Dag,
    private readonly hasBatch: (key: DigestKey) => boolean,
  ) {
    const n = ctx.committee.size;
    const self = ctx.self;
    const nextPeer = (firstPeer: number, attempt: number): number[] => {
      const peer = (firstPeer + attempt) % n;
      return [peer === self ? (peer + 1) % n : peer];
    };
    const others = Array.from({ length: n }, (_, i) => i).filter((i) => i !== self);
    const suspended = {
      retryMs: FETCH_RETRY_MS,
      maxAttempts: MAX_FETCH_ATTEMPTS,
      bounded: true,
      peers: nextPeer,
    };
    this.parentsFetch = { kind: MessageKind.CertificatesRequest, ...suspended };
    this.headerBatchesFetch = { kind: MessageKind.BatchesRequest, ...suspended };
    this.committedBatchesFetch = {
      kind: MessageKind.BatchesRequest,
      retryMs: COMMITTED_BATCH_RETRY_MS,
      maxAttempts: Number.POSITIVE_INFINITY,
      // Bounded by the subscriber, which asks for one sub-DAG's batches at a time.
      bounded: false,
      peers: (author, attempt) =>
        attempt < COMMITTED_BATCH_AUTHOR_ATTEMPTS && author !== self ? [author] : others,
    };
  }

  get suspendedCertificates(): number {
    return this.certificates.size;
  }

  isSuspended(key: DigestKey): boolean {
    return this.certificates.has(key);
  }

  /** Holds a certificate until `missing` parents arrive; false when its author's quota is full. */
  suspendCertificate(vertex: Vertex, missing: DigestKey[], from: number): boolean {
    const count = this.certificatesPerAuthor.get(vertex.author) ?? 0;
    if (count >= SUSPENDED_CERTIFICATES_PER_AUTHORITY) return false;
    this.certificatesPerAuthor.set(vertex.author, count + 1);
    this.certificates.set(vertex.key, { item: vertex, missing: new Set(missing) });
    for (const m of missing) this.wait(m, vertex.key);
    this.fetch(this.parentsFetch, missing, from);
    return true;
  }

  /** Holds a header until its missing parents and batches arrive; false when the author's quota is full. */
  suspendHeader(header: PendingHeader, missingParents: DigestKey[], missingBatches: DigestKey[]): boolean {
    if (this.headers.has(header.key)) return true;
    const author = header.signed.header.author;
    const count = this.headersPerAuthor.get(author) ?? 0;
    if (count >= SUSPENDED_HEADERS_PER_AUTHORITY) return false;
    this.headersPerAuthor.set(author, count + 1);
    this.headers.set(header.key, { item: header, missing: new Set([...missingParents, ...missingBatches]) });
    for (const m of [...missingParents, ...missingBatches]) this.wait(m, header.key);
    if (missingParents.length > 0) this.fetch(this.parentsFetch, missingParents, header.from);
    if (missingBatches.length > 0) this.fetch(this.headerBatchesFetch, missingBatches, author);
    return true;
  }

  /**
   * Fetches batches of committed sub-DAGs this validator lacks, each from its header's author
   * first, until they arrive (the worker reports arrivals) or the synchronizer stops.
   */
  fetchCommittedBatches(wanted: readonly { key: DigestKey; author: number }[]): void {
    const byAuthor = new Map<number, DigestKey[]>();
    for (const { key, author } of wanted) {
      // Held already: its write is under way, and the worker reports it once stored.
      if (this.hasBatch(key)) continue;
      this.committedWanted.add(key);
      const keys = byAuthor.get(author);
      if (keys === undefined) byAuthor.set(author, [key]);
      else keys.push(key);
    }
    for (const [author, keys] of byAuthor) this.fetch(this.committedBatchesFetch, keys, author);
  }

  /**
   * A certificate or batch arrived: returns the suspended certificates and headers it completed.
   * Their other dependencies are all present, so the caller can process them right away.
   */
  arrived(key: DigestKey): { certificates: Vertex[]; headers: PendingHeader[] } {
    const done = { certificates: [] as Vertex[], headers: [] as PendingHeader[] };
    this.committedWanted.delete(key);
    const waiting = this.waiters.get(key);
    if (waiting === undefined) return done;
    this.waiters.delete(key);
    for (const w of waiting) {
      const cert = this.certificates.get(w);
      if (cert !== undefined) {
        cert.missing.delete(key);
        if (cert.missing.size === 0) {
          this.releaseCertificate(cert.item);
          done.certificates.push(cert.item);
        }
        continue;
      }
      const header = this.headers.get(w);
      if (header !== undefined) {
        header.missing.delete(key);
        if (header.missing.size === 0) {
          this.releaseHeader(header.item);
          done.headers.push(header.item);
        }
      }
    }
    return done;
  }

  /**
   * A peer showed us a round far ahead of our DAG: ask it (then others, in turn) for the rounds
   * after ours, one range at a time.
   */
  catchUp(peer: number, round: number): void {
    if (round > this.catchUpTarget) this.catchUpTarget = round;
    if (this.range !== null || this.dag.highestRound >= this.catchUpTarget) return;
    const target = peer === this.ctx.self ? this.nextRangePeer++ % this.ctx.committee.size : peer;
    if (target === this.ctx.self) return;
    const fromRound = Math.max(this.dag.highestRound, this.dag.gcRound) + 1;
    const toRound = Math.min(this.catchUpTarget, fromRound + SYNC_RANGE_ROUNDS - 1);
    const timer = this.ctx.clock.setTimer(RANGE_SYNC_TIMEOUT_MS, () => {
      this.range = null;
      // Nobody answered usefully: try the next peer.
      this.catchUp(this.ctx.self, this.catchUpTarget);
    });
    this.range = { peer: target, startHighest: this.dag.highestRound, timer };
    this.ctx.outbox.send(target, { kind: MessageKind.CertificateRangeRequest, body: { fromRound, toRound } });
  }

  /** A sync response from `peer` was processed: continue catching up if it helped and we are still behind. */
  responseProcessed(peer: number): void {
    const range = this.range;
    if (range === null || range.peer !== peer) return;
    if (this.dag.highestRound <= range.startHighest) return;
    range.timer.cancel();
    this.range = null;
    if (this.dag.highestRound + MAX_CERTIFICATE_ROUNDS_AHEAD < this.catchUpTarget)
      this.catchUp(peer, this.catchUpTarget);
  }

  /** Drops everything waiting at or below the gc round. */
  prune(gcRound: number): void {
    for (const [, w] of this.certificates) if (w.item.round <= gcRound) this.releaseCertificate(w.item);
    for (const [, w] of this.headers) if (w.item.signed.header.round <= gcRound) this.releaseHeader(w.item);
  }

  stop(): void {
    for (const group of this.inFlight.values()) group.timer?.cancel();
    this.inFlight.clear();
    this.committedWanted.clear();
    this.range?.timer.cancel();
    this.range = null;
  }

  private wait(missing: DigestKey, waiter: DigestKey): void {
    let set = this.waiters.get(missing);
    if (set === undefined) {
      set = new Set();
      this.waiters.set(missing, set);
    }
    set.add(waiter);
  }

  private releaseCertificate(v: Vertex): void {
    if (!this.certificates.delete(v.key)) return;
    this.certificatesPerAuthor.set(v.author, (this.certificatesPerAuthor.get(v.author) ?? 1) - 1);
  }

  private releaseHeader(h: PendingHeader): void {
    if (!this.headers.delete(h.key)) return;
    const author = h.signed.header.author;
    this.headersPerAuthor.set(author, (this.headersPerAuthor.get(author) ?? 1) - 1);
  }

  private fetch(policy: FetchPolicy, keys: DigestKey[], peer: number): void {
    // A digest already fetched at least as persistently is left to that fetch; a more persistent
    // one (committed batches) takes it over, so it is not given up on.
    const fresh = keys.filter((k) => {
      const current = this.inFlight.get(k);
      return current === undefined || current.policy.maxAttempts < policy.maxAttempts;
    });
    if (fresh.length === 0 || (policy.bounded && this.inFlight.size + fresh.length > MAX_OUTSTANDING_FETCHES))
      return;
    const group: FetchGroup = { policy, keys: fresh, firstPeer: peer, attempts: 0, timer: null };
    for (const k of fresh) {
      const current = this.inFlight.get(k);
      if (current !== undefined) current.keys = current.keys.filter((x) => x !== k);
      this.inFlight.set(k, group);
    }
    this.request(group);
  }

  private stillMissing(group: FetchGroup): DigestKey[] {
    const certificates = group.policy.kind === MessageKind.CertificatesRequest;
    return group.keys.filter((k) => {
      const present = certificates ? this.dag.has(k) : this.hasBatch(k);
      return !present && (this.waiters.has(k) || this.committedWanted.has(k));
    });
  }

  private request(group: FetchGroup): void {
    const { policy } = group;
    const peers = policy.peers(group.firstPeer, group.attempts);
    group.attempts++;
    const digests = group.keys.map(digestOfKey);
    for (const peer of peers) {
      for (let i = 0; i < digests.length; i += MAX_SYNC_DIGESTS) {
        const body = { digests: digests.slice(i, i + MAX_SYNC_DIGESTS) };
        this.ctx.outbox.send(peer, { kind: policy.kind, body });
      }
    }
    group.timer = this.ctx.clock.setTimer(policy.retryMs, () => {
      group.timer = null;
      const missing = this.stillMissing(group);
      for (const k of group.keys) if (!missing.includes(k)) this.inFlight.delete(k);
      group.keys = missing;
      if (missing.length === 0) return;
      if (group.attempts >= policy.maxAttempts) {
        for (const k of missing) this.inFlight.delete(k);
        return;
      }
      this.request(group);
    });
  }
}
