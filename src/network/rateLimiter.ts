import { RATE_LIMIT_BURST_SECONDS } from "./constants.js";
import type { RateLimits } from "./types.js";

/** A token bucket refilled lazily from a monotonic clock; holds at most `burst` tokens. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  has(amount: number): boolean {
    return this.tokens >= amount;
  }

  take(amount: number): void {
    this.tokens -= amount;
  }
}

/**
 * One peer's inbound budget: a message passes only if both its message token and its bytes fit.
 * A message larger than the byte burst can never pass, so the byte burst is at least one full message.
 */
export class PeerRateLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(
    limits: RateLimits,
    largestMessage: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    const start = now();
    this.messages = new TokenBucket(
      limits.messagesPerSecond,
      Math.max(1, limits.messagesPerSecond * RATE_LIMIT_BURST_SECONDS),
      start,
    );
    this.bytes = new TokenBucket(
      limits.bytesPerSecond,
      Math.max(largestMessage, limits.bytesPerSecond * RATE_LIMIT_BURST_SECONDS),
      start,
    );
  }

  /** Takes one message of `size` bytes from the budget; false (nothing taken) if it does not fit. */
  tryTake(size: number): boolean {
    const now = this.now();
    this.messages.refill(now);
    this.bytes.refill(now);
    if (!this.messages.has(1) || !this.bytes.has(size)) return false;
    this.messages.take(1);
    this.bytes.take(size);
    return true;
  }
}
