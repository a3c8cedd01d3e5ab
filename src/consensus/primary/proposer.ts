import { sign } from "../../crypto/ed25519.js";
import type { Header, SignedHeader } from "../../types/consensus.js";
import { MAX_HEADER_BATCHES } from "../../types/limits.js";
import { headerDigest } from "../../types/signing.js";
import type { Timer } from "../clock.js";
import { PARENT_GRACE_MS, RESEND_INTERVAL_MS } from "../constants.js";
import type { CoreContext } from "../context.js";
import type { Vertex } from "../dag.js";
import { MessageKind } from "../messages.js";
import type { Worker } from "../worker/worker.js";
import type { Core } from "./core.js";
import { headerSigningMessage } from "./validation.js";

/**
 * Decides when this validator proposes its next header. It needs certificates of a quorum of stake
 * in the round below, at least `minHeaderDelayMs` since its last header (`maxHeaderDelayMs` when it
 * has no batches to carry, so an idle network stays quiet), and — Bullshark's wait in
 * partial synchrony — before an odd round the leader of the even round below, before an even round
 * enough votes on that leader (validity stake for it, or a quorum without it); it stops waiting for
 * those after `leaderTimeoutMs`. Rounds with a quorum further up are jumped to directly.
 */
export class Proposer {
  private round = 0;
  private lastProposedAt = Number.NEGATIVE_INFINITY;
  /** When a quorum of certificates was first seen at a round (the leader timeout runs from there). */
  private readonly quorumSince = new Map<number, number>();
  private wake: { timer: Timer; at: number } | null = null;
  private resend: Timer | null = null;
  private running = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly core: Core,
    private readonly worker: Worker,
  ) {}

  /** The round of this validator's latest header. */
  get currentRound(): number {
    return this.round;
  }

  /**
   * After a restart: never propose a second header in a round we already proposed in, nor at or
   * below `floor` (the DAG's gc round): headers pruned there (or lost with an emptied database, or
   * left behind by a checkpoint) may have been signed, and a header there is useless anyway.
   */
  restore(ownHeaders: SignedHeader[], floor: number): void {
    this.round = floor;
    const last = ownHeaders.at(-1);
    if (last === undefined || last.header.round <= floor) return;
    this.round = last.header.round;
    this.core.resumeOwn(last);
  }

  start(): void {
    this.running = true;
    this.armResend(0);
    this.tryPropose();
  }

  stop(): void {
    this.running = false;
    this.wake?.timer.cancel();
    this.wake = null;
    this.resend?.cancel();
    this.resend = null;
  }

  certificateAccepted(_vertex: Vertex): void {
    if (this.running) this.tryPropose();
  }

  tryPropose(): void {
    if (!this.running) return;
    const { committee } = this.ctx;
    const dag = this.core.dag;
    let parentsRound = -1;
    for (let r = dag.highestRound; r >= Math.max(this.round, 1); r--) {
      if (dag.stakeAt(r, committee) >= committee.quorumThreshold) {
        parentsRound = r;
        break;
      }
    }
    if (parentsRound < 0) {
      if (this.round !== 0) return;
      parentsRound = 0; // the first header of a fresh validator: round 1, no parents
    }
    const now = this.ctx.clock.now();
    if (!this.quorumSince.has(parentsRound)) this.quorumSince.set(parentsRound, now);
    const { minHeaderDelayMs, maxHeaderDelayMs } = this.ctx.params;
    const delay = this.worker.hasReady ? minHeaderDelayMs : Math.max(minHeaderDelayMs, maxHeaderDelayMs);
    const earliest = this.lastProposedAt + delay;
    if (now < earliest) {
      this.armWake(earliest);
      return;
    }
    if (!this.leaderReady(parentsRound)) {
      const deadline = this.quorumSince.get(parentsRound)! + this.ctx.params.leaderTimeoutMs;
      if (now < deadline) {
        this.armWake(deadline);
        return;
      }
    }
    if (this.awaitsLiveParent(parentsRound)) {
      const deadline = this.quorumSince.get(parentsRound)! + PARENT_GRACE_MS;
      if (now < deadline) {
        this.armWake(deadline);
        return;
      }
    }
    this.propose(parentsRound + 1, parentsRound, now);
  }

  /**
   * Whether a certificate of `parentsRound` is missing from an author whose certificate of the round
   * before is here: it is probably on its way, and a header without it would orphan it.
   */
  private awaitsLiveParent(parentsRound: number): boolean {
    if (parentsRound < 2) return false;
    const dag = this.core.dag;
    const present = dag.round(parentsRound);
    if (present.size >= this.ctx.committee.size) return false;
    for (const author of dag.round(parentsRound - 1).keys()) if (!present.has(author)) return true;
    return false;
  }

  private leaderReady(parentsRound: number): boolean {
    const { committee } = this.ctx;
    const dag = this.core.dag;
    if (parentsRound < 1) return true;
    if (parentsRound % 2 === 0) return dag.at(parentsRound, committee.leader(parentsRound)) !== undefined;
    const leaderRound = parentsRound - 1;
    if (leaderRound < 2) return true;
    const leader = dag.at(leaderRound, committee.leader(leaderRound));
    if (leader === undefined) return true;
    let support = 0;
    let against = 0;
    for (const c of dag.round(parentsRound).values()) {
      if (c.parents.includes(leader.key)) support += committee.stake(c.author);
      else against += committee.stake(c.author);
    }
    return support >= committee.validityThreshold || against >= committee.quorumThreshold;
  }

  private propose(round: number, parentsRound: number, now: number): void {
    const previous = this.core.aggregator;
    // A header that never got certified loses nothing: its batches go into the next one.
    if (previous !== null && previous.certificate === null)
      this.worker.returnReady(previous.signed.header.payload);
    const parents = [...this.core.dag.round(parentsRound).values()]
      .sort((a, b) => a.author - b.author)
      .map((v) => v.digest);
    const header: Header = {
      author: this.ctx.self,
      round,
      epoch: this.ctx.committee.epoch,
      createdAt: now,
      payload: this.worker.takeReady(MAX_HEADER_BATCHES),
      parents,
    };
    const digest = headerDigest(header);
    const signed: SignedHeader = {
      header,
      signature: sign(this.ctx.secretKey, headerSigningMessage(this.ctx.chainId, digest)),
    };
    this.round = round;
    this.lastProposedAt = now;
    for (const r of this.quorumSince.keys()) if (r < parentsRound) this.quorumSince.delete(r);
    this.wake?.timer.cancel();
    this.wake = null;
    this.ctx.metrics?.round.set(round);
    this.core.proposeOwn(signed, digest);
  }

  private armWake(at: number): void {
    if (this.wake !== null && this.wake.at <= at) return;
    this.wake?.timer.cancel();
    const timer = this.ctx.clock.setTimer(at - this.ctx.clock.now(), () => {
      this.wake = null;
      this.tryPropose();
    });
    this.wake = { timer, at };
  }

  /** Periodically re-sends our latest header (while uncertified) or certificate, to heal lost messages. */
  private armResend(delay: number): void {
    this.resend = this.ctx.clock.setTimer(delay, () => {
      if (!this.running) return;
      const agg = this.core.aggregator;
      if (agg !== null && agg.certificate === null) {
        this.ctx.outbox.broadcast({ kind: MessageKind.Header, body: agg.signed });
      } else {
        const own = this.core.dag.at(this.round, this.ctx.self);
        if (own !== undefined)
          this.ctx.outbox.broadcast({ kind: MessageKind.Certificate, body: own.certificate });
      }
      this.armResend(RESEND_INTERVAL_MS);
    });
  }
}
