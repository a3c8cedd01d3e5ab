/**
 * The migration half of `npm run bench:chain`: blocks of signed cross-harbor migrations through
 * `Chain.execute`, from one origin harbor to the others, with the blocks after them that deliver
 * (credit at the destination, acknowledge) and retire the escrows at the origin. A migration counts
 * once its transfer is credited; the bench checks every one against receipts, transfer records,
 * escrows and the recipients' balances, so a refused or lost migration cannot pass as done.
 */
import type { Chain } from "../src/chain/chain.js";
import { migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../src/client/index.js";
import { sign } from "../src/crypto/ed25519.js";
import type { KeyPair } from "../src/node/keyFile.js";
import { corridorIdOf, TransferStatus } from "../src/sharding/index.js";
import { CorridorMessageKind, ExecutionOutcome } from "../src/types/execution.js";
import type { Genesis } from "../src/types/genesis.js";
import { asciiString } from "../src/types/primitives.js";
import { toHex } from "../src/util/bytes.js";
import { migrationTransitId } from "../src/vm/tx/migrate.js";
import { lockKey } from "../src/vm/state/keys.js";

/** Fee of every transaction the bench signs, as the CLI sends them. */
const FEE = 10n;
/** Empty blocks at most after the last migrations: delivery, then the acknowledgement (2 needed). */
const MAX_DRAIN_BLOCKS = 16;

export interface MigrationBenchOptions {
  chain: Chain;
  chainId: string;
  genesis: Genesis;
  keys: readonly KeyPair[];
  origin: string;
  destinations: readonly string[];
  blockTxs: number;
  blocks: number;
}

interface Planned {
  hash: Uint8Array;
  transitId: Uint8Array;
  destination: string;
  recipient: KeyPair;
  amount: bigint;
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

/** Runs the migration blocks and the blocks that finish them; returns the JSON line's figures. */
export async function benchMigrations(options: MigrationBenchOptions): Promise<Record<string, unknown>> {
  const { chain, chainId, genesis, keys, origin, destinations, blockTxs, blocks } = options;
  const accounts = keys.length;
  const planned: Planned[] = [];
  const blockTransactions = Array.from({ length: blocks }, (_, b) =>
    Array.from({ length: blockTxs }, (_, i) => {
      const k = b * blockTxs + i;
      const s = k % accounts;
      // Senders take turns, so each destination corridor carries its share of every block.
      const destination = destinations[Math.floor(k / accounts + s) % destinations.length]!;
      const recipient = keys[(s + 1) % accounts]!;
      const amount = 1n + BigInt(k % 7);
      const signed = signedMigration(
        chainId,
        origin,
        keys[s]!,
        Math.floor(k / accounts),
        destination,
        recipient.publicKey,
        amount,
      );
      planned.push({
        hash: signed.hash,
        transitId: migrationTransitId(signed.hash),
        destination,
        recipient,
        amount,
      });
      return signed.bytes;
    }),
  );
  const balancesBefore = new Map<string, bigint>();
  const balanceId = (harbor: string, key: Uint8Array) => `${harbor}/${toHex(key)}`;
  for (const p of planned) {
    const id = balanceId(p.destination, p.recipient.publicKey);
    if (!balancesBefore.has(id))
      balancesBefore.set(id, chain.account(p.destination, p.recipient.publicKey).balance);
  }

  const totals = { selectMs: 0, executeMs: 0, sealMs: 0, writeMs: 0 };
  let executed = 0;
  let deferred = 0;
  let delivered = 0;
  let acknowledged = 0;
  /** Departures that waited past their first delivery block (a corridor's per-block limit, say). */
  let held = 0;
  let peakDeliveries = 0;
  let peakInFlight = 0n;
  let drainBlocks = 0;
  const corridorIds = destinations.map((d) => corridorIdOf(origin, d));
  let commitIndex = chain.nextCommitIndex;
  const started = performance.now();
  for (let b = 0; ; b++) {
    const transactions = blockTransactions[b] ?? [];
    if (b >= blocks) {
      const open = chain.pendingMessages.length > 0 || chain.corridors.openTransfers().length > 0;
      if (!open || drainBlocks === MAX_DRAIN_BLOCKS) break;
      drainBlocks += 1;
    }
    // What this block is due to deliver: the departures of earlier blocks and their acknowledgements.
    const due = chain.pendingMessages;
    const dueByHarbor = new Map<string, number>();
    for (const m of due) {
      if (m.kind !== CorridorMessageKind.Departure) continue;
      const to = asciiString(m.destinationHarbor);
      dueByHarbor.set(to, (dueByHarbor.get(to) ?? 0) + 1);
    }
    acknowledged += due.filter((m) => m.kind === CorridorMessageKind.Settlement).length;
    const block = await chain.execute({
      commitIndex,
      leaderRound: 2 * (commitIndex + 1),
      leaderDigest: new Uint8Array(32).fill(commitIndex % 251),
      leaderTime: Date.now(),
      transactions,
    });
    commitIndex += 1;
    executed += block.txHashes.length;
    deferred += block.deferred.length;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += block.timings[k];
    // A departure delivered in this block is no longer open (its arrival was recorded at the block's end).
    const height = block.header.height;
    for (const t of chain.corridors.openTransfers()) {
      if (t.departedAt >= height) continue;
      const to = asciiString(t.destinationHarbor);
      dueByHarbor.set(to, dueByHarbor.get(to)! - 1);
      held += 1;
    }
    for (const count of dueByHarbor.values()) {
      delivered += count;
      peakDeliveries = Math.max(peakDeliveries, count);
    }
    for (const id of corridorIds) {
      const inFlight = chain.corridors.inFlight(id);
      if (inFlight > peakInFlight) peakInFlight = inFlight;
    }
  }
  const wallMs = performance.now() - started;

  // Every migration must have executed at the origin, been credited at its destination, and had its
  // escrow retired; the recipients' balances must have grown by exactly what was sent to them.
  let credited = 0;
  const failures: string[] = [];
  const expected = new Map<string, bigint>();
  for (const p of planned) {
    const receipt = await chain.store.receipt(p.hash);
    const record = await chain.corridors.transfer(p.transitId);
    const escrow = chain.state.get(origin, lockKey(p.transitId));
    if (receipt?.outcome !== ExecutionOutcome.Success) {
      failures.push(
        `origin receipt ${receipt === undefined ? "missing" : `${ExecutionOutcome[receipt.outcome]} (${new TextDecoder().decode(receipt.reason)})`}`,
      );
    } else if (record?.status !== TransferStatus.Credited) {
      failures.push(`transfer ${record === undefined ? "unrecorded" : `status ${record.status}`}`);
    } else if (escrow !== undefined) {
      failures.push("escrow not retired");
    } else {
      credited += 1;
      const id = balanceId(p.destination, p.recipient.publicKey);
      expected.set(id, (expected.get(id) ?? balancesBefore.get(id)!) + p.amount);
    }
  }
  for (const p of planned) {
    const id = balanceId(p.destination, p.recipient.publicKey);
    const want = expected.get(id);
    const have = chain.account(p.destination, p.recipient.publicKey).balance;
    if (want !== undefined && have !== want) {
      failures.push(`${id}: balance ${have}, expected ${want}`);
      expected.delete(id);
    }
  }
  if (failures.length > 0) {
    const kinds = new Map<string, number>();
    for (const f of failures) kinds.set(f, (kinds.get(f) ?? 0) + 1);
    process.stderr.write(
      `bench:chain migrations: ${failures.length} of ${planned.length} not fully processed: ${JSON.stringify(Object.fromEntries([...kinds].slice(0, 5)))}\n`,
    );
    process.exitCode = 1;
  }

  const params = genesis.corridors.find(
    (c) => corridorIdOf(asciiString(c.harborA), asciiString(c.harborB)) === corridorIds[0],
  )!.params;
  const perMigration = (ms: number) => +((ms * 1000) / Math.max(credited, 1)).toFixed(1);
  return {
    blockTxs,
    blocks,
    drainBlocks,
    migrations: planned.length,
    executed,
    delivered,
    acknowledged,
    credited,
    deferred,
    migrationsPerSec: Math.round(credited / (wallMs / 1000)),
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
      // Genesis limits of every corridor used (the devnet's defaults), and what the run met of them.
      maxDeliveriesPerBlock: params.maxDeliveriesPerBlock,
      maxInFlight: params.maxInFlight.toString(),
      timeoutBlocks: params.timeoutBlocks,
      peakDeliveriesPerCorridorBlock: peakDeliveries,
      peakInFlight: peakInFlight.toString(),
      heldDeliveries: held,
    },
  };
}
