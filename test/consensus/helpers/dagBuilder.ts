import { BitArray } from "@chainsafe/ssz";
import { Bullshark, type CommittedLeader } from "../../../src/consensus/bullshark.js";
import { ConsensusCommittee } from "../../../src/consensus/committee.js";
import { Dag, type Vertex, vertexOf } from "../../../src/consensus/dag.js";
import type { Certificate } from "../../../src/types/consensus.js";
import type { Committee } from "../../../src/types/genesis.js";

/** A committee of `n` validators with equal stake and dummy keys (the commit rule never verifies). */
export function testCommittee(n: number, stakes?: number[]): Committee {
  return {
    epoch: 0,
    validators: Array.from({ length: n }, (_, i) => ({
      name: new TextEncoder().encode(`v${i}`),
      publicKey: new Uint8Array(32).fill(i + 1),
      stake: stakes?.[i] ?? 1,
      address: new Uint8Array(0),
    })),
  };
}

/** An unsigned certificate: enough for the DAG and the committer. */
export function fakeCertificate(round: number, author: number, parents: Uint8Array[]): Certificate {
  return {
    header: { author, round, epoch: 0, createdAt: 0, payload: [], parents },
    signers: BitArray.fromBitLen(0),
    signatures: [],
  };
}

/**
 * Builds DAGs round by round. `round(r, authors, parentsOf)` adds certificates of round r by the
 * given authors, each pointing at the round r-1 certificates of `parentsOf(author)` (default: all).
 */
export class DagBuilder {
  readonly vertices = new Map<string, Vertex>();

  round(round: number, authors: number[], parentsOf?: (author: number) => number[]): Vertex[] {
    const out: Vertex[] = [];
    for (const author of authors) {
      const parentAuthors =
        round === 1
          ? []
          : (parentsOf?.(author) ??
            [...this.vertices.values()].filter((v) => v.round === round - 1).map((v) => v.author));
      const parents = parentAuthors.map((a) => {
        const p = this.vertices.get(`${round - 1}/${a}`);
        if (p === undefined) throw new Error(`no certificate ${round - 1}/${a}`);
        return p.digest;
      });
      const v = vertexOf(fakeCertificate(round, author, parents));
      this.vertices.set(`${round}/${author}`, v);
      out.push(v);
    }
    return out;
  }

  get(round: number, author: number): Vertex {
    const v = this.vertices.get(`${round}/${author}`);
    if (v === undefined) throw new Error(`no certificate ${round}/${author}`);
    return v;
  }

  /** Every vertex in (round, author) order: one valid causal insertion order. */
  all(): Vertex[] {
    return [...this.vertices.values()].sort((a, b) => a.round - b.round || a.author - b.author);
  }
}

/** Feeds vertices to a fresh DAG and committer; returns the commits in order. */
export function runCommitter(
  committee: Committee,
  vertices: Vertex[],
  gcDepth = 50,
): { commits: CommittedLeader[]; bullshark: Bullshark } {
  const c = new ConsensusCommittee(committee);
  const dag = new Dag();
  const bullshark = new Bullshark(c, dag, gcDepth, { lastCommittedRound: 0, committed: new Map() });
  const commits: CommittedLeader[] = [];
  for (const v of vertices) {
    if (dag.missingParents(v).length > 0)
      throw new Error(`vertex ${v.round}/${v.author} inserted before its parents`);
    dag.insert(v);
    commits.push(...bullshark.process(v));
  }
  return { commits, bullshark };
}
