import { BASIS_POINTS, type RulePack } from "../../src/compliance/rulePack.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { sha256 } from "../../src/crypto/hash.js";
import { finalityCertificateFault } from "../../src/finality/collector.js";
import { BlockHeader, FinalityCertificate } from "../../src/types/block.js";
import { ExecutionOutcome } from "../../src/types/execution.js";
import { Genesis } from "../../src/types/genesis.js";
import { asciiString } from "../../src/types/primitives.js";
import { blockHash } from "../../src/types/signing.js";
import { toHex } from "../../src/util/bytes.js";
import { errorMessage } from "../../src/util/errors.js";
import { treasuryKeyOf } from "../../src/vm/tx/context.js";
import type { FaultRecord } from "./faults.js";
import { HARBOR, type LedgerTx, type SenderLedger, type SentTx } from "./load.js";
import type { BlockJson } from "./rpc.js";
import { type AccountState, accountId, type ValidatorView } from "./snapshot.js";

export const CHECKS = {
  a: "identical block hashes at every height on every validator",
  b: "every accepted transaction finalized exactly once",
  c: "no nonce gaps per sender",
  d: "total supply conserved (fees and withholding move to the harbor treasury)",
  e: "every block on every validator has a valid finality certificate",
  f: "new transactions finalize within the recovery limit after each fault",
} as const;
export type CheckId = keyof typeof CHECKS;

export interface CheckResult {
  id: CheckId;
  name: string;
  passed: boolean;
  failureCount: number;
  /** The first failures, each naming the height, transaction or validator. */
  failures: string[];
}

export interface CheckInput {
  /** Blocks 1..height are checked. */
  height: number;
  views: ValidatorView[];
  ledger: readonly SenderLedger[];
  genesis: Genesis;
  rulePacks: Map<string, RulePack>;
  /** Per harbor, the addresses whose balances make up its supply. */
  supply: Map<string, Set<string>>;
  faults: readonly FaultRecord[];
  recoveryLimitSeconds: number;
  recoveryCapSeconds: number;
}

/** Failures listed per check; the rest are counted. Enough to see a pattern, short enough to read. */
const MAX_LISTED_FAILURES = 30;
/** Outcomes as mass_getTransaction names them: an Invalid transaction pays no fee and keeps its nonce. */
const INVALID = ExecutionOutcome[ExecutionOutcome.Invalid];
const SUCCESS = ExecutionOutcome[ExecutionOutcome.Success];

class Failures {
  readonly listed: string[] = [];
  count = 0;

  add(message: string): void {
    this.count += 1;
    if (this.listed.length < MAX_LISTED_FAILURES) this.listed.push(message);
  }
}

interface Position {
  height: number;
  index: number;
}

interface LedgerEntry {
  tx: SentTx;
  accepted: LedgerTx | undefined;
}

/** The input plus what every check looks up: where each transaction sits on each validator's chain. */
interface Context extends CheckInput {
  /** Per view (same order): transaction hash → its positions, in chain order. */
  positions: Map<string, Position[]>[];
  byHash: Map<string, LedgerEntry>;
}

export function runChecks(input: CheckInput): CheckResult[] {
  const ctx: Context = {
    ...input,
    positions: input.views.map(positionsOf),
    byHash: ledgerIndex(input.ledger),
  };
  const checks: Record<CheckId, (ctx: Context, f: Failures) => void> = {
    a: checkBlocks,
    b: checkExactlyOnce,
    c: checkNonces,
    d: checkSupply,
    e: checkFinality,
    f: checkRecovery,
  };
  return (Object.keys(checks) as CheckId[]).map((id) => {
    const f = new Failures();
    checks[id](ctx, f);
    return { id, name: CHECKS[id], passed: f.count === 0, failureCount: f.count, failures: f.listed };
  });
}

function positionsOf(view: ValidatorView): Map<string, Position[]> {
  const out = new Map<string, Position[]>();
  for (const [height, block] of [...view.blocks].sort(([a], [b]) => a - b)) {
    block.transactions.forEach((hash, index) => {
      const list = out.get(hash) ?? [];
      list.push({ height, index });
      out.set(hash, list);
    });
  }
  return out;
}

function ledgerIndex(ledger: readonly SenderLedger[]): Map<string, LedgerEntry> {
  const out = new Map<string, LedgerEntry>();
  for (const s of ledger) {
    for (const tx of s.accepted) out.set(tx.hash, { tx, accepted: tx });
    if (s.unresolved) out.set(s.unresolved.hash, { tx: s.unresolved, accepted: undefined });
  }
  return out;
}

function describeTx(entry: LedgerEntry): string {
  const { tx, accepted } = entry;
  const how =
    accepted === undefined
      ? "unresolved when the load stopped"
      : `accepted by validator ${accepted.acceptedBy}${accepted.via === "accepted" ? "" : ` (${accepted.via})`}`;
  return `${tx.hash} (${tx.sender} nonce ${tx.nonce}, ${how})`;
}

/** "3, 7–9, 12": sorted heights as ranges. */
function ranges(heights: readonly number[]): string {
  const parts: string[] = [];
  let start = heights[0]!;
  let prev = start;
  const close = () => parts.push(start === prev ? String(start) : `${start}–${prev}`);
  for (const h of heights.slice(1)) {
    if (h !== prev + 1) {
      close();
      start = h;
    }
    prev = h;
  }
  if (heights.length > 0) close();
  return parts.join(", ");
}

function heightsUpTo(height: number): number[] {
  return Array.from({ length: height }, (_, i) => i + 1);
}

// (a) ------------------------------------------------------------------------------------------

function checkBlocks(ctx: Context, f: Failures): void {
  if (ctx.height === 0) f.add("no validator reported any block: nothing was checked");
  for (const view of ctx.views) {
    const missing = heightsUpTo(ctx.height).filter((h) => !view.blocks.has(h));
    if (missing.length > 0) {
      f.add(
        `validator ${view.index} has no block at heights ${ranges(missing)} of 1..${ctx.height} (first error: ${view.blockErrors.get(missing[0]!)})`,
      );
    }
  }
  const genesisHash = toHex(sha256(Genesis.serialize(ctx.genesis)));
  for (let h = 1; h <= ctx.height; h++) {
    const byHash = new Map<string, number[]>();
    for (const view of ctx.views) {
      const block = view.blocks.get(h);
      if (block === undefined) continue;
      byHash.set(block.hash, [...(byHash.get(block.hash) ?? []), view.index]);
      const parent = h === 1 ? genesisHash : view.blocks.get(h - 1)?.hash;
      checkBlockIntegrity(view.index, h, block, parent, f);
    }
    if (byHash.size > 1) {
      const sides = [...byHash].map(
        ([hash, vs]) => `validator${vs.length > 1 ? "s" : ""} ${vs.join(", ")}: ${hash}`,
      );
      f.add(`height ${h}: validators disagree on the block (${sides.join("; ")})`);
    }
  }
}

/** The served hash is the header's hash, the header is at its height, and it links to its parent. */
function checkBlockIntegrity(
  validator: number,
  height: number,
  block: BlockJson,
  parent: string | undefined,
  f: Failures,
): void {
  const where = `validator ${validator} height ${height} (block ${block.hash})`;
  let recomputed: string;
  try {
    recomputed = toHex(blockHash(BlockHeader.fromJson(block.header)));
  } catch (err) {
    f.add(`${where}: header does not decode: ${errorMessage(err)}`);
    return;
  }
  if (recomputed !== block.hash) f.add(`${where}: its header hashes to ${recomputed}`);
  if (block.header.height !== String(height))
    f.add(`${where}: its header says height ${block.header.height}`);
  if (parent !== undefined && block.header.parentHash !== parent)
    f.add(`${where}: parent ${block.header.parentHash}, but the block below is ${parent}`);
}

// (b) ------------------------------------------------------------------------------------------

function checkExactlyOnce(ctx: Context, f: Failures): void {
  ctx.views.forEach((view, v) => {
    const positions = ctx.positions[v]!;
    for (const [hash, where] of positions) {
      const entry = ctx.byHash.get(hash);
      if (entry === undefined)
        f.add(`validator ${view.index}: block ${where[0]!.height} holds ${hash}, which no sender submitted`);
      if (where.length > 1) {
        const what = entry === undefined ? hash : describeTx(entry);
        f.add(
          `validator ${view.index}: ${what} is in ${where.length} blocks (heights ${where.map((p) => p.height).join(", ")})`,
        );
      }
    }
    checkAcceptedTxs(ctx, view, positions, f);
  });
}

/** Accepted transactions one validator gets wrong the same way, so a halted chain is a few lines, not thousands. */
interface TxGroup {
  entries: LedgerEntry[];
  /** Counts by status (missing transactions) or heights (transactions not final). */
  statuses: Map<string, number>;
  heights: number[];
}

/** An error message with its hashes elided, so errors that differ only in the hash group together. */
function withoutHashes(text: string): string {
  return text.replace(/0x[0-9a-f]+/g, "0x…");
}

function group(groups: Map<string, TxGroup>, key: string): TxGroup {
  let g = groups.get(key);
  if (g === undefined) {
    g = { entries: [], statuses: new Map(), heights: [] };
    groups.set(key, g);
  }
  return g;
}

/** On one validator: every accepted transaction is in a block, and that validator says it is final there. */
function checkAcceptedTxs(
  ctx: Context,
  view: ValidatorView,
  positions: Map<string, Position[]>,
  f: Failures,
): void {
  const missing = new Map<string, TxGroup>();
  const notFinal = new Map<string, TxGroup>();
  const unreadable = new Map<string, TxGroup>();
  for (const entry of ctx.byHash.values()) {
    if (entry.accepted === undefined) continue;
    const where = positions.get(entry.tx.hash);
    const status = view.txs.get(entry.tx.hash);
    const statusText = typeof status === "object" ? status.status : withoutHashes(status ?? "not read");
    if (where === undefined) {
      const g = group(missing, entry.tx.sender);
      g.entries.push(entry);
      g.statuses.set(statusText, (g.statuses.get(statusText) ?? 0) + 1);
    } else if (typeof status !== "object") {
      group(unreadable, withoutHashes(status ?? "not read")).entries.push(entry);
    } else {
      if (status.status !== "finalized") {
        const g = group(notFinal, status.status);
        g.entries.push(entry);
        g.heights.push(where[0]!.height);
      }
      const reported = status.block?.height;
      if (reported !== undefined && !where.some((p) => String(p.height) === reported))
        f.add(
          `validator ${view.index}: ${describeTx(entry)}: mass_getTransaction says height ${reported}, its blocks hold it at ${where.map((p) => p.height).join(", ")}`,
        );
    }
  }
  for (const [sender, g] of missing) {
    const nonces = g.entries.map((e) => e.tx.nonce).sort((a, b) => a - b);
    const statuses = [...g.statuses].map(([st, n]) => `${st} ×${n}`).join(", ");
    f.add(
      `validator ${view.index}: ${g.entries.length} of ${sender}'s accepted transactions are in no block up to height ${ctx.height}: nonces ${ranges(nonces)} (status ${statuses}; first ${describeTx(g.entries[0]!)})`,
    );
  }
  for (const [status, g] of notFinal) {
    const heights = [...new Set(g.heights)].sort((a, b) => a - b);
    f.add(
      `validator ${view.index}: ${g.entries.length} accepted transactions in blocks have status "${status}", not "finalized": heights ${ranges(heights)} (first ${describeTx(g.entries[0]!)})`,
    );
  }
  for (const [error, g] of unreadable) {
    f.add(
      `validator ${view.index}: mass_getTransaction failed for ${g.entries.length} accepted transactions in blocks (first ${describeTx(g.entries[0]!)}): ${error}`,
    );
  }
}

// (c) ------------------------------------------------------------------------------------------

function checkNonces(ctx: Context, f: Failures): void {
  for (const sender of ctx.ledger) {
    const gap = sender.accepted.findIndex((tx, k) => tx.nonce !== k);
    if (gap >= 0) f.add(`load generator bug: ${sender.name}'s accepted nonces skip at position ${gap}`);
  }
  ctx.views.forEach((view, v) => {
    for (const sender of ctx.ledger) checkSenderNonces(ctx, view, ctx.positions[v]!, sender, f);
  });
}

/** On one chain: the sender's transactions carry nonces 0, 1, 2, … in order, and its account nonce counts them. */
function checkSenderNonces(
  ctx: Context,
  view: ValidatorView,
  positions: Map<string, Position[]>,
  sender: SenderLedger,
  f: Failures,
): void {
  // Each transaction at its first position: a repeated one is (b)'s failure, not a gap.
  const included = [...positions]
    .filter(([hash]) => ctx.byHash.get(hash)?.tx.sender === sender.name)
    .map(([hash, where]) => ({ ...where[0]!, nonce: ctx.byHash.get(hash)!.tx.nonce }))
    .sort((a, b) => a.height - b.height || a.index - b.index);
  const skip = included.findIndex((p, k) => p.nonce !== k);
  if (skip >= 0) {
    const p = included[skip]!;
    f.add(
      `validator ${view.index}: ${sender.name}'s transaction at height ${p.height} has nonce ${p.nonce} where ${skip} was due`,
    );
  }
  const account = view.accounts.get(accountId(HARBOR, sender.address));
  if (typeof account === "string" || account === undefined) {
    f.add(`validator ${view.index}: ${sender.name}'s account could not be read: ${account ?? "not read"}`);
  } else if (account.nonce !== included.length) {
    f.add(
      `validator ${view.index}: ${sender.name} has account nonce ${account.nonce}, but ${included.length} of its transactions are in blocks (${sender.accepted.length} accepted)`,
    );
  }
}

// (d) ------------------------------------------------------------------------------------------

function checkSupply(ctx: Context, f: Failures): void {
  const genesisSupply = new Map<string, bigint>();
  const genesisBalance = new Map<string, bigint>();
  for (const a of ctx.genesis.accounts) {
    const harbor = asciiString(a.harbor);
    genesisSupply.set(harbor, (genesisSupply.get(harbor) ?? 0n) + a.balance);
    genesisBalance.set(accountId(harbor, toHex(a.address)), a.balance);
  }
  ctx.views.forEach((view, v) => {
    for (const [harbor, addresses] of ctx.supply) {
      const balances = readBalances(view, harbor, addresses, f);
      if (balances === undefined) continue;
      const total = [...balances.values()].reduce((a, b) => a + b, 0n);
      const expected = genesisSupply.get(harbor) ?? 0n;
      if (total !== expected) {
        f.add(
          `validator ${view.index}, harbor ${harbor}: balances sum to ${total}, genesis supply is ${expected} (off by ${total - expected})`,
        );
      }
      const treasury = toHex(treasuryKeyOf(ctx.rulePacks.get(harbor)!));
      const start = genesisBalance.get(accountId(harbor, treasury)) ?? 0n;
      const income =
        harbor === HARBOR ? treasuryIncome(ctx, view, ctx.positions[v]!, ctx.rulePacks.get(harbor)!, f) : 0n;
      if (income !== undefined && balances.get(treasury) !== start + income) {
        f.add(
          `validator ${view.index}, harbor ${harbor}: treasury holds ${balances.get(treasury)}, expected ${start + income} (genesis ${start} + fees and withholding ${income})`,
        );
      }
    }
  });
}

function readBalances(
  view: ValidatorView,
  harbor: string,
  addresses: Set<string>,
  f: Failures,
): Map<string, bigint> | undefined {
  const out = new Map<string, bigint>();
  for (const address of addresses) {
    const account: AccountState | string | undefined = view.accounts.get(accountId(harbor, address));
    if (typeof account === "string" || account === undefined) {
      f.add(
        `validator ${view.index}, harbor ${harbor}: account ${address} could not be read: ${account ?? "not read"}`,
      );
      return undefined;
    }
    out.set(address, account.balance);
  }
  return out;
}

/**
 * What the chain's transactions paid the treasury: each charged (not Invalid) one its fee, each
 * successful transfer the pack's withholding share. Undefined if an outcome is unknown.
 */
function treasuryIncome(
  ctx: Context,
  view: ValidatorView,
  positions: Map<string, Position[]>,
  pack: RulePack,
  f: Failures,
): bigint | undefined {
  let income = 0n;
  for (const [hash, where] of positions) {
    const entry = ctx.byHash.get(hash);
    const status = view.txs.get(hash);
    if (entry === undefined || typeof status !== "object" || !status.outcome) {
      f.add(
        `validator ${view.index}: no outcome known for ${hash} at height ${where[0]!.height}; treasury not checked`,
      );
      return undefined;
    }
    if (status.outcome === INVALID) continue;
    // Once per transaction: executed again, the same bytes carry a used nonce and are Invalid.
    income += entry.tx.fee;
    if (status.outcome === SUCCESS) income += (entry.tx.amount * pack.transferWithholdingBps) / BASIS_POINTS;
  }
  return income;
}

// (e) ------------------------------------------------------------------------------------------

function checkFinality(ctx: Context, f: Failures): void {
  const committee = new ConsensusCommittee(ctx.genesis.committee);
  for (const view of ctx.views) {
    const uncertified: number[] = [];
    for (const [height, block] of [...view.blocks].sort(([a], [b]) => a - b)) {
      if (block.finality === null) uncertified.push(height);
      else checkCertificate(view.index, height, block, committee, ctx.genesis.chainId, f);
    }
    if (uncertified.length > 0) {
      f.add(
        `validator ${view.index}: no finality certificate at heights ${ranges(uncertified)} (${uncertified.length} blocks)`,
      );
    }
  }
}

function checkCertificate(
  validator: number,
  height: number,
  block: BlockJson,
  committee: ConsensusCommittee,
  chainId: Uint8Array,
  f: Failures,
): void {
  const where = `validator ${validator} height ${height} (block ${block.hash})`;
  let cert: FinalityCertificate;
  try {
    cert = FinalityCertificate.fromJson(block.finality);
  } catch (err) {
    f.add(`${where}: finality certificate does not decode: ${errorMessage(err)}`);
    return;
  }
  if (cert.height !== height) f.add(`${where}: certificate is for height ${cert.height}`);
  if (toHex(cert.blockHash) !== block.hash)
    f.add(`${where}: certificate is for block ${toHex(cert.blockHash)}`);
  const fault = finalityCertificateFault(committee, chainId, cert);
  if (fault !== null) f.add(`${where}: certificate does not prove finality: ${fault}`);
}

// (f) ------------------------------------------------------------------------------------------

function checkRecovery(ctx: Context, f: Failures): void {
  if (ctx.faults.length === 0) f.add("no fault was injected: nothing was measured");
  for (const fault of ctx.faults) {
    const what = `fault #${fault.index} (${fault.kind} of validator${fault.validators.length > 1 ? "s" : ""} ${fault.validators.join(", ")}, ${fault.holdSeconds} s)`;
    const since = fault.recoveryFrom === "injection" ? "its injection" : "the restart";
    if (fault.recoverySeconds === null)
      f.add(
        `${what}: no new transaction was final on a quorum within ${ctx.recoveryCapSeconds} s of ${since}`,
      );
    else if (fault.recoverySeconds > ctx.recoveryLimitSeconds)
      f.add(
        `${what}: a new transaction took ${fault.recoverySeconds} s after ${since} to be final (limit ${ctx.recoveryLimitSeconds} s)`,
      );
  }
}
