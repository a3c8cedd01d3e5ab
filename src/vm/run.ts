import type { RulePack } from "../compliance/rulePack.js";
import { sha256 } from "../crypto/hash.js";
import type { TensorCell } from "../types/execution.js";
import { TensorCell as TensorCellType } from "../types/execution.js";
import { type ExecutionResult, executeAsset } from "./execute.js";
import { defaultProofRegistry } from "./precompiles/zk.js";
import { tensorKey } from "./state/keys.js";
import { World, ZERO32 } from "./state/world.js";
import { envFor } from "./tx/context.js";

/** One tensor cell to preload for a local run. */
export interface CellInput {
  subject: Uint8Array;
  jurisdiction: string;
  domain: number;
  cell: TensorCell;
}

export interface RunOptions {
  code: Uint8Array;
  caller: Uint8Array;
  rulePack: RulePack;
  cells: readonly CellInput[];
  gasLimit: number;
  input: Uint8Array;
  /** Block time the program sees, unix milliseconds. */
  timestamp: number;
  /** DEBUG output. */
  trace?: (line: string) => void;
}

export interface RunResult extends ExecutionResult {
  /** The id the program ran under: SHA-256 of its bytecode. */
  asset: Uint8Array;
}

/**
 * Runs a program locally (what `mass vm run` does): a fresh harbor for `rulePack` holding only the
 * program (as an asset whose id is SHA-256 of its code) and the given tensor cells.
 */
export function runProgram(options: RunOptions): RunResult {
  const snapshot = new Map<string, Uint8Array>();
  for (const c of options.cells) {
    snapshot.set(tensorKey(c.subject, c.jurisdiction, c.domain), TensorCellType.serialize(c.cell));
  }
  const world = new World({ get: (key) => snapshot.get(key) });
  const asset = sha256(options.code);
  world.putAssetRecord(asset, {
    owner: options.caller,
    code: options.code,
    metadata: new Uint8Array(0),
    chain: { head: ZERO32, count: 0 },
  });
  const pack = options.rulePack;
  const env = envFor(
    world,
    {
      chainId: "local",
      timestamp: options.timestamp,
      harbor: pack.harbor,
      jurisdiction: pack.jurisdiction,
      rulePack: pack,
      proofs: defaultProofRegistry(),
      verifySignatures: false,
    },
    options.caller,
    ZERO32,
    options.trace,
  );
  world.beginExecution();
  const result = executeAsset(env, world.getAsset(asset)!, options.caller, options.input, options.gasLimit);
  return { ...result, asset };
}
