import type { Gauge } from "prom-client";
import type { QueueLimits } from "./types.js";

/**
 * One peer's outbound memory bound, shared by its protocols: bytes and messages queued and not yet
 * handed to a stream. A message that would exceed either bound is refused, never buffered.
 */
export class QueueBudget {
  bytes = 0;
  messages = 0;
  private readonly bytesGauge: Gauge.Internal<"peer"> | undefined;
  private readonly messagesGauge: Gauge.Internal<"peer"> | undefined;

  constructor(
    private readonly limits: QueueLimits,
    gauges?: { bytes: Gauge<"peer">; messages: Gauge<"peer"> },
    peer?: number,
  ) {
    this.bytesGauge = gauges?.bytes.labels({ peer: String(peer) });
    this.messagesGauge = gauges?.messages.labels({ peer: String(peer) });
  }

  tryReserve(bytes: number): boolean {
    if (this.messages >= this.limits.maxMessages || this.bytes + bytes > this.limits.maxBytes) return false;
    this.bytes += bytes;
    this.messages++;
    return true;
  }

  release(bytes: number, messages: number): void {
    this.bytes -= bytes;
    this.messages -= messages;
  }

  /** Publishes the current sizes to the gauges (called once per flush, not per message). */
  publish(): void {
    this.bytesGauge?.set(this.bytes);
    this.messagesGauge?.set(this.messages);
  }
}
