import type { NetworkMetrics } from "../metrics/index.js";

/** Why the network dropped something. */
export enum NetworkDropReason {
  /** A connection or stream from a peer outside the committee. */
  NotCommittee = "not_committee",
  /** An inbound frame longer than its protocol's limit (the stream is reset). */
  Oversize = "oversize",
  /** An inbound length prefix that is not a valid varint (the stream is reset). */
  Malformed = "malformed",
  /** An inbound message over the sender's rate limit. */
  RateLimited = "rate_limited",
  /** An outbound message refused because the peer's queue is full. */
  QueueFull = "queue_full",
  /** An inbound message whose handler threw or rejected. */
  HandlerError = "handler_error",
  /** An inbound request whose handler failed (the stream is reset). */
  RequestHandlerError = "request_handler_error",
}

export interface NetworkStatsSnapshot {
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
  dropped: Record<NetworkDropReason, number>;
}

/** Plain counters (for health checks and tests) mirrored into the optional prom-client metrics. */
export class NetworkStats {
  private messagesSent = 0;
  private bytesSent = 0;
  private messagesReceived = 0;
  private bytesReceived = 0;
  private readonly drops = Object.fromEntries(Object.values(NetworkDropReason).map((r) => [r, 0])) as Record<
    NetworkDropReason,
    number
  >;

  constructor(readonly metrics: NetworkMetrics | null) {}

  sent(protocol: string, messages: number, bytes: number): void {
    this.messagesSent += messages;
    this.bytesSent += bytes;
    this.metrics?.messagesSent.inc({ protocol }, messages);
    this.metrics?.bytesSent.inc({ protocol }, bytes);
  }

  received(protocol: string, messages: number, bytes: number): void {
    this.messagesReceived += messages;
    this.bytesReceived += bytes;
    this.metrics?.messagesReceived.inc({ protocol }, messages);
    this.metrics?.bytesReceived.inc({ protocol }, bytes);
  }

  dropped(reason: NetworkDropReason, count = 1): void {
    this.drops[reason] += count;
    this.metrics?.dropped.inc({ reason }, count);
  }

  snapshot(): NetworkStatsSnapshot {
    return {
      messagesSent: this.messagesSent,
      bytesSent: this.bytesSent,
      messagesReceived: this.messagesReceived,
      bytesReceived: this.bytesReceived,
      dropped: { ...this.drops },
    };
  }
}
