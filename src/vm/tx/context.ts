import type { RulePack } from "../../compliance/rulePack.js";
import { asciiBytes } from "../../types/primitives.js";
import { fromHex } from "../../util/bytes.js";
import type { ExecutionEnv } from "../env.js";
import type { ProofRegistry } from "../precompiles/zk.js";
import type { World } from "../state/world.js";
import { asciiToWord, bytesToWord, type Word } from "../word.js";
import type { EnvelopeRules } from "./validity.js";

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
  /** Tx hash hex → "" or the reason a corridor lifecycle move is refused (the chain's plan). */
  lifecycleVerdicts?: Readonly<Record<string, string>>;
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

/** A context's strings as bytes, as every transaction compares them. */
export interface HarborContextBytes {
  chainId: Uint8Array;
  jurisdiction: Uint8Array;
}

const contextBytesCache = new WeakMap<HarborContext, HarborContextBytes>();

/** The context's strings as bytes (memoised per context: a block's transactions share one). */
export function contextBytes(ctx: HarborContext): HarborContextBytes {
  let bytes = contextBytesCache.get(ctx);
  if (bytes === undefined) {
    bytes = {
      chainId: asciiBytes(ctx.chainId),
      jurisdiction: asciiBytes(ctx.jurisdiction),
    };
    contextBytesCache.set(ctx, bytes);
  }
  return bytes;
}

const envelopeCache = new WeakMap<HarborContext, EnvelopeRules>();

/** What a transaction executed here must name: this chain and this harbor (memoised per context). */
export function envelopeOf(ctx: HarborContext): EnvelopeRules {
  let rules = envelopeCache.get(ctx);
  if (rules === undefined) {
    rules = { chainId: contextBytes(ctx).chainId, harbors: new Set([ctx.harbor]) };
    envelopeCache.set(ctx, rules);
  }
  return rules;
}

const treasuryKeys = new WeakMap<RulePack, Uint8Array>();

/** The rule pack's treasury address as bytes (memoised per pack: fees and withholdings go there). */
export function treasuryKeyOf(pack: RulePack): Uint8Array {
  let key = treasuryKeys.get(pack);
  if (key === undefined) {
    key = fromHex(pack.treasury);
    treasuryKeys.set(pack, key);
  }
  return key;
}
