import type { NodeStatus } from "../rpc/index.js";
import type { Startable } from "../util/lifecycle.js";
import type { LogFields, Logger } from "../util/logger.js";
import { describeError } from "./describeError.js";

/**
 * How often a validator logs its status line: a stalled or lagging validator shows in its log
 * within a minute, while four validators in one devnet terminal still leave room for the events.
 */
export const DEFAULT_STATUS_INTERVAL_MS = 30_000;
/** Rates in the line keep this many decimals: enough for a slow devnet, short enough to read. */
const RATE_DECIMALS = 1;

/** What the status line reports; each is read at every line. */
export interface StatusLineSources {
  /** mass_health's view (status, reason, round, finalized height, peers); asking also refreshes the health metric. */
  status(): NodeStatus;
  height(): number;
  poolSize(): number;
  /** Transactions executed since the process started, by consensus and by block sync. */
  executedTransactions(): number;
}

interface Sample {
  at: number;
  height: number;
  transactions: number;
}

const rate = (delta: number, seconds: number): number =>
  seconds > 0 ? Number((delta / seconds).toFixed(RATE_DECIMALS)) : 0;

/**
 * Logs one line every interval (0: never) saying where the validator is: height, finalized height
 * and the lag between them, consensus round, peers, pool size, and blocks and transactions per
 * second since the previous line, with the health status (and its reason when it is not ok).
 */
export class StatusLine implements Startable {
  private timer: NodeJS.Timeout | undefined;
  private last: Sample | undefined;

  constructor(
    private readonly sources: StatusLineSources,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.intervalMs <= 0) return;
    this.last = this.sample(Date.now());
    this.timer = setInterval(() => {
      try {
        this.log.info("status", this.line(Date.now()));
      } catch (err) {
        this.log.warn("status line failed", { error: describeError(err) });
      }
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The fields of the line at `now`, rates since the previous call (or start); the next starts from here. */
  line(now: number): LogFields {
    const s = this.sources.status();
    const current = this.sample(now);
    const previous = this.last ?? current;
    this.last = current;
    const seconds = (current.at - previous.at) / 1000;
    return {
      height: current.height,
      finalized: s.finalizedHeight,
      lag: current.height - s.finalizedHeight,
      round: s.consensusRound,
      peers: `${s.peers}/${s.committeeSize - 1}`,
      pool: this.sources.poolSize(),
      blocksPerSec: rate(current.height - previous.height, seconds),
      txPerSec: rate(current.transactions - previous.transactions, seconds),
      health: s.status,
      ...(s.blockSyncing && { blockSync: true }),
      ...(s.status !== "ok" && { reason: s.reason }),
    };
  }

  private sample(at: number): Sample {
    return { at, height: this.sources.height(), transactions: this.sources.executedTransactions() };
  }
}
