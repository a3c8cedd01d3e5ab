import { fileURLToPath } from "node:url";
import { loadRulePackDir, type RulePack } from "../../src/compliance/rulePack.js";
import type { ComplianceState } from "../../src/compliance/state.js";
import { assemble } from "../../src/vm/assembler.js";
import { type CellInput, type RunResult, runProgram } from "../../src/vm/run.js";

export const RULEPACK_DIR = fileURLToPath(new URL("../../../genesis/rulepacks/", import.meta.url));
export const PACKS: RulePack[] = loadRulePackDir(RULEPACK_DIR);

export function pack(harbor: string): RulePack {
  const p = PACKS.find((x) => x.harbor === harbor);
  if (p === undefined) throw new Error(`no pack ${harbor}`);
  return p;
}

export const NOW = 1_700_000_000_000;

export interface RunOpts {
  gasLimit?: number;
  input?: Uint8Array;
  caller?: Uint8Array;
  cells?: CellInput[];
  harbor?: string;
  timestamp?: number;
}

/** Assembles and runs `source` in a fresh pk-sifc harbor. */
export function run(source: string, opts: RunOpts = {}): RunResult {
  return runProgram({
    code: assemble(source).bytecode,
    caller: opts.caller ?? new Uint8Array(32).fill(0xcc),
    rulePack: pack(opts.harbor ?? "pk-sifc"),
    cells: opts.cells ?? [],
    gasLimit: opts.gasLimit ?? 1_000_000,
    input: opts.input ?? new Uint8Array(0),
    timestamp: opts.timestamp ?? NOW,
  });
}

/** The returned word as a bigint. */
export function ret(r: RunResult): bigint {
  return BigInt(`0x${Buffer.from(r.returnData).toString("hex") || "0"}`);
}

export function cellInput(
  subject: Uint8Array,
  jurisdiction: string,
  domain: number,
  state: ComplianceState,
  expiresAt = 0,
): CellInput {
  return {
    subject,
    jurisdiction,
    domain,
    cell: {
      state,
      attestationRef: new Uint8Array(32),
      evaluatedAt: 0,
      expiresAt,
      attester: new Uint8Array(32),
    },
  };
}
