import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseRulePack, type RulePack } from "../compliance/rulePack.js";
import { canonicalDigest } from "../crypto/canonicalJson.js";
import { DEFAULT_TX_POOL_LIMITS } from "../pool/txPool.js";
import { CORRIDOR_ID_SEPARATOR, CorridorState } from "../types/corridor.js";
import { Genesis, MAX_MAX_BLOCK_BYTES, MIN_MAX_BLOCK_BYTES } from "../types/genesis.js";
import { MAX_GENESIS_ACCOUNTS } from "../types/limits.js";
import { asciiString } from "../types/primitives.js";
import { bytesEqual } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";

const invalid = (path: string, message: string) =>
  new ConfigError(ConfigErrorCode.InvalidGenesis, `genesis ${path}: ${message}`);

/** The names of the corridor states, by value: "0 DRAFT, 1 PENDING, ...". */
const CORRIDOR_STATES = Object.entries(CorridorState)
  .filter(([, v]) => typeof v === "number")
  .map(([name, v]) => `${v} ${name.toUpperCase()}`)
  .join(", ");

/**
 * Checks what the SSZ schema cannot: a usable committee, unique ids, sane parameters, corridors
 * between known harbors, at most one per pair. A harbor authority may share its key with another
 * harbor or a validator (one operator may run several roles on a small network); only the all-zero
 * key, which no one holds the secret of, is refused.
 */
export function validateGenesis(genesis: Genesis, path = "(in memory)"): void {
  const { validators } = genesis.committee;
  if (validators.length === 0) throw invalid(path, "the committee has no validators");
  const keys = new Set<string>();
  for (const [i, v] of validators.entries()) {
    if (v.stake <= 0) throw invalid(path, `validator ${i} (${asciiString(v.name)}) has no stake`);
    const key = Buffer.from(v.publicKey).toString("hex");
    if (keys.has(key)) throw invalid(path, `validator ${i} repeats the public key of another validator`);
    keys.add(key);
  }
  const harbors = new Set<string>();
  for (const h of genesis.harbors) {
    const id = asciiString(h.id);
    if (id.length === 0) throw invalid(path, "a harbor has an empty id");
    if (harbors.has(id)) throw invalid(path, `harbor ${id} is defined twice`);
    if (h.authority.every((b) => b === 0)) throw invalid(path, `harbor ${id} has an all-zero authority key`);
    harbors.add(id);
  }
  const corridors = new Set<string>();
  for (const c of genesis.corridors) {
    const a = asciiString(c.harborA);
    const b = asciiString(c.harborB);
    const id = `${a}${CORRIDOR_ID_SEPARATOR}${b}`;
    for (const h of [a, b]) {
      if (!harbors.has(h)) throw invalid(path, `corridor ${id} names unknown harbor ${h}`);
    }
    if (!(a < b)) {
      throw invalid(
        path,
        `corridor ${id}: harborA must sort before harborB (two distinct harbors, ids sorted)`,
      );
    }
    if (corridors.has(id)) throw invalid(path, `corridor ${id} is declared twice`);
    corridors.add(id);
    if (CorridorState[c.state] === undefined) {
      throw invalid(path, `corridor ${id} has state ${c.state}, not a corridor state (${CORRIDOR_STATES})`);
    }
    const { timeoutBlocks, maxInFlight, maxDeliveriesPerBlock } = c.params;
    if (timeoutBlocks < 1)
      throw invalid(path, `corridor ${id}: params.timeoutBlocks must be at least 1 block`);
    if (maxDeliveriesPerBlock < 1) {
      throw invalid(path, `corridor ${id}: params.maxDeliveriesPerBlock must be at least 1`);
    }
    if (maxInFlight === 0n) throw invalid(path, `corridor ${id}: params.maxInFlight must be more than 0`);
  }
  if (genesis.accounts.length > MAX_GENESIS_ACCOUNTS)
    throw invalid(path, `${genesis.accounts.length} funded accounts, limit ${MAX_GENESIS_ACCOUNTS}`);
  if (genesis.cells.length > MAX_GENESIS_ACCOUNTS)
    throw invalid(path, `${genesis.cells.length} compliance cells, limit ${MAX_GENESIS_ACCOUNTS}`);
  for (const c of genesis.cells) {
    if (!harbors.has(asciiString(c.harbor)))
      throw invalid(path, `a cell is set in unknown harbor ${asciiString(c.harbor)}`);
  }
  for (const a of genesis.accounts) {
    const harbor = asciiString(a.harbor);
    if (!harbors.has(harbor)) throw invalid(path, `an account is funded in unknown harbor ${harbor}`);
  }
  const p = genesis.params;
  if (p.gcDepth < 2) throw invalid(path, "params.gcDepth must be at least 2 rounds");
  if (p.maxBlockBytes < MIN_MAX_BLOCK_BYTES || p.maxBlockBytes > MAX_MAX_BLOCK_BYTES) {
    throw invalid(
      path,
      `params.maxBlockBytes must be from ${MIN_MAX_BLOCK_BYTES} to ${MAX_MAX_BLOCK_BYTES}, got ${p.maxBlockBytes}`,
    );
  }
  if (p.maxBlockGas < DEFAULT_TX_POOL_LIMITS.maxGasLimit) {
    throw invalid(
      path,
      `params.maxBlockGas must hold the largest transaction a pool admits (${DEFAULT_TX_POOL_LIMITS.maxGasLimit} gas), got ${p.maxBlockGas}`,
    );
  }
}

export function genesisToJson(genesis: Genesis): string {
  return `${JSON.stringify(Genesis.toJson(genesis), null, 2)}\n`;
}

export function loadGenesis(path: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const missing = (err as { code?: string }).code === "ENOENT";
    throw new ConfigError(
      missing ? ConfigErrorCode.FileNotFound : ConfigErrorCode.InvalidGenesis,
      missing
        ? `genesis file ${path} does not exist`
        : `genesis ${path} is not valid JSON: ${errorMessage(err)}`,
    );
  }
  const params = (json as { params?: Record<string, unknown> } | null)?.params;
  if (params !== null && typeof params === "object" && "executionThreads" in params) {
    throw invalid(
      path,
      `params.executionThreads is no longer part of genesis (it is a per-machine setting: \`mass start --execution-threads N\`); make a new home with \`mass init --force --dir ${dirname(path)}\``,
    );
  }
  let genesis: Genesis;
  try {
    genesis = Genesis.fromJson(json);
  } catch (err) {
    throw invalid(
      path,
      `${errorMessage(err)} (a devnet home made by an older mass has an older genesis format: make a new one with \`mass init --force --dir ${dirname(path)}\`)`,
    );
  }
  validateGenesis(genesis, path);
  return genesis;
}

/** Where a home keeps a harbor's rule pack: rulepacks/<harbor>.json beside genesis.json. */
export function rulePackPath(homeDir: string, harbor: string): string {
  return join(homeDir, "rulepacks", `${harbor}.json`);
}

/**
 * Loads every harbor's rule pack from beside the genesis file and checks it against the digest in
 * genesis, so all validators enforce the same rules.
 */
export function loadRulePacks(genesisPath: string, genesis: Genesis): Map<string, RulePack> {
  const packs = new Map<string, RulePack>();
  for (const harbor of genesis.harbors) {
    const id = asciiString(harbor.id);
    const path = rulePackPath(dirname(genesisPath), id);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      throw invalid(genesisPath, `rule pack of ${id} (${path}) cannot be read: ${errorMessage(err)}`);
    }
    if (!bytesEqual(canonicalDigest(json), harbor.rulePackDigest)) {
      throw invalid(genesisPath, `rule pack ${path} does not match the rulePackDigest of ${id} in genesis`);
    }
    const pack = parseRulePack(json);
    if (pack.harbor !== id || pack.jurisdiction !== asciiString(harbor.jurisdiction)) {
      throw invalid(genesisPath, `rule pack ${path} is for ${pack.harbor} (${pack.jurisdiction}), not ${id}`);
    }
    packs.set(id, pack);
  }
  return packs;
}
