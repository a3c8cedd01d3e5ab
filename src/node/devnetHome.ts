import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOMAINS } from "../compliance/domains.js";
import { ComplianceState } from "../compliance/state.js";
import { canonicalDigest } from "../crypto/canonicalJson.js";
import { type CorridorParams, CorridorState, type GenesisCorridor } from "../types/corridor.js";
import { DEFAULT_BLOCK_LIMITS, type Genesis, type GenesisCell } from "../types/genesis.js";
import { MAX_GENESIS_ACCOUNTS } from "../types/limits.js";
import { asciiBytes, MAX_COMMITTEE_SIZE } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";
import { genesisToJson, rulePackPath, validateGenesis } from "./genesis.js";
import { generateKeyPair, type KeyPair, writeKeyFile } from "./keyFile.js";

/** The devnet's harbors (SPEC: one execution shard per jurisdiction or SEZ). */
export const DEVNET_HARBORS = [
  { id: "pk-sifc", jurisdiction: "PAK", name: "Pakistan Special Investment Facilitation Council" },
  { id: "ae-difc", jurisdiction: "ARE", name: "Dubai International Financial Centre" },
  { id: "kz-aifc", jurisdiction: "KAZ", name: "Astana International Financial Centre" },
] as const;

export const DEFAULT_DEVNET_VALIDATORS = 4;
export const DEFAULT_CHAIN_ID = "mass-devnet";
/** First validator's libp2p port; validator i listens on BASE + i (RPC and metrics use offsets of it). */
export const DEFAULT_BASE_PORT = 26_000;
/** Equal stake per validator: with n = 3f+1 any 2f+1 form a quorum. */
const DEVNET_STAKE = 100;
/** Balance of the faucet account in each harbor: plenty for load tests and demos. */
const FAUCET_BALANCE = 1_000_000_000_000n;
/** Demo accounts, funded and attested compliant in every harbor so transfers work out of the box. */
const DEMO_ACCOUNTS = ["alice", "bob"] as const;
const DEMO_BALANCE = 1_000_000_000n;
/** Balance of the attester and of each harbor authority in every harbor: their transactions pay fees too. */
const OPERATOR_BALANCE = 1_000_000_000n;
/** The rule-pack templates shipped with the project; a devnet home gets copies with its own keys. */
const RULE_PACK_TEMPLATES = new URL("../../../genesis/rulepacks/", import.meta.url);

/**
 * Consensus parameters of the devnet, sized for one machine.
 * - gcDepth 1,000 rounds keeps about 3 minutes (busy, ~5 rounds/s) to 7 minutes (idle, 2.5 rounds/s)
 *   of DAG and batches: a validator down or emptied for that long catches up from its peers' DAG;
 *   beyond it, by block sync and a consensus checkpoint. Batches are the bulk: at the 46k tx/s of
 *   512 B the consensus bench offers, 3 minutes is about 4 GB per validator, so a deeper window
 *   costs disk and LevelDB compaction for little (block sync covers longer outages).
 * - Headers follow each other after 100 ms when they carry batches, 400 ms when empty: latency under
 *   load against a quiet idle network (about one block a second). SPEC targets < 2 s consensus.
 * - Batches seal at 500 kB or 50 ms.
 */
export const DEVNET_PARAMS = {
  gcDepth: 1_000,
  minHeaderDelayMs: 100,
  maxHeaderDelayMs: 400,
  leaderTimeoutMs: 1_000,
  maxBatchBytes: 500_000,
  maxBatchDelayMs: 50,
  ...DEFAULT_BLOCK_LIMITS,
};

/**
 * Blocks after its departure by which a corridor transfer is credited or else refunded. Arrival is
 * due in the next block; 100 blocks (about 40 s busy to 100 s idle on the devnet, at 2.5 to 1 block
 * a second) leaves room for a delivery backlog or a validator restart, yet a transfer that cannot
 * arrive is refunded within a demo's patience, not hours later.
 */
export const DEFAULT_CORRIDOR_TIMEOUT_BLOCKS = 100;
/**
 * Most value in flight through one corridor at once: 10^15 units, a thousand times the devnet
 * faucet's balance in a harbor (10^12), so no demo or load test meets it, while it stays a real
 * bound far below u64 (1.8·10^19) that limits what a fault in one corridor can put at stake.
 */
export const DEFAULT_CORRIDOR_MAX_IN_FLIGHT = 10n ** 15n;
/**
 * Most arrivals one corridor delivers per block: a fifth of a default block's 5,000 transfers
 * (DEFAULT_MAX_BLOCK_GAS), so the devnet's three corridors add at most 60% to a full block's
 * execution work; a backlog drains at 1,000 a block, 100,000 within the timeout before refunds start.
 */
export const DEFAULT_CORRIDOR_MAX_DELIVERIES_PER_BLOCK = 1_000;
/** The parameters of every devnet corridor. */
export const DEFAULT_CORRIDOR_PARAMS: CorridorParams = {
  timeoutBlocks: DEFAULT_CORRIDOR_TIMEOUT_BLOCKS,
  maxInFlight: DEFAULT_CORRIDOR_MAX_IN_FLIGHT,
  maxDeliveriesPerBlock: DEFAULT_CORRIDOR_MAX_DELIVERIES_PER_BLOCK,
};

/** Accounts every devnet funds besides the extra ones: the faucet, the demos, the attester, the authorities. */
const BUILT_IN_FUNDED = 1 + DEMO_ACCOUNTS.length + 1 + DEVNET_HARBORS.length;

/**
 * The most extra accounts a devnet genesis can hold: each funded account gets a compliance cell per
 * domain in every harbor, and genesis lists at most MAX_GENESIS_ACCOUNTS cells.
 */
export const MAX_EXTRA_ACCOUNTS =
  Math.floor(MAX_GENESIS_ACCOUNTS / (DEVNET_HARBORS.length * DOMAINS.length)) - BUILT_IN_FUNDED;

export interface InitOptions {
  dir: string;
  validators: number;
  chainId?: string;
  basePort?: number;
  force?: boolean;
  /** Unix milliseconds; defaults to now. */
  genesisTime?: number;
  /** Extra funded, attested accounts (keys/account-<i>.json), for load generation. */
  accounts?: number;
  /** Consensus gc depth in rounds; default DEVNET_PARAMS.gcDepth (tests use a small one to exercise block sync). */
  gcDepth?: number;
}

export interface DevnetHome {
  dir: string;
  genesisPath: string;
  genesis: Genesis;
  validatorKeyPaths: string[];
  faucetKeyPath: string;
  attesterKeyPath: string;
  /** The harbor authorities' keys, keys/harbor-<id>.json, in the order of genesis.harbors. */
  harborKeyPaths: string[];
  /** alice and bob. */
  demoKeyPaths: string[];
  /** Extra load-generation accounts, keys/account-<i>.json. */
  extraAccounts: number;
}

export function genesisPathOf(dir: string): string {
  return join(dir, "genesis.json");
}

export function validatorKeyPath(dir: string, index: number): string {
  return join(dir, "keys", `validator-${index}.json`);
}

/** Where a devnet home keeps the key of a harbor's authority (it signs corridor lifecycle transactions). */
export function harborKeyPath(dir: string, harborId: string): string {
  return join(dir, "keys", `harbor-${harborId}.json`);
}

/** A corridor between every pair of the devnet's harbors, ids sorted, ACTIVE from genesis. */
function devnetCorridors(): GenesisCorridor[] {
  const ids = DEVNET_HARBORS.map((h) => h.id).sort();
  return ids.flatMap((a, i) =>
    ids.slice(i + 1).map((b) => ({
      harborA: asciiBytes(a),
      harborB: asciiBytes(b),
      params: { ...DEFAULT_CORRIDOR_PARAMS },
      state: CorridorState.Active,
    })),
  );
}

/**
 * Creates a devnet home: genesis.json (committee, stakes, harbors with their authorities, a corridor
 * between every two harbors, funded faucet) and the key files: one per validator, one per harbor
 * authority, the faucet, the attester, the treasury and the demo accounts.
 */
export function initDevnetHome(options: InitOptions): DevnetHome {
  const { dir, validators } = options;
  if (!Number.isInteger(validators) || validators < 1 || validators > MAX_COMMITTEE_SIZE) {
    throw new ConfigError(
      ConfigErrorCode.InvalidArgument,
      `--validators must be an integer from 1 to ${MAX_COMMITTEE_SIZE}, got ${validators}`,
    );
  }
  const basePort = options.basePort ?? DEFAULT_BASE_PORT;
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + validators > 65_535) {
    throw new ConfigError(
      ConfigErrorCode.InvalidArgument,
      `--base-port ${basePort} leaves no room for ${validators} ports`,
    );
  }
  const accounts = options.accounts ?? 0;
  if (!Number.isInteger(accounts) || accounts < 0 || accounts > MAX_EXTRA_ACCOUNTS) {
    throw new ConfigError(
      ConfigErrorCode.InvalidArgument,
      `--accounts must be an integer from 0 to ${MAX_EXTRA_ACCOUNTS} (genesis holds ${MAX_GENESIS_ACCOUNTS} compliance cells), got ${accounts}`,
    );
  }
  const genesisPath = genesisPathOf(dir);
  if (existsSync(genesisPath) && !options.force) {
    throw new ConfigError(
      ConfigErrorCode.FileExists,
      `${dir} already holds a devnet (genesis.json); pass --force to replace it`,
    );
  }
  mkdirSync(join(dir, "keys"), { recursive: true });

  const keys: KeyPair[] = Array.from({ length: validators }, generateKeyPair);
  const validatorKeyPaths = keys.map((key, i) => {
    const path = validatorKeyPath(dir, i);
    writeKeyFile(path, key, { overwrite: true });
    return path;
  });
  const named = (name: string) => {
    const key = generateKeyPair();
    const path = join(dir, "keys", `${name}.json`);
    writeKeyFile(path, key, { overwrite: true });
    return { key, path };
  };
  const faucet = named("faucet");
  const attester = named("attester");
  const treasury = named("treasury");
  const demos = [
    ...DEMO_ACCOUNTS.map(named),
    ...Array.from({ length: options.accounts ?? 0 }, (_, i) => named(`account-${i}`)),
  ];

  mkdirSync(join(dir, "rulepacks"), { recursive: true });
  const harborKeyPaths: string[] = [];
  const authorities: KeyPair[] = [];
  const harbors = DEVNET_HARBORS.map((h) => {
    const authority = generateKeyPair();
    authorities.push(authority);
    const keyPath = harborKeyPath(dir, h.id);
    writeKeyFile(keyPath, authority, { overwrite: true });
    harborKeyPaths.push(keyPath);
    const pack = devnetRulePack(h.id, toHex(attester.key.publicKey), toHex(treasury.key.publicKey));
    writeFileSync(rulePackPath(dir, h.id), `${JSON.stringify(pack, null, 2)}\n`);
    return {
      id: asciiBytes(h.id),
      jurisdiction: asciiBytes(h.jurisdiction),
      name: asciiBytes(h.name),
      rulePackDigest: canonicalDigest(pack),
      authority: authority.publicKey,
    };
  });
  const funded = [
    { key: faucet.key, balance: FAUCET_BALANCE },
    ...demos.map((d) => ({ key: d.key, balance: DEMO_BALANCE })),
    { key: attester.key, balance: OPERATOR_BALANCE },
    ...authorities.map((key) => ({ key, balance: OPERATOR_BALANCE })),
  ];
  const cells: GenesisCell[] = [];
  for (const h of DEVNET_HARBORS) {
    for (const { key } of funded) {
      for (let domain = 0; domain < DOMAINS.length; domain++) {
        cells.push({
          harbor: asciiBytes(h.id),
          subject: key.publicKey,
          domain,
          state: ComplianceState.COMPLIANT,
        });
      }
    }
  }

  const genesis: Genesis = {
    chainId: asciiBytes(options.chainId ?? DEFAULT_CHAIN_ID),
    genesisTime: options.genesisTime ?? Date.now(),
    committee: {
      epoch: 0,
      validators: keys.map((key, i) => ({
        name: asciiBytes(`validator-${i}`),
        publicKey: key.publicKey,
        stake: DEVNET_STAKE,
        address: asciiBytes(`/ip4/127.0.0.1/tcp/${basePort + i}`),
      })),
    },
    params: { ...DEVNET_PARAMS, gcDepth: options.gcDepth ?? DEVNET_PARAMS.gcDepth },
    harbors,
    accounts: DEVNET_HARBORS.flatMap((h) =>
      funded.map(({ key, balance }) => ({ harbor: asciiBytes(h.id), address: key.publicKey, balance })),
    ),
    cells,
    corridors: devnetCorridors(),
  };
  validateGenesis(genesis, genesisPath);
  writeFileSync(genesisPath, genesisToJson(genesis));
  return {
    dir,
    genesisPath,
    genesis,
    validatorKeyPaths,
    faucetKeyPath: faucet.path,
    attesterKeyPath: attester.path,
    harborKeyPaths,
    demoKeyPaths: demos.slice(0, DEMO_ACCOUNTS.length).map((d) => d.path),
    extraAccounts: options.accounts ?? 0,
  };
}

/** The shipped template of a harbor's rule pack with this devnet's attester (every domain) and treasury. */
function devnetRulePack(harbor: string, attester: string, treasury: string): Record<string, unknown> {
  const template = JSON.parse(readFileSync(new URL(`${harbor}.json`, RULE_PACK_TEMPLATES), "utf8")) as Record<
    string,
    unknown
  >;
  return {
    ...template,
    attesters: Object.fromEntries(DOMAINS.map((d) => [d, [attester]])),
    treasury,
  };
}
