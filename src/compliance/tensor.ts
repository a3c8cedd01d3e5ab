import type { TensorCell } from "../types/execution.js";
import { toHex } from "../util/bytes.js";
import { domainName } from "./domains.js";
import { ComplianceState } from "./state.js";

/** Read access to the compliance tensor as of some state (a block's start plus the writes so far). */
export interface TensorView {
  getCell(subject: Uint8Array, jurisdiction: string, domain: number): TensorCell | undefined;
}

/**
 * The state a cell reads as at `now` (unix ms): no attestation reads as UNKNOWN; an attestation past
 * its `expiresAt` (strictly later than it) reads as EXPIRED whatever it said.
 */
export function readCellState(cell: TensorCell | undefined, now: number): ComplianceState {
  if (cell === undefined) return ComplianceState.UNKNOWN;
  if (cell.expiresAt !== 0 && now > cell.expiresAt) return ComplianceState.EXPIRED;
  return cell.state as ComplianceState;
}

/** One cell as read by a check: its coordinates and the state it read as. */
export interface CellReading {
  subject: Uint8Array;
  jurisdiction: string;
  domain: number;
  state: ComplianceState;
}

/** "(0x<subject>, PAK, sanctions)": how errors and revert reasons name a cell (full subject, for precision). */
export function describeCell(subject: Uint8Array, jurisdiction: string, domain: number): string {
  return `(${toHex(subject)}, ${jurisdiction}, ${domainName(domain)})`;
}
