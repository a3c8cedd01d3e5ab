import type { Batch, BatchRef } from "../../types/consensus.js";
import type { BatchAck, BatchesRequest } from "../../types/consensusMessages.js";
import { MAX_BATCH_TXS, MAX_TX_BYTES } from "../../types/limits.js";
import { batchDigest } from "../../types/signing.js";
import type { Timer } from "../clock.js";
import {
  ADMISSION_EXPIRY_ROUNDS,
  BATCH_FILING_LEAD_ROUNDS,
  BATCH_RESEND_INTERVAL_MS,
  MAX_BATCHES_PER_AUTHOR,
  MAX_PENDING_BATCH_REFS,
} from "../constants.js";
import type { CoreContext } from "../context.js";
import { type DigestKey, digestKey } from "../digest.js";
import { DropReason } from "../dropReason.js";
import { MessageKind } from "../messages.js";
import type { BatchKey, ConsensusStore } from "../store/store.js";
import { type AdmissionStatus, AdmissionWindow } from "./admission.js";

/** Why a transaction was not accepted into a batch. */
export enum SubmitResult {
  Accepted = "accepted",
  /** Larger than a transaction may be. */
  TooLarge = "too_large",
  /**
   * Back-pressure: the worker's own uncommitted transactions fill its admission window (consensus
   * commits less than is offered), or it is not running. Retry later; nothing was queued.
   */
  Busy = "busy",
}

interface HeldBatch {
  round: number;
  /** Who gave it to us (its author for broadcasts, the responder for fetches): bounds what one peer can park here. */
  holder: number;
  /** A certificate in the DAG references it: it is kept until gc, outside the holder's allowance. */
  claimed: boolean;
}

/** An own batch whose transactions count against admission until a leader commits it. */
interface Uncommitted {
  bytes: number;
  /** When its first transaction was admitted. */
  admittedAt: number;
  /** The local round when it was sealed (it leaves the count ADMISSION_EXPIRY_ROUNDS later). */
  round: number;
}

interface OwnBatch {
  ref: BatchRef;
  /** Kept to send again to workers that have not acknowledged it. */
  batch: Batch;
  sealedAt: number;
  round: number;
  ackers: Set<number>;
  stake: number;
}

/**
 * The Narwhal worker of one validator (a single worker, id 0). It seals client transactions into
 * batches at `maxBatchBytes` or after `maxBatchDelayMs`, stores and broadcasts each, and hands its
 * digest to the primary once workers holding a quorum of stake acknowledged storing it — so any
 * header referencing it can be served by honest peers. It also stores and acknowledges peers'
 * batches and serves batch requests.
 */
export class Worker {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** When the first pending transaction was admitted. */
  private pendingSince = 0;
  private sealTimer: Timer | null = null;
  private resendTimer: Timer | null = null;
  private readonly held = new Map<DigestKey, HeldBatch>();
  private readonly heldPerPeer = new Map<number, number>();
  /** Referenced batches not held yet (fetched later), by the referencing certificate's round. */
  private readonly claimedAhead = new Map<DigestKey, number>();
  private readonly awaitingAcks = new Map<DigestKey, OwnBatch>();
  private readonly ready: BatchRef[] = [];
  private readonly admission: AdmissionWindow;
  /** Own sealed batches not committed yet, in seal order: what holds the admission window. */
  private readonly uncommitted = new Map<DigestKey, Uncommitted>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly store: ConsensusStore,
    /** The local round to file new batches under (gc removes them with their round). */
    private readonly localRound: () => number,
    /** Called when a batch becomes available (headers may be waiting for it). */
    private readonly onAvailable: (key: DigestKey) => void,
    /** Called when own batches become ready for a header (the proposer may stop waiting). */
    private readonly onReady: () => void = () => {},
    /** Called for each new batch, own (just sealed) or a peer's, once it is filed for storage. */
    private readonly onStored: (batch: Batch, digest: Uint8Array, own: boolean) => void = () => {},
  ) {
    this.admission = new AdmissionWindow(ctx.clock.now());
  }

  /** The admission window's state. */
  get admissionStatus(): AdmissionStatus {
    return this.admission.status();
  }

  /** Whether own batches wait for a header. */
  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /**
   * Batches a certificate in the DAG references: they no longer count against their holder's
   * allowance, which bounds only batches nobody referenced (what a flooding peer could park here).
   * Referenced batches are bounded by the DAG itself and leave at gc.
   */
  claim(refs: readonly BatchRef[], round: number): void {
    for (const ref of refs) {
      const key = digestKey(ref.digest);
      const held = this.held.get(key);
      if (held === undefined) {
        this.claimedAhead.set(key, Math.max(round, this.claimedAhead.get(key) ?? 0));
        continue;
      }
      if (!held.claimed) {
        held.claimed = true;
        this.heldPerPeer.set(held.holder, (this.heldPerPeer.get(held.holder) ?? 1) - 1);
      }
      // Claimed later than its filing lead covers: gc must not take it before this certificate.
      if (held.round < round) {
        this.ctx.outbox.write({ refiled: [{ key: { round: held.round, digest: ref.digest }, round }] });
        held.round = round;
      }
    }
  }

  /** Batches recovered from the store after a restart. */
  restore(batches: BatchKey[]): void {
    for (const b of batches) this.hold(digestKey(b.digest), b.round, this.ctx.self);
  }

  has(key: DigestKey): boolean {
    return this.held.has(key);
  }

  /** Where a held batch is stored, for reads. */
  keyOf(digest: Uint8Array): BatchKey | undefined {
    const held = this.held.get(digestKey(digest));
    return held === undefined ? undefined : { round: held.round, digest };
  }

  submit(transaction: Uint8Array): SubmitResult {
    if (transaction.length > MAX_TX_BYTES || transaction.length === 0) return SubmitResult.TooLarge;
    const now = this.ctx.clock.now();
    if (this.ready.length >= MAX_PENDING_BATCH_REFS || !this.admission.admit(transaction.length, now)) {
      return SubmitResult.Busy;
    }
    if (this.pending.length === 0) this.pendingSince = now;
    this.pending.push(transaction);
    this.pendingBytes += transaction.length;
    if (this.pendingBytes >= this.ctx.params.maxBatchBytes || this.pending.length >= MAX_BATCH_TXS) {
      this.seal();
    } else if (this.sealTimer === null) {
      this.sealTimer = this.ctx.clock.setTimer(this.ctx.params.maxBatchDelayMs, () => {
        this.sealTimer = null;
        this.seal();
      });
    }
    return SubmitResult.Accepted;
  }

  /**
   * Leaders committed these batches (any author's, in commit order): own ones free their room in
   * the admission window and count as progress. Own batches sealed ADMISSION_EXPIRY_ROUNDS ago and
   * still uncommitted leave the count too: they are lost, and holding their bytes would refuse
   * everything.
   */
  committed(refs: readonly BatchRef[]): void {
    if (this.uncommitted.size === 0) return;
    const now = this.ctx.clock.now();
    for (const ref of refs) {
      const key = digestKey(ref.digest);
      const own = this.uncommitted.get(key);
      if (own === undefined) continue;
      this.uncommitted.delete(key);
      this.admission.committed(own.bytes, own.admittedAt, now);
    }
    const expiredBelow = this.localRound() - ADMISSION_EXPIRY_ROUNDS;
    for (const [key, own] of this.uncommitted) {
      if (own.round >= expiredBelow) break; // in seal order: the rest are younger
      this.uncommitted.delete(key);
      this.admission.release(own.bytes);
    }
  }

  /** Own batches no leader will commit (their transactions are submitted again): they leave the count. */
  orphaned(refs: readonly BatchRef[]): void {
    for (const ref of refs) {
      const key = digestKey(ref.digest);
      const own = this.uncommitted.get(key);
      if (own === undefined) continue;
      this.uncommitted.delete(key);
      this.admission.release(own.bytes);
    }
  }

  /** Up to `max` batch references acknowledged by a quorum, for the next header. */
  takeReady(max: number): BatchRef[] {
    return this.ready.splice(0, max);
  }

  /** Puts back references a header took but never got certified, ahead of newer ones. */
  returnReady(refs: BatchRef[]): void {
    this.ready.unshift(...refs);
  }

  onBatch(from: number, batch: Batch): void {
    const size = batch.transactions.reduce((n, tx) => n + tx.length, 0);
    // A peer seals at maxBatchBytes, so a batch may exceed it by at most one transaction.
    if (size > this.ctx.params.maxBatchBytes + MAX_TX_BYTES) {
      this.ctx.drop(MessageKind.Batch, DropReason.Malformed);
      return;
    }
    const digest = batchDigest(batch);
    const key = digestKey(digest);
    if (!this.held.has(key)) {
      if (!this.claimedAhead.has(key) && (this.heldPerPeer.get(from) ?? 0) >= MAX_BATCHES_PER_AUTHOR) {
        this.ctx.drop(MessageKind.Batch, DropReason.Overloaded);
        return;
      }
      // Filed no lower than the certificate that already references it, if one does.
      const round = Math.max(this.filingRound(), this.claimedAhead.get(key) ?? 0);
      this.hold(key, round, from);
      this.ctx.outbox.write({ batches: [{ key: { round, digest }, batch }] });
      this.ctx.outbox.after(() => this.onAvailable(key));
      this.onStored(batch, digest, false);
    }
    this.ctx.outbox.send(from, { kind: MessageKind.BatchAck, body: { digest } });
  }

  onBatchAck(from: number, ack: BatchAck): void {
    const own = this.awaitingAcks.get(digestKey(ack.digest));
    if (own === undefined || own.ackers.has(from)) return;
    own.ackers.add(from);
    own.stake += this.ctx.committee.stake(from);
    this.releaseAcknowledged();
  }

  onBatchesRequest(from: number, request: BatchesRequest): void {
    const keys = request.digests.flatMap((d) => {
      const k = this.keyOf(d);
      return k === undefined ? [] : [k];
    });
    if (keys.length === 0) return;
    const reply = (batches: (Batch | undefined)[]): void => {
      for (const batch of batches)
        if (batch !== undefined) this.ctx.outbox.send(from, { kind: MessageKind.Batch, body: batch });
    };
    const found = this.store.getBatches(keys);
    if (found instanceof Promise) found.then(reply, () => undefined);
    else reply(found);
  }

  /**
   * Forgets batches filed at or below the gc round (the store deletes them in the same gc write),
   * including own batches that never gathered a quorum of acknowledgements.
   */
  prune(gcRound: number): void {
    for (const [key, own] of this.awaitingAcks) if (own.round <= gcRound) this.awaitingAcks.delete(key);
    this.releaseAcknowledged();
    for (const [key, held] of this.held) {
      if (held.round > gcRound) continue;
      this.held.delete(key);
      if (!held.claimed) this.heldPerPeer.set(held.holder, (this.heldPerPeer.get(held.holder) ?? 1) - 1);
    }
    for (const [key, round] of this.claimedAhead) if (round <= gcRound) this.claimedAhead.delete(key);
    // A reference whose batch gc just took must not reach a header: nobody could serve it. Its
    // transactions go back to the pool by the pool's release timeout.
    const gone = this.ready.filter((ref) => !this.held.has(digestKey(ref.digest)));
    if (gone.length > 0) {
      this.ready.splice(
        0,
        this.ready.length,
        ...this.ready.filter((ref) => this.held.has(digestKey(ref.digest))),
      );
      this.orphaned(gone);
    }
  }

  stop(): void {
    this.sealTimer?.cancel();
    this.sealTimer = null;
    this.resendTimer?.cancel();
    this.resendTimer = null;
  }

  /** The round new batches are filed under: gc deletes a batch with it (see BATCH_FILING_LEAD_ROUNDS). */
  private filingRound(): number {
    return this.localRound() + BATCH_FILING_LEAD_ROUNDS;
  }

  private scheduleResend(): void {
    if (this.resendTimer !== null || this.awaitingAcks.size === 0) return;
    this.resendTimer = this.ctx.clock.setTimer(BATCH_RESEND_INTERVAL_MS, () => {
      this.resendTimer = null;
      this.resendUnacknowledged();
      this.scheduleResend();
    });
  }

  /** Sends own batches still short of a quorum again, to the workers that have not acknowledged them. */
  private resendUnacknowledged(): void {
    const now = this.ctx.clock.now();
    for (const own of this.awaitingAcks.values()) {
      if (now - own.sealedAt < BATCH_RESEND_INTERVAL_MS) break; // in seal order: the rest are younger
      for (let peer = 0; peer < this.ctx.committee.size; peer++) {
        if (!own.ackers.has(peer) && peer !== this.ctx.self)
          this.ctx.outbox.send(peer, { kind: MessageKind.Batch, body: own.batch });
      }
    }
  }

  /**
   * Moves acknowledged batches to `ready` in the order they were sealed, never one past an earlier
   * batch still short of a quorum: one sender's transactions then reach the DAG, and the commit
   * order, in the order they were submitted (the chain executes nonces strictly in sequence).
   */
  private releaseAcknowledged(): void {
    const before = this.ready.length;
    for (const [key, own] of this.awaitingAcks) {
      if (own.stake < this.ctx.committee.quorumThreshold) break;
      this.awaitingAcks.delete(key);
      this.ready.push(own.ref);
    }
    if (this.ready.length > before) this.onReady();
  }

  private hold(key: DigestKey, round: number, holder: number): void {
    const claimed = this.claimedAhead.delete(key);
    this.held.set(key, { round, holder, claimed });
    if (!claimed) this.heldPerPeer.set(holder, (this.heldPerPeer.get(holder) ?? 0) + 1);
  }

  private seal(): void {
    this.sealTimer?.cancel();
    this.sealTimer = null;
    if (this.pending.length === 0) return;
    const batch: Batch = { transactions: this.pending };
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const digest = batchDigest(batch);
    const key = digestKey(digest);
    const round = this.filingRound();
    // A batch identical to one still uncommitted shares its entry (and adds its admitted bytes).
    const again = this.uncommitted.get(key);
    if (again === undefined)
      this.uncommitted.set(key, { bytes, admittedAt: this.pendingSince, round: this.localRound() });
    else again.bytes += bytes;
    this.hold(key, round, this.ctx.self);
    this.awaitingAcks.set(key, {
      ref: { digest, workerId: 0 },
      batch,
      sealedAt: this.ctx.clock.now(),
      round,
      ackers: new Set(),
      stake: 0,
    });
    this.scheduleResend();
    this.ctx.outbox.write({ batches: [{ key: { round, digest }, batch }] });
    this.onStored(batch, digest, true);
    this.ctx.outbox.broadcast({ kind: MessageKind.Batch, body: batch });
    this.ctx.outbox.after(() => this.onBatchAck(this.ctx.self, { digest }));
  }
}
