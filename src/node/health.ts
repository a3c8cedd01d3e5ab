import type { ConsensusCommittee } from "../consensus/committee.js";
import type { HealthStatus } from "../rpc/methods.js";

/**
 * What a validator says of itself in `mass_health` and the `mass_health_status` metric, worst first:
 * - `stopping`: shutting down.
 * - `diverged`: its state or a block it executed disagrees with what a quorum certified; it no
 *   longer signs blocks and needs `mass start --repair`.
 * - `syncing`: catching up (DAG behind its peers', or block sync); answers may be stale.
 * - `no-peers`: connected to no other committee member.
 * - `stalled`: the height has not moved for longer than even an idle network takes to make a block
 *   (the reason says whether rounds advance, transactions wait, and how many peers it has).
 * - `ok`.
 */

/**
 * The height must have moved within this long: an idle network still makes a block every few
 * header delays, and a catch-up within the gc window takes a few seconds.
 */
export const MIN_STALL_MS = 10_000;
/** ... and within this many of the slowest (empty) header delays, for slow-paced genesis params. */
const STALL_HEADER_DELAYS = 20;

/** How long a height may stand still before the node is stalled, for its consensus pace. */
export function stallAfterMs(maxHeaderDelayMs: number, leaderTimeoutMs: number): number {
  return Math.max(MIN_STALL_MS, STALL_HEADER_DELAYS * maxHeaderDelayMs, 4 * leaderTimeoutMs);
}

export interface HealthInputs {
  now: number;
  height: number;
  consensusRound: number;
  /** Transactions waiting in the pool. */
  pendingTransactions: number;
  peers: number;
  /** Other committee members whose connection, with this node, makes a quorum. */
  peersForQuorum: number;
  syncing: boolean;
  stopping: boolean;
  /** Why the node diverged; undefined when it did not. */
  diverged: string | undefined;
}

export interface Health {
  status: HealthStatus;
  /** Why the status is not ok; empty when ok. */
  reason: string;
}

/** Turns periodic observations of the node into a health status with its reason. */
export class HealthMonitor {
  private lastHeight = -1;
  private lastMoveAt = 0;
  private roundAtLastMove = 0;

  constructor(private readonly stallMs: number) {}

  observe(inputs: HealthInputs): Health {
    const { now } = inputs;
    if (inputs.height !== this.lastHeight) {
      this.lastHeight = inputs.height;
      this.lastMoveAt = now;
      this.roundAtLastMove = inputs.consensusRound;
    }
    if (inputs.stopping) return { status: "stopping", reason: "the node is shutting down" };
    if (inputs.diverged !== undefined) return { status: "diverged", reason: inputs.diverged };
    if (inputs.syncing) return { status: "syncing", reason: "catching up with the peers" };
    if (inputs.peers === 0 && inputs.peersForQuorum > 0)
      return { status: "no-peers", reason: "connected to no other committee member" };
    const still = now - this.lastMoveAt;
    if (still < this.stallMs) return { status: "ok", reason: "" };
    const rounds = inputs.consensusRound - this.roundAtLastMove;
    const why = [
      rounds > 0 ? `consensus advanced ${rounds} rounds` : "consensus made no round",
      `${inputs.pendingTransactions} transactions wait`,
      inputs.peers < inputs.peersForQuorum
        ? `connected to ${inputs.peers} peers, a quorum needs ${inputs.peersForQuorum}`
        : `connected to ${inputs.peers} peers`,
    ];
    return {
      status: "stalled",
      reason: `height ${inputs.height} has not moved for ${Math.round(still / 1000)} s; ${why.join("; ")}`,
    };
  }
}

/** The fewest other members whose stake, with this node's, reaches the quorum threshold. */
export function peersNeededForQuorum(committee: ConsensusCommittee, self: number): number {
  const others = Array.from({ length: committee.size }, (_, i) => i)
    .filter((i) => i !== self)
    .map((i) => committee.stake(i))
    .sort((a, b) => b - a);
  let stake = committee.stake(self);
  let needed = 0;
  for (const s of others) {
    if (stake >= committee.quorumThreshold) break;
    stake += s;
    needed += 1;
  }
  return needed;
}
