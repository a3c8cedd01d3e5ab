// Where the DAG picture puts each certificate and edge (pure: the tests run it under Node). Rounds
// run left to right, authors top to bottom; an edge joins a certificate to each parent shown.

import type { DagCertificate, DagJson } from "./rpc.js";

export const DAG_GEOMETRY = {
  left: 96,
  top: 34,
  right: 24,
  bottom: 40,
  column: 58,
  row: 46,
  radius: 10,
} as const;

export interface DagNode {
  cert: DagCertificate;
  x: number;
  y: number;
  /** The commit that ordered it (null: not ordered, or its record is gone). */
  commit: number | null;
}

export interface DagEdge {
  from: DagNode;
  to: DagNode;
  /** Both ends belong to the highlighted commit's sub-DAG. */
  highlighted: boolean;
}

export interface DagLayout {
  width: number;
  height: number;
  rounds: { round: number; x: number }[];
  authors: { index: number; name: string; y: number }[];
  nodes: DagNode[];
  edges: DagEdge[];
  /** Parent references that point below the window (not drawn). */
  clipped: number;
}

/** The commit a picture highlights by default: the newest one with its leader in the window. */
export function defaultCommit(dag: DagJson): number | null {
  const last = dag.commits.at(-1);
  return last === undefined ? null : Number(last.index);
}

export function layoutDag(dag: DagJson, highlight: number | null): DagLayout {
  const g = DAG_GEOMETRY;
  const from = Number(dag.fromRound);
  const to = Number(dag.toRound);
  const columns = Math.max(1, to - from + 1);
  const authors = dag.committee.map((m) => ({
    index: m.index,
    name: m.name,
    y: g.top + g.row * (m.index + 0.5),
  }));
  const rounds = Array.from({ length: columns }, (_, i) => ({
    round: from + i,
    x: g.left + g.column * (i + 0.5),
  }));
  const byDigest = new Map<string, DagNode>();
  const nodes = dag.certificates.map((cert) => {
    const node: DagNode = {
      cert,
      x: g.left + g.column * (Number(cert.round) - from + 0.5),
      y: g.top + g.row * (cert.author + 0.5),
      commit: cert.commitIndex === null ? null : Number(cert.commitIndex),
    };
    byDigest.set(cert.digest, node);
    return node;
  });
  const edges: DagEdge[] = [];
  let clipped = 0;
  for (const node of nodes) {
    for (const parent of node.cert.parents) {
      const target = byDigest.get(parent);
      if (target === undefined) {
        clipped++;
        continue;
      }
      const highlighted = highlight !== null && node.commit === highlight && target.commit === highlight;
      edges.push({ from: node, to: target, highlighted });
    }
  }
  return {
    width: g.left + g.column * columns + g.right,
    height: g.top + g.row * Math.max(1, authors.length) + g.bottom,
    rounds,
    authors,
    nodes,
    edges,
    clipped,
  };
}
