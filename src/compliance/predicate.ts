import { ComplianceState, complianceStateName, isPassing, meet } from "./state.js";
import { type CellReading, describeCell, readCellState, type TensorView } from "./tensor.js";

/** The cells one side of a transfer must satisfy: a subject in a jurisdiction, on these domains. */
export interface Requirement {
  subject: Uint8Array;
  jurisdiction: string;
  domains: readonly number[];
}

export interface PredicateResult {
  passed: boolean;
  /** meet of every cell read (COMPLIANT when nothing was required). */
  state: ComplianceState;
  /** Every cell read, export side first, each side in its rule pack's order. */
  readings: CellReading[];
  /** The first cell that is neither COMPLIANT nor EXEMPT, when the predicate fails. */
  failing: CellReading | undefined;
}

/**
 * A cell reader: the plain tensor read, or the VM's TENSOR_GET precompile (which also charges gas),
 * so a transfer's check runs through exactly the code path a SAVM program uses.
 */
export type CellReader = (subject: Uint8Array, jurisdiction: string, domain: number) => ComplianceState;

export function tensorReader(tensor: TensorView, now: number): CellReader {
  return (subject, jurisdiction, domain) => readCellState(tensor.getCell(subject, jurisdiction, domain), now);
}

/**
 * Cross-border predicate (SPEC): a transfer from J1 to J2 passes when every export requirement at J1
 * and every import requirement at J2 reads COMPLIANT or EXEMPT.
 *
 * Project choice: the SPEC phrases this as "meet(...) is COMPLIANT or EXEMPT", but by the lattice a
 * subject COMPLIANT on one domain and EXEMPT on another meets at PENDING, which would refuse a fully
 * cleared transfer. We therefore judge each cell (as the SPEC's own payment example does: "a cell
 * counts as true when it is COMPLIANT or EXEMPT") and report the lattice meet alongside.
 */
export function evaluateRequirements(
  requirements: readonly Requirement[],
  read: CellReader,
): PredicateResult {
  const readings: CellReading[] = [];
  let state = ComplianceState.COMPLIANT;
  let first = true;
  let failing: CellReading | undefined;
  for (const req of requirements) {
    for (const domain of req.domains) {
      const cellState = read(req.subject, req.jurisdiction, domain);
      const reading: CellReading = {
        subject: req.subject,
        jurisdiction: req.jurisdiction,
        domain,
        state: cellState,
      };
      readings.push(reading);
      state = first ? cellState : meet(state, cellState);
      first = false;
      if (failing === undefined && !isPassing(cellState)) failing = reading;
    }
  }
  return { passed: failing === undefined, state, readings, failing };
}

/** "(0x<subject>, PAK, sanctions) is EXPIRED": names the cell and what it read as. */
export function describeReading(reading: CellReading): string {
  return `${describeCell(reading.subject, reading.jurisdiction, reading.domain)} is ${complianceStateName(reading.state)}`;
}
