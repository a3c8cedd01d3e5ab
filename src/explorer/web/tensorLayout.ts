// The compliance tensor heat map's grid (pure: the tests run it under Node): one row per subject, one
// column per domain, each cell coloured by the state a transaction would read now.

import { COMPLIANCE_STATES, DOMAINS } from "./names.js";
import type { TensorCellJson } from "./rpc.js";

export const TENSOR_GEOMETRY = { left: 150, top: 124, cell: 24, gap: 2, right: 16, bottom: 12 } as const;

/** Fill of each state (lattice order); the legend shows them in this order. */
export const STATE_COLOURS: Record<string, string> = {
  NON_COMPLIANT: "#c93c3c",
  EXPIRED: "#7d4fa8",
  SUSPENDED: "#e07b2e",
  UNKNOWN: "#98a2ae",
  PENDING: "#e6b93d",
  COMPLIANT: "#2f9e5d",
  EXEMPT: "#2f7fd1",
};
/** A cell no attester ever wrote (it reads UNKNOWN). */
export const EMPTY_COLOUR = "#eef1f5";

export interface TensorGrid {
  subjects: string[];
  /** rows[subject][domain]: the cell, or undefined where none was attested. */
  rows: (TensorCellJson | undefined)[][];
  width: number;
  height: number;
  /** Counts by effective state, and expired cells. */
  counts: Record<string, number>;
  expired: number;
}

export function tensorGrid(cells: readonly TensorCellJson[]): TensorGrid {
  const g = TENSOR_GEOMETRY;
  const bySubject = new Map<string, (TensorCellJson | undefined)[]>();
  const counts: Record<string, number> = Object.fromEntries(COMPLIANCE_STATES.map((s) => [s, 0]));
  let expired = 0;
  for (const cell of cells) {
    if (cell.domainIndex < 0 || cell.domainIndex >= DOMAINS.length) continue;
    let row = bySubject.get(cell.subject);
    if (row === undefined) {
      row = new Array<TensorCellJson | undefined>(DOMAINS.length).fill(undefined);
      bySubject.set(cell.subject, row);
    }
    row[cell.domainIndex] = cell;
    counts[cell.effectiveState] = (counts[cell.effectiveState] ?? 0) + 1;
    if (cell.expired) expired++;
  }
  const subjects = [...bySubject.keys()].sort();
  return {
    subjects,
    rows: subjects.map((s) => bySubject.get(s)!),
    width: g.left + DOMAINS.length * (g.cell + g.gap) + g.right,
    height: g.top + Math.max(1, subjects.length) * (g.cell + g.gap) + g.bottom,
    counts,
    expired,
  };
}

export function cellColour(cell: TensorCellJson | undefined): string {
  return cell === undefined ? EMPTY_COLOUR : (STATE_COLOURS[cell.effectiveState] ?? EMPTY_COLOUR);
}
