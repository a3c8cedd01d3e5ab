import type { HealthMetrics } from "../metrics/index.js";
import { HEALTH_STATUSES, type HealthStatus, type NodeStatus } from "../rpc/methods.js";
import type { Startable } from "../util/lifecycle.js";
import type { Logger } from "../util/logger.js";
import { HealthMonitor } from "./health.js";

/** How often the node's health is evaluated for the metric and the log. */
const HEALTH_INTERVAL_MS = 1_000;
/** Rounds behind the highest certified round at which the node reports itself as syncing. */
const SYNCING_LAG_ROUNDS = 4;

/** What the status is computed from; each is read when asked. */
export interface StatusSources {
  height(): number;
  finalizedHeight(): number;
  consensus(): { round: number; highestRound: number };
  pendingTransactions(): number;
  peers(): number;
  /** Other committee members whose connection, with this node, makes a quorum. */
  peersForQuorum: number;
  committeeSize: number;
  blockSyncing(): boolean;
  stopping(): boolean;
  diverged(): string | undefined;
}

/**
 * The node's status for `mass_health`, evaluated on every ask and every second, so the
 * `mass_health_status` metric and the log (one line per change) stay current without clients.
 */
export class NodeStatusReporter implements Startable {
  private readonly monitor: HealthMonitor;
  private last: HealthStatus = "ok";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: StatusSources,
    stallAfterMs: number,
    private readonly metrics: HealthMetrics | null,
    private readonly log: Logger,
  ) {
    this.monitor = new HealthMonitor(stallAfterMs);
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => this.status(), HEALTH_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  status(): NodeStatus {
    const s = this.sources;
    const consensus = s.consensus();
    const blockSyncing = s.blockSyncing();
    const peers = s.peers();
    const { status, reason } = this.monitor.observe({
      now: Date.now(),
      height: s.height(),
      consensusRound: consensus.round,
      pendingTransactions: s.pendingTransactions(),
      peers,
      peersForQuorum: s.peersForQuorum,
      // Behind the DAG's front by more than a few rounds, or catching up by block sync.
      syncing: consensus.highestRound - consensus.round > SYNCING_LAG_ROUNDS || blockSyncing,
      stopping: s.stopping(),
      diverged: s.diverged(),
    });
    this.report(status, reason);
    return {
      status,
      reason,
      blockSyncing,
      peers,
      committeeSize: s.committeeSize,
      consensusRound: consensus.round,
      finalizedHeight: s.finalizedHeight(),
    };
  }

  /** Sets the health metric and logs each change of status. */
  private report(status: HealthStatus, reason: string): void {
    for (const h of HEALTH_STATUSES) this.metrics?.status.set({ status: h }, h === status ? 1 : 0);
    if (status === this.last) return;
    if (status === "ok") this.log.info("health: ok", { was: this.last });
    else this.log.warn(`health: ${status}`, { reason });
    this.last = status;
  }
}
