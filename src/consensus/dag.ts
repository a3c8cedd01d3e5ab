import type { Certificate } from "../types/consensus.js";
import { headerDigest } from "../types/signing.js";
import type { ConsensusCommittee } from "./committee.js";
import { type DigestKey, digestKey } from "./digest.js";

/** A certificate in the DAG, with the values every algorithm needs precomputed once. */
export interface Vertex {
  readonly certificate: Certificate;
  readonly digest: Uint8Array;
  readonly key: DigestKey;
  readonly round: number;
  readonly author: number;
  readonly parents: readonly DigestKey[];
}

export function vertexOf(
  certificate: Certificate,
  digest: Uint8Array = headerDigest(certificate.header),
): Vertex {
  return {
    certificate,
    digest,
    key: digestKey(digest),
    round: certificate.header.round,
    author: certificate.header.author,
    parents: certificate.header.parents.map(digestKey),
  };
}

/**
 * The certified DAG above the gc round: at most one certificate per (round, author), and every
 * certificate's parents present (or below the gc round) before it is inserted — callers guarantee
 * causal completeness, the DAG only indexes.
 */
export class Dag {
  private readonly rounds = new Map<number, Map<number, Vertex>>();
  private readonly byKey = new Map<DigestKey, Vertex>();
  private gc = 0;
  private highest = 0;

  /** Rounds at or below this are pruned; their certificates count as present. */
  get gcRound(): number {
    return this.gc;
  }

  get highestRound(): number {
    return this.highest;
  }

  get size(): number {
    return this.byKey.size;
  }

  has(key: DigestKey): boolean {
    return this.byKey.has(key);
  }

  get(key: DigestKey): Vertex | undefined {
    return this.byKey.get(key);
  }

  at(round: number, author: number): Vertex | undefined {
    return this.rounds.get(round)?.get(author);
  }

  /** Certificates of one round by author (empty when none). */
  round(round: number): ReadonlyMap<number, Vertex> {
    return this.rounds.get(round) ?? EMPTY_ROUND;
  }

  /** Parents of `vertex` that are neither present nor below the gc round. */
  missingParents(vertex: Vertex): DigestKey[] {
    if (vertex.round - 1 <= this.gc) return [];
    return vertex.parents.filter((p) => !this.byKey.has(p));
  }

  /**
   * Adds a certificate. Returns false when it is already present, below the gc round, or its
   * (round, author) slot holds a different certificate (possible only with more than f Byzantine stake).
   */
  insert(vertex: Vertex): boolean {
    if (vertex.round <= this.gc || this.byKey.has(vertex.key)) return false;
    let slot = this.rounds.get(vertex.round);
    if (slot === undefined) {
      slot = new Map();
      this.rounds.set(vertex.round, slot);
    }
    if (slot.has(vertex.author)) return false;
    slot.set(vertex.author, vertex);
    this.byKey.set(vertex.key, vertex);
    if (vertex.round > this.highest) this.highest = vertex.round;
    return true;
  }

  stakeAt(round: number, committee: ConsensusCommittee): number {
    let stake = 0;
    for (const author of this.round(round).keys()) stake += committee.stake(author);
    return stake;
  }

  /** Drops every round at or below `gcRound` (the highest round is at least it); returns the dropped certificates. */
  prune(gcRound: number): Vertex[] {
    const dropped: Vertex[] = [];
    if (gcRound <= this.gc) return dropped;
    for (const [round, slot] of this.rounds) {
      if (round > gcRound) continue;
      for (const v of slot.values()) {
        this.byKey.delete(v.key);
        dropped.push(v);
      }
      this.rounds.delete(round);
    }
    this.gc = gcRound;
    // Pruned rounds count as present: a DAG restored above a checkpoint's floor is that high already.
    this.highest = Math.max(this.highest, gcRound);
    return dropped;
  }
}

const EMPTY_ROUND: ReadonlyMap<number, Vertex> = new Map();
