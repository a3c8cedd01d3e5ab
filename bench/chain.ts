/**
 * One validator's chain path, in process, no network: blocks of signed transfers go through
 * `Chain.execute` (select and verify, execute, seal, write). Prints per-transaction microseconds of
 * each stage beside this machine's single-thread Ed25519 verification cost, measured in the same run:
 * the per-transaction budget a validator has besides verification.
 * Usage: npm run bench:chain  (BENCH_BLOCK_TXS=1000, BENCH_BLOCKS=24, BENCH_ACCOUNTS=400, BENCH_PREVERIFIED=0|1)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chain } from "../src/chain/chain.js";
import { publicKeyOf, sign, verify } from "../src/crypto/ed25519.js";
import { initDevnetHome } from "../src/node/devnetHome.js";
import { loadRulePacks } from "../src/node/genesis.js";
import { readKeyFile } from "../src/node/keyFile.js";
import { Database } from "../src/state/db/index.js";
import { poolRunner } from "../src/vm/executor/block.js";
import { signedTransfer } from "../test/helpers/cluster.js";
import { emit, rate } from "./harness.js";

const BLOCK_TXS = Number(process.env.BENCH_BLOCK_TXS ?? 1000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 24);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 400);
/** 1: every transaction counts as checked by this node's pool (the validator that received it). */
const PREVERIFIED = process.env.BENCH_PREVERIFIED === "1";
/** Blocks from this size run on the worker pool (the node's default when unset). */
const POOL_MIN_TXS =
  process.env.BENCH_POOL_MIN_TXS === undefined ? undefined : Number(process.env.BENCH_POOL_MIN_TXS);

const secret = new Uint8Array(32).fill(7);
const pk = publicKeyOf(secret);
const msg = new Uint8Array(32).fill(1);
const sig = sign(secret, msg);
const verifyPerSec = rate(() => verify(pk, msg, sig), 1000, 64);

const dir = mkdtempSync(join(tmpdir(), "mass-bench-chain-"));
try {
  const home = initDevnetHome({ dir: join(dir, "home"), validators: 4, accounts: ACCOUNTS });
  const rulePacks = loadRulePacks(home.genesisPath, home.genesis);
  const keys = Array.from({ length: ACCOUNTS }, (_, i) =>
    readKeyFile(join(home.dir, "keys", `account-${i}.json`)),
  );
  const db = await Database.open(join(dir, "db"));
  const runner = poolRunner();
  const chain = await Chain.open({
    db,
    genesis: home.genesis,
    rulePacks,
    runner,
    ...(PREVERIFIED ? { checkSignature: () => true } : {}),
    ...(POOL_MIN_TXS === undefined ? {} : { poolMinTxs: POOL_MIN_TXS }),
  });
  const blocks = Array.from({ length: BLOCKS }, (_, b) =>
    Array.from({ length: BLOCK_TXS }, (_, i) => {
      const k = b * BLOCK_TXS + i;
      const s = k % ACCOUNTS;
      const to = keys[(s + 1) % ACCOUNTS]!.publicKey;
      return signedTransfer("mass-devnet", keys[s]!, to, Math.floor(k / ACCOUNTS), 1n);
    }),
  );
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
  await runner.close();
  await db.close();
  const perTx = (ms: number) => +((ms * 1000) / executed).toFixed(1);
  emit({
    bench: "chain",
    blockTxs: BLOCK_TXS,
    blocks: BLOCKS,
    executed,
    preverified: PREVERIFIED,
    txPerSec: Math.round(executed / (wallMs / 1000)),
    usPerTx: {
      select: perTx(totals.selectMs),
      execute: perTx(totals.executeMs),
      seal: perTx(totals.sealMs),
      write: perTx(totals.writeMs),
      total: perTx(wallMs),
    },
    ed25519VerifyUsSingleThread: +(1e6 / verifyPerSec).toFixed(1),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
