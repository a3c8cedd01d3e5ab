import type { ConsensusCommittee } from "./committee.js";
import type { Dag, Vertex } from "./dag.js";
import type { DigestKey } from "./digest.js";

/** One committed leader and its causal history not committed before, ordered (leader last). */
export interface CommittedLeader {
  readonly leader: Vertex;
  readonly vertices: readonly Vertex[];
}

/** What the committer must remember across restarts. */
export interface BullsharkState {
  lastCommittedRound: number;
  /** Committed certificates above the gc round, with their round (for pruning). */
  committed: Map<DigestKey, number>;
}

/**
 * Bullshark's commit rule for partial synchrony (Spiegelman et al., "Bullshark: DAG BFT Protocols
 * Made Practical", section 5). Leaders sit on even rounds. When a certificate of round r+1 enters the
 * DAG, the leader of round r commits if certificates of round r+1 holding validity stake (> 1/3)
 * reference it. Before it, every earlier uncommitted leader it reaches by a path commits, oldest
 * first; each leader's causal history (minus what is committed or below the gc round) is ordered by
 * round, then author. Quorum intersection makes every later committed leader reach a directly
 * committed one, so all honest validators output the same sequence whatever order certificates
 * arrived in.
 */
export class Bullshark {
  constructor(
    private readonly committee: ConsensusCommittee,
    private readonly dag: Dag,
    private readonly gcDepth: number,
    private readonly state: BullsharkState,
  ) {}

  get lastCommittedRound(): number {
    return this.state.lastCommittedRound;
  }

  /** Rounds at or below this are garbage: never ordered, pruned from memory and disk. */
  get gcRound(): number {
    return Math.max(0, this.state.lastCommittedRound - this.gcDepth);
  }

  isCommitted(key: DigestKey): boolean {
    return this.state.committed.has(key);
  }

  /** The leader certificate of an even round, if it is in the DAG. */
  leaderOf(round: number): Vertex | undefined {
    return this.dag.at(round, this.committee.leader(round));
  }

  /** Stake of round r+1 certificates that reference the leader of round r. */
  support(leader: Vertex): number {
    let stake = 0;
    for (const child of this.dag.round(leader.round + 1).values()) {
      if (child.parents.includes(leader.key)) stake += this.committee.stake(child.author);
    }
    return stake;
  }

  /** Call after `vertex` entered the DAG; returns the leaders it commits, in commit order. */
  process(vertex: Vertex): CommittedLeader[] {
    const leaderRound = vertex.round - 1;
    if (leaderRound < 2 || leaderRound % 2 !== 0 || leaderRound <= this.state.lastCommittedRound) return [];
    const leader = this.leaderOf(leaderRound);
    if (leader === undefined || this.support(leader) < this.committee.validityThreshold) return [];

    const chain: Vertex[] = [leader];
    let current = leader;
    for (let r = leaderRound - 2; r > this.state.lastCommittedRound && r >= 2; r -= 2) {
      const earlier = this.leaderOf(r);
      if (earlier !== undefined && this.linked(current, earlier)) {
        chain.push(earlier);
        current = earlier;
      }
    }

    const committed: CommittedLeader[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const next = chain[i]!;
      committed.push({ leader: next, vertices: this.orderHistory(next) });
      this.state.lastCommittedRound = next.round;
    }
    return committed;
  }

  /** Forgets committed markers at or below the gc round (the DAG prunes its own rounds). */
  pruneCommitted(): void {
    const gc = this.gcRound;
    for (const [key, round] of this.state.committed) if (round <= gc) this.state.committed.delete(key);
  }

  /** Whether a path of parent links leads from `from` down to `to`. */
  private linked(from: Vertex, to: Vertex): boolean {
    let frontier = new Set<DigestKey>([from.key]);
    for (let round = from.round; round > to.round; round--) {
      const next = new Set<DigestKey>();
      for (const key of frontier) {
        const v = this.dag.get(key);
        if (v !== undefined) for (const p of v.parents) next.add(p);
      }
      if (next.size === 0) return false;
      frontier = next;
    }
    return frontier.has(to.key);
  }

  /** The leader's causal history not yet committed and above the gc round, by (round, author). */
  private orderHistory(leader: Vertex): Vertex[] {
    const gc = this.gcRound;
    const seen = new Set<DigestKey>([leader.key]);
    const ordered: Vertex[] = [];
    const stack: Vertex[] = [leader];
    while (stack.length > 0) {
      const v = stack.pop()!;
      ordered.push(v);
      for (const p of v.parents) {
        if (seen.has(p) || this.state.committed.has(p)) continue;
        seen.add(p);
        const parent = this.dag.get(p);
        if (parent !== undefined && parent.round > gc) stack.push(parent);
      }
    }
    ordered.sort((a, b) => a.round - b.round || a.author - b.author);
    for (const v of ordered) this.state.committed.set(v.key, v.round);
    return ordered;
  }
}
