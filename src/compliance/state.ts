import { ComplianceError, ComplianceErrorCode } from "./errors.js";

/**
 * The seven compliance states (SPEC "Compliance tensor"). The numbers are wire values (AttestPayload.state,
 * TensorCell.state, the SAVM's TENSOR_STATE result): never renumber. They follow the lattice order, so
 * for every pair except the two incomparable tops the smaller number is the lower state.
 */
export enum ComplianceState {
  NON_COMPLIANT = 0,
  EXPIRED = 1,
  SUSPENDED = 2,
  UNKNOWN = 3,
  PENDING = 4,
  COMPLIANT = 5,
  EXEMPT = 6,
}

/** Number of states; wire values are 0 .. STATE_COUNT - 1. */
export const STATE_COUNT = 7;

const NAMES: readonly string[] = [
  "NON_COMPLIANT",
  "EXPIRED",
  "SUSPENDED",
  "UNKNOWN",
  "PENDING",
  "COMPLIANT",
  "EXEMPT",
];

export function isComplianceState(value: unknown): value is ComplianceState {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < STATE_COUNT;
}

/** "COMPLIANT", "NON_COMPLIANT", ... */
export function complianceStateName(state: ComplianceState): string {
  const name = NAMES[state];
  if (name === undefined) {
    throw new ComplianceError(ComplianceErrorCode.InvalidState, `${String(state)} is not a compliance state`);
  }
  return name;
}

/** Parses a state name in either case ("COMPLIANT", "non_compliant") or its wire number. */
export function parseComplianceState(input: string | number): ComplianceState {
  if (typeof input === "number") {
    if (isComplianceState(input)) return input;
  } else {
    const index = NAMES.indexOf(input.trim().toUpperCase());
    if (index >= 0) return index as ComplianceState;
  }
  throw new ComplianceError(
    ComplianceErrorCode.InvalidState,
    `unknown compliance state ${JSON.stringify(input)}; expected one of ${NAMES.join(", ")}`,
  );
}

/** COMPLIANT and EXEMPT are the states that satisfy a requirement ("a cell counts as true"). */
export function isPassing(state: ComplianceState): boolean {
  return state === ComplianceState.COMPLIANT || state === ComplianceState.EXEMPT;
}

function isTop(state: ComplianceState): boolean {
  return state === ComplianceState.COMPLIANT || state === ComplianceState.EXEMPT;
}

function computeMeet(a: ComplianceState, b: ComplianceState): ComplianceState {
  // The incomparable tops meet at the greatest state below both (SPEC: PENDING).
  if (isTop(a) && isTop(b) && a !== b) return ComplianceState.PENDING;
  return a < b ? a : b;
}

function computeJoin(a: ComplianceState, b: ComplianceState): ComplianceState {
  // SPEC fixes join(COMPLIANT, EXEMPT) = EXEMPT: an exemption dominates a compliance finding.
  if (isTop(a) && isTop(b) && a !== b) return ComplianceState.EXEMPT;
  return a > b ? a : b;
}

function table(op: (a: ComplianceState, b: ComplianceState) => ComplianceState): Uint8Array {
  const out = new Uint8Array(STATE_COUNT * STATE_COUNT);
  for (let a = 0; a < STATE_COUNT; a++) {
    for (let b = 0; b < STATE_COUNT; b++) out[a * STATE_COUNT + b] = op(a, b);
  }
  return out;
}

// Precomputed 7x7 tables: meet/join sit on the VM's and the predicate's hot path.
const MEET = table(computeMeet);
const JOIN = table(computeJoin);

function checked(state: ComplianceState): number {
  if (!isComplianceState(state)) {
    throw new ComplianceError(ComplianceErrorCode.InvalidState, `${String(state)} is not a compliance state`);
  }
  return state;
}

/** Greatest lower bound ("weakest link"): commutative, NON_COMPLIANT absorbs. */
export function meet(a: ComplianceState, b: ComplianceState): ComplianceState {
  return MEET[checked(a) * STATE_COUNT + checked(b)] as ComplianceState;
}

/** Least upper bound: commutative, join(COMPLIANT, EXEMPT) = EXEMPT. */
export function join(a: ComplianceState, b: ComplianceState): ComplianceState {
  return JOIN[checked(a) * STATE_COUNT + checked(b)] as ComplianceState;
}

/** meet over a list; the meet of nothing is the lattice's identity for meet, read here as COMPLIANT. */
export function meetAll(states: Iterable<ComplianceState>): ComplianceState {
  let acc: ComplianceState | undefined;
  for (const s of states) acc = acc === undefined ? checked(s) : meet(acc, s);
  return acc ?? ComplianceState.COMPLIANT;
}
