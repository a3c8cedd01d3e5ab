import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "../util/errors.js";
import { DOMAINS, parseDomain } from "./domains.js";
import { ComplianceError, ComplianceErrorCode } from "./errors.js";

/**
 * A harbor's rule pack (its lawpack/regpack/licensepack condensed to what the node enforces): which
 * compliance domains each operation requires, who may attest each domain, transfer limits and
 * withholding. Loaded from genesis (genesis/rulepacks/*.json); docs/savm.md documents the format.
 */

/** Operations a rule pack constrains. */
export const OPERATIONS = ["transfer", "migrate", "deploy", "call"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Basis points: 10_000 = 100 %. */
export const BASIS_POINTS = 10_000n;

export interface OperationRequirements {
  /** Domains the sender (value leaving, or the actor) must satisfy in this harbor's jurisdiction. */
  export: readonly number[];
  /** Domains the recipient (value arriving) must satisfy in this harbor's jurisdiction. */
  import: readonly number[];
}

export interface RulePack {
  harbor: string;
  jurisdiction: string;
  /** Human-readable zone name. */
  name: string;
  /** Rule pack revision; a harbor's new rules come with a higher version. */
  version: number;
  operations: Readonly<Record<Operation, OperationRequirements>>;
  /** Per domain index, the lowercase 0x-hex public keys authorised to attest it. */
  attesters: readonly (readonly string[])[];
  /** Largest amount one transfer or migration may move; undefined = unlimited. */
  maxTransferAmount: bigint | undefined;
  /** Share of each native transfer withheld for the harbor, in basis points, credited to `treasury`. */
  transferWithholdingBps: bigint;
  /** 0x-hex public key of the account that receives withholding. */
  treasury: string;
}

const JURISDICTION_RE = /^[A-Z]{3}$/;
const HARBOR_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const KEY_RE = /^0x[0-9a-f]{64}$/;

function fail(where: string, message: string): never {
  throw new ComplianceError(ComplianceErrorCode.InvalidRulePack, `rule pack ${where}: ${message}`);
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(where, "expected an object");
  return value as Record<string, unknown>;
}

function domainList(value: unknown, where: string): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, "expected a list of domain names");
  const out: number[] = [];
  for (const item of value) {
    if (typeof item !== "string") fail(where, "domain names are strings");
    let index: number;
    try {
      index = parseDomain(item);
    } catch (err) {
      fail(where, errorMessage(err));
    }
    if (out.includes(index)) fail(where, `domain ${item} listed twice`);
    out.push(index);
  }
  return out;
}

function publicKeyHex(value: unknown, where: string): string {
  if (typeof value !== "string" || !KEY_RE.test(value.toLowerCase())) {
    fail(where, "expected a 0x-prefixed 32-byte hex public key");
  }
  return value.toLowerCase();
}

function basisPoints(value: unknown, where: string): bigint {
  if (value === undefined) return 0n;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > Number(BASIS_POINTS)) {
    fail(where, "expected whole basis points between 0 and 10000");
  }
  return BigInt(value);
}

/** Validates a rule pack's JSON form; every problem is a ComplianceError naming the field. */
export function parseRulePack(json: unknown): RulePack {
  const root = asObject(json, "");
  const harbor = root.harbor;
  if (typeof harbor !== "string" || !HARBOR_RE.test(harbor))
    fail("harbor", "expected a harbor id like pk-sifc");
  const jurisdiction = root.jurisdiction;
  if (typeof jurisdiction !== "string" || !JURISDICTION_RE.test(jurisdiction)) {
    fail(`${harbor}.jurisdiction`, "expected an ISO 3166 alpha-3 code like PAK");
  }
  const name = root.name;
  if (typeof name !== "string" || name.length === 0) fail(`${harbor}.name`, "expected a non-empty string");
  const version = root.version;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    fail(`${harbor}.version`, "expected a positive integer");
  }
  const ops = asObject(root.operations ?? {}, `${harbor}.operations`);
  for (const name of Object.keys(ops)) {
    if (!(OPERATIONS as readonly string[]).includes(name)) {
      fail(`${harbor}.operations`, `unknown operation "${name}"; expected ${OPERATIONS.join(", ")}`);
    }
  }
  const operations = {} as Record<Operation, OperationRequirements>;
  for (const op of OPERATIONS) {
    const spec = asObject(ops[op] ?? {}, `${harbor}.operations.${op}`);
    operations[op] = {
      export: domainList(spec.export, `${harbor}.operations.${op}.export`),
      import: domainList(spec.import, `${harbor}.operations.${op}.import`),
    };
  }
  const attesterJson = asObject(root.attesters ?? {}, `${harbor}.attesters`);
  const attesters: string[][] = DOMAINS.map(() => []);
  for (const [name, keys] of Object.entries(attesterJson)) {
    const where = `${harbor}.attesters.${name}`;
    let index: number;
    try {
      index = parseDomain(name);
    } catch (err) {
      fail(where, errorMessage(err));
    }
    if (!Array.isArray(keys)) fail(where, "expected a list of public keys");
    attesters[index] = keys.map((k, i) => publicKeyHex(k, `${where}[${i}]`));
  }
  const limits = asObject(root.transferLimits ?? {}, `${harbor}.transferLimits`);
  let maxTransferAmount: bigint | undefined;
  if (limits.maxPerTransaction !== undefined) {
    const v = limits.maxPerTransaction;
    if (typeof v !== "string" || !/^[0-9]+$/.test(v)) {
      fail(`${harbor}.transferLimits.maxPerTransaction`, "expected a decimal string");
    }
    maxTransferAmount = BigInt(v);
  }
  const transferWithholdingBps = basisPoints(root.transferWithholdingBps, `${harbor}.transferWithholdingBps`);
  const treasury = publicKeyHex(root.treasury, `${harbor}.treasury`);
  return {
    harbor,
    jurisdiction,
    name,
    version,
    operations,
    attesters,
    maxTransferAmount,
    transferWithholdingBps,
    treasury,
  };
}

export function loadRulePackFile(path: string): RulePack {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ComplianceError(
      ComplianceErrorCode.InvalidRulePack,
      `cannot read rule pack ${path}: ${errorMessage(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ComplianceError(
      ComplianceErrorCode.InvalidRulePack,
      `rule pack ${path} is not JSON: ${errorMessage(err)}`,
    );
  }
  return parseRulePack(json);
}

/** Every `*.json` rule pack in a directory, sorted by harbor id. */
export function loadRulePackDir(dir: string): RulePack[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch (err) {
    throw new ComplianceError(
      ComplianceErrorCode.InvalidRulePack,
      `cannot list rule packs in ${dir}: ${errorMessage(err)}`,
    );
  }
  const packs = files.map((f) => loadRulePackFile(join(dir, f)));
  return packs.sort((a, b) => (a.harbor < b.harbor ? -1 : a.harbor > b.harbor ? 1 : 0));
}

export function isAuthorisedAttester(pack: RulePack, domain: number, attesterHex: string): boolean {
  return pack.attesters[domain]?.includes(attesterHex) ?? false;
}
