import { MessageKind } from "./messages.js";

/** Why an inbound message was dropped. */
export enum DropReason {
  /** Bytes that do not decode as a consensus message, or exceed its size limit. */
  Malformed = "malformed",
  /** An author, voter or sender outside the committee, or a vote not sent by its voter. */
  UnknownAuthor = "unknown_author",
  WrongEpoch = "wrong_epoch",
  BadSignature = "bad_signature",
  /** A certificate without a quorum, with a malformed signer set, or with invalid parents. */
  InvalidCertificate = "invalid_certificate",
  /** A header whose structure is invalid (round, parents, payload). */
  InvalidHeader = "invalid_header",
  /** At or below the gc round, or below a round already voted in. */
  TooOld = "too_old",
  /** More rounds ahead of our DAG than we buffer. */
  TooFarAhead = "too_far_ahead",
  /** A vote for a header we did not propose (or no longer collect votes for). */
  UnknownHeader = "unknown_header",
  /** A second, different header from one author in one round. */
  Equivocation = "equivocation",
  /** A bounded buffer (suspended items, batches per author) is full. */
  Overloaded = "overloaded",
  /** A request we cannot serve (range too wide, nothing held). */
  BadRequest = "bad_request",
}

/**
 * What the core reports; the node maps it to prom-client, the simulator counts it. Every method
 * is cheap and synchronous.
 */
export interface ConsensusMetrics {
  messageDropped(kind: MessageKind | undefined, reason: DropReason): void;
  roundAdvanced(round: number): void;
  certificateAccepted(round: number): void;
  /** A leader committed; `latencyMs` is from the leader header's creation to the commit. */
  leaderCommitted(leaderRound: number, certificates: number, latencyMs: number): void;
  equivocationDetected(author: number, round: number): void;
}

/** Counts everything in plain objects (the simulator's and tests' metrics). */
export class CountingMetrics implements ConsensusMetrics {
  readonly drops: Record<string, number> = {};
  round = 0;
  certificates = 0;
  leaders = 0;
  committedCertificates = 0;
  equivocations = 0;

  messageDropped(kind: MessageKind | undefined, reason: DropReason): void {
    const key = `${kind === undefined ? "unknown" : MessageKind[kind]}:${reason}`;
    this.drops[key] = (this.drops[key] ?? 0) + 1;
  }

  roundAdvanced(round: number): void {
    this.round = round;
  }

  certificateAccepted(): void {
    this.certificates++;
  }

  leaderCommitted(_leaderRound: number, certificates: number): void {
    this.leaders++;
    this.committedCertificates += certificates;
  }

  equivocationDetected(): void {
    this.equivocations++;
  }

  dropCount(reason?: DropReason): number {
    let total = 0;
    for (const [key, n] of Object.entries(this.drops))
      if (reason === undefined || key.endsWith(`:${reason}`)) total += n;
    return total;
  }
}
