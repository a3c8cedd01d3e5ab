import { createHash } from "node:crypto";
import { Prng } from "../../src/consensus/sim/prng.js";
import { verifyMmrConsistency } from "../../src/crypto/mmr.js";
import type { CorridorView } from "../../src/sharding/index.js";
import { corridorReceiptDigest, TransferStatus } from "../../src/sharding/index.js";
import { type CorridorReceipt, CorridorReceiptKind, CorridorState } from "../../src/types/corridor.js";
import { ExecutionOutcome } from "../../src/types/execution.js";
import { asciiString } from "../../src/types/primitives.js";
import { toHex } from "../../src/util/bytes.js";
import { migrationTransitId } from "../../src/vm/tx/migrate.js";
import { Bridge } from "./bridge.js";
import { type ChainHarness, CorridorRole, HARBORS } from "./harness.js";

/** What a run of schedules did, and every invariant it saw broken (by name). */
export interface ScheduleCounts {
  schedules: number;
  blocks: number;
  migrations: number;
  credited: number;
  refunded: number;
  /** Refunded in the block of their departure (corridor stopped, in-flight limit, no corridor). */
  refusedAtOnce: number;
  /** Refunded at their deadline, never delivered. */
  timedOut: number;
  lifecycleMoves: number;
  /** Transfers of the bridged Smart Asset (bridge.ts) that departed, and the locks given back. */
  assetTransfers: number;
  /** Of those, the ones SETTLEd at their destination. */
  assetSettled: number;
  unlocks: number;
  complianceFlips: number;
  replays: number;
  restarts: number;
  violations: Record<string, number>;
  /** The first few violations, each with its seed and block, to replay. */
  examples: string[];
}

export function emptyCounts(): ScheduleCounts {
  return {
    schedules: 0,
    blocks: 0,
    migrations: 0,
    credited: 0,
    refunded: 0,
    refusedAtOnce: 0,
    timedOut: 0,
    lifecycleMoves: 0,
    assetTransfers: 0,
    assetSettled: 0,
    unlocks: 0,
    complianceFlips: 0,
    replays: 0,
    restarts: 0,
    violations: {},
    examples: [],
  };
}

export function totalViolations(counts: ScheduleCounts): number {
  return Object.values(counts.violations).reduce((a, b) => a + b, 0);
}

const MAX_EXAMPLES = 10;
/** A harbor no corridor reaches: its departures are refused in their own block. */
const NOWHERE = "xx-none";
/** Cells the flips touch: every domain some harbor's migrate rule reads. */
const FLIPPED_DOMAINS = ["aml", "sanctions", "tax", "kyc", "payments"] as const;
const NON_COMPLIANT = 0;
const COMPLIANT = 5;
/** Lifecycle moves a schedule tries; most are refused by the rules, which is part of the test. */
const MOVES: readonly [CorridorState, CorridorRole][] = [
  [CorridorState.Suspended, CorridorRole.Proposer],
  [CorridorState.Halted, CorridorRole.Proposer],
  [CorridorState.Active, CorridorRole.Proposer],
  [CorridorState.Active, CorridorRole.Proposer],
  [CorridorState.Active, CorridorRole.Acceptor],
  [CorridorState.Active, CorridorRole.Acceptor],
  [CorridorState.Pending, CorridorRole.Proposer],
];
/** Rarely: DEPRECATED is terminal and would end the corridor's part in the rest of the schedule. */
const DEPRECATE_CHANCE = 0.02;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** RFC 9162 Merkle tree hash, written out here so the anchor is checked by code the node does not share. */
function rfc9162Root(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Buffer.from([0]), leaves[0]!);
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return sha256(Buffer.from([1]), rfc9162Root(leaves.slice(0, split)), rfc9162Root(leaves.slice(split)));
}

function anchorOf(views: readonly CorridorView[]): Buffer {
  const leaves = [...views]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((v) => {
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(v.mmrSize));
      return sha256(Buffer.from(v.id, "utf8"), Buffer.from([0]), v.mmrRoot, size);
    });
  return rfc9162Root(leaves);
}

interface Tracked {
  transitId: Uint8Array;
  amount: bigint;
  /** The last status seen: a transfer that ended never changes again. */
  status: TransferStatus;
  /** A transfer of the bridged Smart Asset (not native value). */
  asset: boolean;
}

interface CorridorSeen {
  size: number;
  root: Uint8Array;
  height: number;
  last: Uint8Array;
}

/**
 * One randomized schedule over a fresh chain: blocks of migrations in every direction, of native
 * value and of a bridged Smart Asset (to attested and unattested recipients, to a harbor with no
 * corridor, to an asset that never settles, over the balance; settled, left to expire, unlocked),
 * compliance cells
 * flipped while value is in flight, lifecycle moves by the right and the wrong authorities,
 * replayed and duplicated transactions, restarts from the database; then blocks until every
 * transfer ended. Every invariant is checked after every block; a broken one is counted, not thrown.
 */
export async function runSchedule(
  seed: number,
  open: () => Promise<ChainHarness>,
  counts: ScheduleCounts,
): Promise<void> {
  const rng = new Prng(seed);
  const h = await open();
  const violate = (name: string, detail: string): void => {
    counts.violations[name] = (counts.violations[name] ?? 0) + 1;
    if (counts.examples.length < MAX_EXAMPLES) counts.examples.push(`seed ${seed}: ${name}: ${detail}`);
  };
  try {
    const supply = h.nativeSupply();
    const bridge = new Bridge(h, h.faucet);
    let bridgeSupply: bigint | undefined;
    /** The bridge's transfers: where each goes, to settle it there or unlock it at home. */
    const assetTransfers: { transitId: Uint8Array; origin: string; destination: string }[] = [];
    const tracked = new Map<string, Tracked>();
    const seen = new Map<string, CorridorSeen>();
    const executed: { bytes: Uint8Array; hash: Uint8Array }[] = [];
    const executedHashes = new Set<string>();
    const maxTimeout = Math.max(...h.chain.corridors.list().map((v) => v.params.timeoutBlocks));
    const accounts = [...h.demos, h.faucet];
    const stranger = new Uint8Array(32).fill(0xee);

    const checkBlock = async (txs: { bytes: Uint8Array; hash: Uint8Array; migrate: boolean }[]) => {
      const block = await h.block(txs.map((t) => t.bytes));
      const height = block.header.height;
      h.resetNonces();
      counts.blocks++;
      for (const hash of block.txHashes) {
        if (executedHashes.has(toHex(hash))) violate("replayExecuted", `tx ${toHex(hash)} at ${height}`);
      }
      for (const tx of txs) {
        const receipt = await h.receipt(tx.hash);
        const key = toHex(tx.hash);
        if (receipt !== undefined && !executedHashes.has(key)) {
          executedHashes.add(key);
          executed.push(tx);
        }
        if (!tx.migrate || receipt === undefined || tracked.has(toHex(migrationTransitId(tx.hash)))) continue;
        const transitId = migrationTransitId(tx.hash);
        const record = await h.chain.corridors.transfer(transitId);
        if (receipt.outcome !== ExecutionOutcome.Success) {
          if (record !== undefined) violate("recordOfFailedMigration", `${toHex(transitId)} at ${height}`);
          continue;
        }
        counts.migrations++;
        if (record === undefined) {
          violate("migrationWithoutTransfer", `${toHex(transitId)} at ${height}`);
          continue;
        }
        tracked.set(toHex(transitId), {
          transitId,
          amount: record.amount,
          status: TransferStatus.InTransit,
          asset: false,
        });
      }
      if (h.nativeSupply() !== supply) violate("supply", `${h.nativeSupply()} ≠ ${supply} at ${height}`);
      if (bridgeSupply !== undefined && bridge.supply() !== bridgeSupply) {
        violate("assetSupply", `${bridge.supply()} ≠ ${bridgeSupply} at ${height}`);
      }
      if (toHex(anchorOf(h.chain.corridors.list())) !== toHex(block.header.corridorRoot)) {
        violate("anchor", `corridorRoot at ${height}`);
      }
      await checkCorridors(height);
      await checkTransfers(height);
    };

    const checkCorridors = async (height: number) => {
      for (const view of h.chain.corridors.list()) {
        const before = seen.get(view.id) ?? {
          size: 0,
          root: view.mmrRoot,
          height: 0,
          last: new Uint8Array(32),
        };
        if (view.mmrSize < before.size) violate("mmrShrank", `${view.id} at ${height}`);
        if (before.size > 0 && view.mmrSize > before.size) {
          const proof = h.chain.corridors.consistencyProof(view.id, before.height, height);
          if (proof === undefined || !verifyMmrConsistency(before.root, view.mmrRoot, proof)) {
            violate("mmrConsistency", `${view.id} from ${before.height} to ${height}`);
          }
        }
        let last = before.last;
        for (let cursor = before.size; cursor < view.mmrSize; ) {
          const page = await h.chain.corridors.receipts(view.id, cursor, 100);
          for (const { receipt, digest } of page.data) {
            if (receipt.sequence !== cursor) violate("receiptSequence", `${view.id} #${receipt.sequence}`);
            if (toHex(receipt.previous) !== toHex(last)) violate("receiptChain", `${view.id} #${cursor}`);
            if (toHex(corridorReceiptDigest(receipt)) !== toHex(digest)) violate("receiptDigest", view.id);
            if (receipt.height !== height) violate("receiptHeight", `${view.id} #${cursor} at ${height}`);
            checkReceipt(view.id, receipt, height);
            last = digest;
            cursor++;
          }
          if (page.data.length === 0) break;
        }
        seen.set(view.id, { size: view.mmrSize, root: view.mmrRoot, height, last });
        const open = h.chain.corridors
          .openTransfers()
          .filter((t) => asciiString(t.corridor) === view.id)
          .reduce((sum, t) => sum + t.amount, 0n);
        if (h.chain.corridors.inFlight(view.id) !== open) violate("inFlightBook", `${view.id} at ${height}`);
        if (open > view.params.maxInFlight) violate("inFlightLimit", `${view.id} at ${height}`);
      }
    };

    /** Per transit id: at most one departure and one end, of the transfer's own amount. */
    const receiptsOf = new Map<string, CorridorReceiptKind[]>();
    const checkReceipt = (id: string, receipt: CorridorReceipt, height: number) => {
      if (receipt.kind === CorridorReceiptKind.Transition) {
        counts.lifecycleMoves++;
        return;
      }
      const key = toHex(receipt.transitId);
      if (
        receipt.kind === CorridorReceiptKind.Departure &&
        bridge.isBridge(receipt.asset) &&
        !tracked.has(key)
      ) {
        counts.assetTransfers++;
        counts.migrations++;
        tracked.set(key, {
          transitId: receipt.transitId,
          amount: receipt.amount,
          status: TransferStatus.InTransit,
          asset: true,
        });
        assetTransfers.push({
          transitId: receipt.transitId,
          origin: asciiString(receipt.sourceHarbor),
          destination: asciiString(receipt.destinationHarbor),
        });
      }
      const kinds = receiptsOf.get(key) ?? [];
      kinds.push(receipt.kind);
      receiptsOf.set(key, kinds);
      const departures = kinds.filter((k) => k === CorridorReceiptKind.Departure).length;
      if (departures > 1 || kinds.length - departures > 1)
        violate("exactlyOnce", `${key} on ${id} at ${height}`);
      const transfer = tracked.get(key);
      if (transfer !== undefined && transfer.amount !== receipt.amount) violate("receiptAmount", key);
    };

    const checkTransfers = async (height: number) => {
      for (const transfer of tracked.values()) {
        const key = toHex(transfer.transitId);
        const record = await h.chain.corridors.transfer(transfer.transitId);
        if (record === undefined) {
          violate("transferLost", `${key} at ${height}`);
          continue;
        }
        const status = record.status as TransferStatus;
        if (transfer.status !== TransferStatus.InTransit && status !== transfer.status) {
          violate("endedTwice", `${key}: ${transfer.status} then ${status} at ${height}`);
        }
        if (status === TransferStatus.InTransit && height >= record.deadline) {
          violate("pastDeadline", `${key}: deadline ${record.deadline}, still in transit at ${height}`);
        }
        if (status !== TransferStatus.InTransit && record.endedAt > record.deadline) {
          violate("endedLate", `${key}: ended ${record.endedAt} after deadline ${record.deadline}`);
        }
        const kinds = receiptsOf.get(key) ?? [];
        const ends = kinds.filter((k) => k !== CorridorReceiptKind.Departure);
        if (
          status === TransferStatus.Credited &&
          (ends.length !== 1 || ends[0] !== CorridorReceiptKind.Arrival)
        ) {
          violate("creditedWithoutArrival", key);
        }
        if (status === TransferStatus.Refunded && asciiString(record.corridor) !== "" && ends.length !== 1) {
          violate("refundedWithoutReceipt", key);
        }
        if (transfer.status === TransferStatus.InTransit && status !== TransferStatus.InTransit) {
          if (status === TransferStatus.Credited) {
            counts.credited++;
            if (transfer.asset) counts.assetSettled++;
          } else {
            counts.refunded++;
            if (record.endedAt === record.departedAt) counts.refusedAtOnce++;
            if (ends[0] === CorridorReceiptKind.Refund) counts.timedOut++;
          }
        }
        transfer.status = status;
      }
    };

    const randomMigration = () => {
      const from = accounts[rng.int(0, accounts.length - 1)]!;
      const origin = HARBORS[rng.int(0, HARBORS.length - 1)]!;
      const others = HARBORS.filter((x) => x !== origin);
      const destination = rng.chance(0.05) ? NOWHERE : others[rng.int(0, others.length - 1)]!;
      const to = rng.chance(0.15) ? stranger : accounts[rng.int(0, accounts.length - 1)]!.publicKey;
      const amount = rng.chance(0.03) ? 10n ** 16n : BigInt(rng.int(1, 2_000_000));
      const timeout = rng.chance(0.5) ? 0 : rng.int(1, maxTimeout + 2);
      return { ...h.migrate(from, origin, to, destination, amount, timeout), migrate: true };
    };

    const randomMove = () => {
      const views = h.chain.corridors.list();
      const view = views[rng.int(0, views.length - 1)]!;
      const harbor = rng.chance(0.1)
        ? HARBORS[rng.int(0, HARBORS.length - 1)]!
        : view.harbors[rng.int(0, 1)]!;
      const [to, role] = rng.chance(DEPRECATE_CHANCE)
        ? [CorridorState.Deprecated, CorridorRole.Proposer]
        : MOVES[rng.int(0, MOVES.length - 1)]!;
      const wrongKey = rng.chance(0.05) ? h.demos[0] : undefined;
      return { ...h.move(harbor, view.id, to, role, wrongKey), migrate: false };
    };

    const randomFlip = () => {
      counts.complianceFlips++;
      const harbor = HARBORS[rng.int(0, HARBORS.length - 1)]!;
      const subject = accounts[rng.int(0, accounts.length - 1)]!.publicKey;
      const domain = FLIPPED_DOMAINS[rng.int(0, FLIPPED_DOMAINS.length - 1)]!;
      const state = rng.chance(0.5) ? NON_COMPLIANT : COMPLIANT;
      return { ...h.attest(harbor, subject, domain, state), migrate: false };
    };

    const randomAssetSend = () => {
      const from = accounts[rng.int(0, accounts.length - 1)]!;
      const origin = HARBORS[rng.int(0, HARBORS.length - 1)]!;
      const others = HARBORS.filter((x) => x !== origin);
      const destination = rng.chance(0.05) ? NOWHERE : others[rng.int(0, others.length - 1)]!;
      const to = rng.chance(0.15) ? stranger : accounts[rng.int(0, accounts.length - 1)]!.publicKey;
      // Now and then to an asset that is not the sibling: nobody settles it, so it expires.
      const target = rng.chance(0.1) ? bridge.assets.get(origin) : undefined;
      const amount = rng.chance(0.03) ? 10n ** 12n : BigInt(rng.int(1, 300_000));
      return { ...bridge.send(from, origin, destination, to, amount, target), migrate: false };
    };

    /** SETTLE of a transfer of the bridge at its destination (too early, in time or too late). */
    const randomSettle = () => {
      const t = assetTransfers[rng.int(0, assetTransfers.length - 1)]!;
      const by = accounts[rng.int(0, accounts.length - 1)]!;
      return { ...bridge.settle(by, t.destination, t.transitId), migrate: false };
    };

    const randomUnlock = () => {
      counts.unlocks++;
      const t = assetTransfers[rng.int(0, assetTransfers.length - 1)]!;
      return {
        ...bridge.unlock(accounts[rng.int(0, accounts.length - 1)]!, t.origin, t.transitId),
        migrate: false,
      };
    };

    await checkBlock(bridge.deployments().map((tx) => ({ ...tx, migrate: false })));
    const UNITS = 1_000_000n;
    await checkBlock(
      HARBORS.flatMap((harbor) =>
        accounts.map((a) => ({ ...bridge.mint(harbor, a, UNITS), migrate: false })),
      ),
    );
    bridgeSupply = bridge.supply();
    if (bridgeSupply !== UNITS * BigInt(HARBORS.length * accounts.length)) {
      violate("assetSetup", `the bridge holds ${bridgeSupply} units after minting`);
    }

    const blocks = rng.int(4, 14);
    for (let b = 0; b < blocks; b++) {
      const txs: { bytes: Uint8Array; hash: Uint8Array; migrate: boolean }[] = [];
      const migrations = rng.int(0, 5);
      for (let i = 0; i < migrations; i++) txs.push(randomMigration());
      const sends = rng.int(0, 3);
      for (let i = 0; i < sends; i++) txs.push(randomAssetSend());
      if (assetTransfers.length > 0) {
        const settles = rng.int(0, 2);
        for (let i = 0; i < settles; i++) txs.push(randomSettle());
        if (rng.chance(0.3)) txs.push(randomUnlock());
      }
      if (rng.chance(0.3)) txs.push(randomFlip());
      if (rng.chance(0.45)) txs.push(randomMove());
      if (rng.chance(0.1) && txs.length > 0) txs.push(txs[rng.int(0, txs.length - 1)]!);
      if (rng.chance(0.2) && executed.length > 0) {
        counts.replays++;
        txs.push({ ...executed[rng.int(0, executed.length - 1)]!, migrate: false });
      }
      rng.shuffle(txs);
      await checkBlock(txs);
      if (rng.chance(0.1)) {
        counts.restarts++;
        const before = { views: h.chain.corridors.list(), open: h.chain.corridors.openTransfers() };
        const head = h.chain.height;
        const pendingBefore = h.chain.pendingMessages;
        await h.restart();
        const after = { views: h.chain.corridors.list(), open: h.chain.corridors.openTransfers() };
        if (JSON.stringify(viewsJson(before.views)) !== JSON.stringify(viewsJson(after.views))) {
          violate("restartViews", `after block ${head}`);
        }
        if (before.open.length !== after.open.length) violate("restartTransfers", `after block ${head}`);
        const queued = (messages: readonly { kind: number; transitId: Uint8Array }[]) =>
          messages.map((m) => `${m.kind}:${toHex(m.transitId)}`).join(",");
        if (queued(pendingBefore) !== queued(h.chain.pendingMessages)) {
          violate("restartPending", `after block ${head}`);
        }
        if (toHex(h.chain.corridors.rootAt(head)) !== toHex(anchorOf(after.views))) {
          violate("restartRoot", `after block ${head}`);
        }
      }
    }
    // Drain: with no new departures every open transfer ends by its deadline.
    for (let b = 0; b <= maxTimeout + 2 && h.chain.corridors.openTransfers().length > 0; b++)
      await checkBlock([]);
    const unfinished = [...tracked.values()].filter((t) => t.status === TransferStatus.InTransit).length;
    if (unfinished > 0) violate("unfinished", `${unfinished} transfers never ended`);
    await checkBlock([]);
    if (h.chain.pendingMessages.length > 0) violate("pendingAfterDrain", `${h.chain.pendingMessages.length}`);
    counts.schedules++;
  } catch (err) {
    violate("threw", err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await h.close();
  }
}

function viewsJson(views: readonly CorridorView[]): unknown {
  return views.map((v) => ({
    ...v,
    mmrRoot: toHex(v.mmrRoot),
    params: { ...v.params, maxInFlight: String(v.params.maxInFlight) },
  }));
}
