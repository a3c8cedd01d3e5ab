/**
 * One validator's chain path, in process, no network: blocks of signed transfers go through
 * `Chain.execute` (select and verify, execute, seal, write). Prints per-transaction microseconds of
 * each stage beside this machine's single-thread Ed25519 verification cost, measured in the same run:
 * the per-transaction budget a validator has besides verification.
 * A second line does the same for cross-harbor migrations (bench/chainMigrations.ts), each on a fresh
 * chain of the same genesis: blocks of the same size migrating out of pk-sifc to the other devnet
 * harbors, timed over the blocks that execute them and those that deliver and acknowledge them,
 * beside the transfer rate of the same run. Transfer and migration rounds alternate and the best of
 * each counts, so drift in the machine's load affects both alike.
 * Usage: npm run bench:chain  (BENCH_BLOCK_TXS=1000, BENCH_BLOCKS=24, BENCH_ACCOUNTS=400,
 * BENCH_PREVERIFIED=0|1, BENCH_ROUNDS=2)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chain } from "../src/chain/chain.js";
import { signTransaction, TRANSFER_GAS_LIMIT, transferTx } from "../src/client/index.js";
import { publicKeyOf, sign, verify } from "../src/crypto/ed25519.js";
import { DEVNET_HARBORS, initDevnetHome } from "../src/node/devnetHome.js";
import { loadRulePacks } from "../src/node/genesis.js";
import { type KeyPair, readKeyFile } from "../src/node/keyFile.js";
import { Database } from "../src/state/db/index.js";
import { poolRunner } from "../src/vm/executor/block.js";
import { type MigrationRun, planMigrations, runMigrations } from "./chainMigrations.js";
import { emit, rate } from "./harness.js";

const BLOCK_TXS = Number(process.env.BENCH_BLOCK_TXS ?? 1000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 24);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 400);
/** 1: every transaction counts as checked by this node's pool (the validator that received it). */
const PREVERIFIED = process.env.BENCH_PREVERIFIED === "1";
/** Blocks from this size run on the worker pool (the node's default when unset). */
const POOL_MIN_TXS =
  process.env.BENCH_POOL_MIN_TXS === undefined ? undefined : Number(process.env.BENCH_POOL_MIN_TXS);
/** Rounds of each workload, alternating, each on a fresh chain; the best round of each is printed. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const CHAIN_ID = "mass-devnet";
/** The harbor the transfers run in and the migrations leave; they go to the other devnet harbors. */
const ORIGIN = "pk-sifc";

/** A transfer as the CLI sends it (its gas limit, a fee of 10), signed with node:crypto. */
function signedTransfer(from: KeyPair, to: Uint8Array, nonce: number, amount: bigint): Uint8Array {
  const body = transferTx(
    {
      chainId: CHAIN_ID,
      harbor: ORIGIN,
      sender: from.publicKey,
      nonce,
      gasLimit: TRANSFER_GAS_LIMIT,
      fee: 10n,
    },
    { to, amount },
  );
  return signTransaction(body, from.secretKey, sign).bytes;
}

const secret = new Uint8Array(32).fill(7);
const pk = publicKeyOf(secret);
const msg = new Uint8Array(32).fill(1);
const sig = sign(secret, msg);
const verifyPerSec = rate(() => verify(pk, msg, sig), 1000, 64);
const ed25519VerifyUsSingleThread = +(1e6 / verifyPerSec).toFixed(1);

const dir = mkdtempSync(join(tmpdir(), "mass-bench-chain-"));
try {
  const home = initDevnetHome({ dir: join(dir, "home"), validators: 4, accounts: ACCOUNTS });
  const rulePacks = loadRulePacks(home.genesisPath, home.genesis);
  const keys = Array.from({ length: ACCOUNTS }, (_, i) =>
    readKeyFile(join(home.dir, "keys", `account-${i}.json`)),
  );
  const runner = poolRunner();
  /** A fresh chain of the bench's genesis on its own database; `close` removes the database. */
  const openChain = async (name: string) => {
    const path = join(dir, name);
    const db = await Database.open(path);
    const chain = await Chain.open({
      db,
      genesis: home.genesis,
      rulePacks,
      runner,
      ...(PREVERIFIED ? { checkSignature: () => true } : {}),
      ...(POOL_MIN_TXS === undefined ? {} : { poolMinTxs: POOL_MIN_TXS }),
    });
    const close = async () => {
      await db.close();
      rmSync(path, { recursive: true, force: true });
    };
    return { chain, close };
  };

  // Signed once: every round replays the same transactions on a fresh chain.
  const blocks = Array.from({ length: BLOCKS }, (_, b) =>
    Array.from({ length: BLOCK_TXS }, (_, i) => {
      const k = b * BLOCK_TXS + i;
      const s = k % ACCOUNTS;
      const to = keys[(s + 1) % ACCOUNTS]!.publicKey;
      return signedTransfer(keys[s]!, to, Math.floor(k / ACCOUNTS), 1n);
    }),
  );
  const migrationPlan = planMigrations({
    chainId: CHAIN_ID,
    keys,
    origin: ORIGIN,
    destinations: DEVNET_HARBORS.map((h) => h.id).filter((h) => h !== ORIGIN),
    blockTxs: BLOCK_TXS,
    blocks: BLOCKS,
  });

  const transferRound = async (round: number) => {
    const { chain, close } = await openChain(`transfers-${round}`);
    const totals = { selectMs: 0, executeMs: 0, sealMs: 0, writeMs: 0 };
    let executed = 0;
    const started = performance.now();
    for (const [b, transactions] of blocks.entries()) {
      const block = await chain.execute({
        commitIndex: b,
        leaderRound: 2 * (b + 1),
        leaderDigest: new Uint8Array(32).fill(b),
        leaderTime: Date.now(),
        transactions,
      });
      executed += block.txHashes.length;
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += block.timings[k];
    }
    const wallMs = performance.now() - started;
    await close();
    return { totals, executed, wallMs, txPerSec: Math.round(executed / (wallMs / 1000)) };
  };
  const migrationRound = async (round: number) => {
    const { chain, close } = await openChain(`migrations-${round}`);
    const run = await runMigrations(chain, migrationPlan);
    await close();
    return run;
  };

  let transfers: Awaited<ReturnType<typeof transferRound>> | undefined;
  let migrations: MigrationRun | undefined;
  const failures: Record<string, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = await transferRound(round);
    if (transfers === undefined || t.txPerSec > transfers.txPerSec) transfers = t;
    const m = await migrationRound(round);
    if (Object.keys(m.failures).length > 0) failures.push(m.failures);
    if (migrations === undefined || m.migrationsPerSec > migrations.migrationsPerSec) migrations = m;
  }
  await runner.close();
  if (transfers === undefined || migrations === undefined) throw new Error("BENCH_ROUNDS must be at least 1");

  const { totals, executed, wallMs, txPerSec } = transfers;
  const perTx = (ms: number) => +((ms * 1000) / executed).toFixed(1);
  emit({
    bench: "chain",
    blockTxs: BLOCK_TXS,
    blocks: BLOCKS,
    rounds: ROUNDS,
    executed,
    preverified: PREVERIFIED,
    txPerSec,
    usPerTx: {
      select: perTx(totals.selectMs),
      execute: perTx(totals.executeMs),
      seal: perTx(totals.sealMs),
      write: perTx(totals.writeMs),
      total: perTx(wallMs),
    },
    ed25519VerifyUsSingleThread,
  });
  emit({
    bench: "chain-migrations",
    ...migrations.figures,
    rounds: ROUNDS,
    preverified: PREVERIFIED,
    // This run's baselines: the intra-harbor transfer rate of the line above, and one signature check.
    transferTxPerSec: txPerSec,
    migrationsPerTransfer: +(migrations.migrationsPerSec / txPerSec).toFixed(2),
    ed25519VerifyUsSingleThread,
  });
  if (failures.length > 0) {
    // A migration refused, refunded or lost is no success: the run fails, saying why.
    process.stderr.write(`bench:chain: migrations not fully processed: ${JSON.stringify(failures)}\n`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
