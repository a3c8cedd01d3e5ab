import type { LogFields } from "../util/logger.js";

/** Rates keep this many decimals in the log. */
const RATE_DECIMALS = 1;

/**
 * Progress of one block-sync run towards its target, for the log: height, target, blocks left,
 * the rate since the previous report (blocks/s) and the time left at that rate (ETA, seconds).
 */
export class SyncProgress {
  private readonly startedAt: number;
  private readonly startHeight: number;
  private lastAt: number;
  private lastHeight: number;

  constructor(
    height: number,
    private readonly target: number,
    now: number,
  ) {
    this.startedAt = this.lastAt = now;
    this.startHeight = this.lastHeight = height;
  }

  /** The fields of a progress line at `height`; the next report's rate starts from here. */
  report(height: number, now: number): LogFields {
    const seconds = (now - this.lastAt) / 1000;
    const perSecond = seconds > 0 ? (height - this.lastHeight) / seconds : 0;
    this.lastAt = now;
    this.lastHeight = height;
    const remaining = Math.max(0, this.target - height);
    return {
      height,
      target: this.target,
      remaining,
      blocksPerSec: Number(perSecond.toFixed(RATE_DECIMALS)),
      // No rate yet (or none at all): no estimate rather than infinity.
      etaSec: perSecond > 0 ? Math.ceil(remaining / perSecond) : null,
    };
  }

  /** The fields of the closing line: blocks synced in the run, how long it took, the mean rate. */
  summary(height: number, now: number): LogFields {
    const seconds = (now - this.startedAt) / 1000;
    const blocks = height - this.startHeight;
    return {
      height,
      blocks,
      seconds: Number(seconds.toFixed(RATE_DECIMALS)),
      blocksPerSec: seconds > 0 ? Number((blocks / seconds).toFixed(RATE_DECIMALS)) : 0,
    };
  }
}
