import type { RulePack } from "../../compliance/rulePack.js";
import type { ExecutionEnv } from "../env.js";
import type { ProofRegistry } from "../precompiles/zk.js";
import type { World } from "../state/world.js";
import { asciiToWord, bytesToWord, type Word } from "../word.js";

/** The block and harbor a batch of transactions executes in. */
export interface HarborContext {
  chainId: string;
  /** Block time, unix milliseconds. */
  timestamp: number;
  harbor: string;
  jurisdiction: string;
  rulePack: RulePack;
  proofs: ProofRegistry;
  /** Check each transaction's Ed25519 signature (off only where a caller verified them already). */
  verifySignatures: boolean;
}

const jurisdictionWords = new Map<string, Word>();

/** A jurisdiction code as a stack word (memoised: it is needed for every transaction). */
function jurisdictionWord(code: string): Word {
  let w = jurisdictionWords.get(code);
  if (w === undefined) {
    w = asciiToWord(code);
    jurisdictionWords.set(code, w);
  }
  return w;
}

/** The execution environment of one transaction (or corridor delivery) in a harbor. */
export function envFor(
  world: World,
  ctx: HarborContext,
  origin: Uint8Array,
  txHash: Uint8Array,
  trace?: (line: string) => void,
): ExecutionEnv {
  return {
    world,
    harbor: ctx.harbor,
    jurisdiction: ctx.jurisdiction,
    jurisdictionWord: jurisdictionWord(ctx.jurisdiction),
    timestamp: ctx.timestamp,
    rulePack: ctx.rulePack,
    proofs: ctx.proofs,
    origin,
    originWord: bytesToWord(origin),
    txHash,
    locksCreated: 0,
    trace,
  };
}
