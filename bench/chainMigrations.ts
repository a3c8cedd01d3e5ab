/**
 * The migration half of `npm run bench:chain`: blocks of signed cross-harbor migrations through
 * `Chain.execute`, from one origin harbor to the others, then the blocks after them that deliver
 * (credit at the destination, acknowledge) and retire the escrows at the origin. A migration counts
 * once it is fully processed; the bench checks every one against its origin receipt, its transfer
 * record, its escrow and the recipients' balances, so a refused or lost migration cannot pass as done.
 */
import type { Chain } from "../src/chain/chain.js";
import { migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../src/client/index.js";
import { sign } from "../src/crypto/ed25519.js";
import type { KeyPair } from "../src/node/keyFile.js";
import { corridorIdOf, TRANSFER_STATUS_NAMES, TransferStatus } from "../src/sharding/index.js";
import { CorridorMessageKind, ExecutionOutcome } from "../src/types/execution.js";
import { asciiString } from "../src/types/primitives.js";
import { toHex } from "../src/util/bytes.js";
import { lockKey } from "../src/vm/state/keys.js";
import { migrationTransitId } from "../src/vm/tx/migrate.js";

/** Fee of every transaction the bench signs, as the CLI sends them. */
const FEE = 10n;
/** Empty blocks at most after the last migrations (a delivery block and an acknowledgement block are due). */
const MAX_DRAIN_BLOCKS = 16;

interface PlannedMigration {
  hash: Uint8Array;
  transitId: Uint8Array;
  destination: string;
  recipient: Uint8Array;
  amount: bigint;
}

/** Signed migrations by block, with what each must achieve; valid on any fresh chain of the genesis. */
export interface MigrationPlan {
  origin: string;
  destinations: readonly string[];
  blockTxs: number;
  blocks: Uint8Array[][];
  migrations: PlannedMigration[];
}

/** A migration as the CLI would send it (transfer gas limit, fee 10), signed with node:crypto. */
function signedMigration(
  chainId: string,
  origin: string,
  from: KeyPair,
  nonce: number,
  destination: string,
  recipient: Uint8Array,
  amount: bigint,
) {
  const body = migrateTx(
    { chainId, harbor: origin, sender: from.publicKey, nonce, gasLimit: TRANSFER_GAS_LIMIT, fee: FEE },
    { destinationHarbor: destination, recipient, amount },
  );
  return signTransaction(body, from.secretKey, sign);
}

/**
 * `blocks` blocks of `blockTxs` migrations out of `origin`, sent as the transfer bench sends its
 * transfers: sender k mod |keys| with its next nonce, to the next key, spread over `destinations`
 * (so every block gives each destination corridor its share), amounts of 1 to 7.
 */
export function planMigrations(options: {
  chainId: string;
  keys: readonly KeyPair[];
  origin: string;
  destinations: readonly string[];
  blockTxs: number;
  blocks: number;
}): MigrationPlan {
  const { chainId, keys, origin, destinations, blockTxs } = options;
  const migrations: PlannedMigration[] = [];
  const blocks = Array.from({ length: options.blocks }, (_, b) =>
    Array.from({ length: blockTxs }, (_, i) => {
      const k = b * blockTxs + i;
      const s = k % keys.length;
      const round = Math.floor(k / keys.length);
      const destination = destinations[(round + s) % destinations.length]!;
      const recipient = keys[(s + 1) % keys.length]!.publicKey;
      const amount = 1n + BigInt(k % 7);
      const signed = signedMigration(chainId, origin, keys[s]!, round, destination, recipient, amount);
      migrations.push({
        hash: signed.hash,
        transitId: migrationTransitId(signed.hash),
        destination,
        recipient,
        amount,
      });
      return signed.bytes;
    }),
  );
  return { origin, destinations, blockTxs, blocks, migrations };
}

export interface MigrationRun {
  /** Wall time of every block that did the work: the migrations' and the ones delivering and acknowledging them. */
  wallMs: number;
  /** Migrations executed at the origin, credited at the destination and with their escrow retired. */
  credited: number;
  migrationsPerSec: number;
  /** The JSON line's figures. */
  figures: Record<string, unknown>;
  /** Why migrations are not fully processed, with how many of each (empty when all are). */
  failures: Record<string, number>;
}

/** Executes `plan` on `chain` (fresh, of the plan's genesis) until every corridor message is delivered. */
export async function runMigrations(chain: Chain, plan: MigrationPlan): Promise<MigrationRun> {
  const { origin, destinations } = plan;
  const balanceId = (harbor: string, key: Uint8Array) => `${harbor}/${toHex(key)}`;
  const balancesBefore = new Map<string, bigint>();
  for (const m of plan.migrations) {
    const id = balanceId(m.destination, m.recipient);
    if (!balancesBefore.has(id)) balancesBefore.set(id, chain.account(m.destination, m.recipient).balance);
  }

  const totals = { selectMs: 0, executeMs: 0, sealMs: 0, writeMs: 0 };
  let wallMs = 0;
  let executed = 0;
  let deferred = 0;
  let delivered = 0;
  let acknowledged = 0;
  /** Departures that waited past their first chance of delivery, block by block (a corridor's per-block limit). */
  let held = 0;
  let peakDeliveries = 0;
  let peakInFlight = 0n;
  let drainBlocks = 0;
  const corridorIds = destinations.map((d) => corridorIdOf(origin, d));
  let commitIndex = chain.nextCommitIndex;
  for (let b = 0; ; b++) {
    const transactions = plan.blocks[b] ?? [];
    if (b >= plan.blocks.length) {
      const busy = chain.pendingMessages.length > 0 || chain.corridors.openTransfers().length > 0;
      if (!busy || drainBlocks === MAX_DRAIN_BLOCKS) break;
      drainBlocks += 1;
    }
    // What this block may deliver: earlier blocks' departures (per destination) and acknowledgements.
    const due = new Map<string, number>();
    for (const m of chain.pendingMessages) {
      if (m.kind === CorridorMessageKind.Settlement) acknowledged += 1;
      if (m.kind !== CorridorMessageKind.Departure) continue;
      const to = asciiString(m.destinationHarbor);
      due.set(to, (due.get(to) ?? 0) + 1);
    }
    const started = performance.now();
    const block = await chain.execute({
      commitIndex,
      leaderRound: 2 * (commitIndex + 1),
      leaderDigest: new Uint8Array(32).fill(commitIndex % 251),
      leaderTime: Date.now(),
      transactions,
    });
    wallMs += performance.now() - started;
    commitIndex += 1;
    executed += block.txHashes.length;
    deferred += block.deferred.length;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += block.timings[k];
    // A departure delivered in this block is open no longer: its arrival (or refusal) ended it at the
    // block's end. One that departed earlier and is still open was held back.
    for (const t of chain.corridors.openTransfers()) {
      if (t.departedAt >= block.header.height) continue;
      const to = asciiString(t.destinationHarbor);
      due.set(to, (due.get(to) ?? 0) - 1);
      held += 1;
    }
    for (const count of due.values()) {
      delivered += count;
      peakDeliveries = Math.max(peakDeliveries, count);
    }
    for (const id of corridorIds) {
      const inFlight = chain.corridors.inFlight(id);
      if (inFlight > peakInFlight) peakInFlight = inFlight;
    }
  }

  // Every migration must have executed at the origin, been credited at its destination and had its
  // escrow retired; the recipients' balances must have grown by exactly what was sent to them.
  const failures = new Map<string, number>();
  const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
  const expected = new Map<string, { harbor: string; key: Uint8Array; balance: bigint }>();
  let credited = 0;
  for (const m of plan.migrations) {
    const receipt = await chain.store.receipt(m.hash);
    const record = await chain.corridors.transfer(m.transitId);
    if (receipt === undefined) fail("not executed at the origin");
    else if (receipt.outcome !== ExecutionOutcome.Success)
      fail(`origin ${ExecutionOutcome[receipt.outcome]}: ${new TextDecoder().decode(receipt.reason)}`);
    else if (record === undefined) fail("no transfer record");
    else if (record.status !== TransferStatus.Credited)
      fail(
        `transfer ${TRANSFER_STATUS_NAMES[record.status as TransferStatus] ?? record.status}, not credited`,
      );
    else if (chain.state.get(origin, lockKey(m.transitId)) !== undefined) fail("escrow not retired");
    else {
      credited += 1;
      const id = balanceId(m.destination, m.recipient);
      const before = expected.get(id)?.balance ?? balancesBefore.get(id)!;
      expected.set(id, { harbor: m.destination, key: m.recipient, balance: before + m.amount });
    }
  }
  for (const { harbor, key, balance } of expected.values()) {
    if (chain.account(harbor, key).balance !== balance)
      fail("a recipient's balance differs from its credits");
  }
  if (chain.pendingMessages.length > 0) fail("corridor messages left undelivered");

  const params = chain.corridors.view(corridorIds[0]!)!.params;
  const perMigration = (ms: number) => +((ms * 1000) / Math.max(credited, 1)).toFixed(1);
  const migrationsPerSec = failures.size > 0 ? 0 : Math.round(credited / (wallMs / 1000));
  return {
    wallMs,
    credited,
    migrationsPerSec,
    failures: Object.fromEntries(failures),
    figures: {
      blockTxs: plan.blockTxs,
      blocks: plan.blocks.length,
      drainBlocks,
      migrations: plan.migrations.length,
      executed,
      deferred,
      delivered,
      acknowledged,
      credited,
      migrationsPerSec,
      usPerMigration: {
        select: perMigration(totals.selectMs),
        execute: perMigration(totals.executeMs),
        seal: perMigration(totals.sealMs),
        write: perMigration(totals.writeMs),
        total: perMigration(wallMs),
      },
      corridors: {
        origin,
        destinations,
        // The genesis limits of these corridors (the devnet's defaults), and what the run came to.
        maxDeliveriesPerBlock: params.maxDeliveriesPerBlock,
        maxInFlight: params.maxInFlight.toString(),
        timeoutBlocks: params.timeoutBlocks,
        peakDeliveriesPerCorridorBlock: peakDeliveries,
        peakInFlight: peakInFlight.toString(),
        heldDeliveries: held,
      },
    },
  };
}
