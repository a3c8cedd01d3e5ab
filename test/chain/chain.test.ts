import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Chain, type ExecutableSubDag, receiptOutcome } from "../../src/chain/chain.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { Database } from "../../src/state/db/index.js";
import { Account, ExecutionOutcome, ExecutionReceipt } from "../../src/types/execution.js";
import { SignedTransaction, TransferPayload } from "../../src/types/index.js";
import { toHex } from "../../src/util/bytes.js";
import { inlineRunner, poolRunner } from "../../src/vm/executor/block.js";
import { accountKey } from "../../src/vm/state/keys.js";
import { signedTransfer } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

describe("Chain", () => {
  const home = initDevnetHome({
    dir: join(tempDir(), "home"),
    validators: 4,
    genesisTime: 1_700_000_000_000,
  });
  const rulePacks = loadRulePacks(home.genesisPath, home.genesis);
  const faucet = readKeyFile(home.faucetKeyPath);
  const alice = readKeyFile(home.demoKeyPaths[0]!);
  const t0 = signedTransfer("mass-devnet", faucet, alice.publicKey, 0, 1_000n);
  const t1 = signedTransfer("mass-devnet", faucet, alice.publicKey, 1, 2_000n);
  const forged = SignedTransaction.deserialize(signedTransfer("mass-devnet", faucet, alice.publicKey, 2, 5n));
  forged.body.payload = TransferPayload.serialize({ to: alice.publicKey, amount: 5_000_000n });
  const subDags: ExecutableSubDag[] = [
    {
      commitIndex: 0,
      leaderRound: 2,
      leaderDigest: new Uint8Array(32).fill(2),
      leaderTime: 1_700_000_001_000,
      transactions: [t0, t0, SignedTransaction.serialize(forged), new Uint8Array([1, 2, 3])],
    },
    {
      commitIndex: 1,
      leaderRound: 4,
      leaderDigest: new Uint8Array(32).fill(4),
      leaderTime: 1_700_000_000_500,
      transactions: [t0, t1],
    },
    {
      commitIndex: 2,
      leaderRound: 6,
      leaderDigest: new Uint8Array(32).fill(6),
      leaderTime: 1_700_000_002_000,
      transactions: [],
    },
  ];

  async function run(dbPath: string, threads: number) {
    const db = await Database.open(dbPath);
    const runner = threads === 0 ? inlineRunner() : poolRunner(threads);
    // poolMinTxs 0: every block goes through `runner`, so the pool really runs in the pool test.
    const chain = await Chain.open({ db, genesis: home.genesis, rulePacks, runner, poolMinTxs: 0 });
    const blocks = [];
    for (const s of subDags) blocks.push(await chain.execute(s));
    const balance = (key: Uint8Array) =>
      Account.deserialize(chain.state.get("pk-sifc", accountKey(key))!).balance;
    return { db, chain, blocks, balance, close: async () => Promise.all([runner.close(), db.close()]) };
  }

  it("executes committed sub-DAGs into blocks: deduplicated, verified, transfers applied", async () => {
    const path = join(tempDir(), "db");
    const { chain, blocks, balance, close } = await run(path, 0);
    try {
      assert.deepEqual(
        blocks.map((b) => b.header.height),
        [1, 2, 3],
      );
      assert.deepEqual(
        blocks.map((b) => b.txHashes.length),
        [1, 1, 0],
        "repeat, forgery, garbage and replay dropped",
      );
      assert.deepEqual(
        blocks.map((b) => b.dropped),
        [3, 1, 0],
      );
      assert.equal(blocks[1]!.header.timestamp, 1_700_000_001_000, "time never goes back");
      assert.deepEqual(blocks[1]!.header.parentHash, blocks[0]!.hash);
      const receipt = await chain.store.receipt(blocks[0]!.txHashes[0]!);
      assert.equal(
        receipt?.outcome,
        ExecutionOutcome.Success,
        "faucet and alice are attested compliant at genesis",
      );
      assert.equal(balance(alice.publicKey), 1_000_000_000n + 3_000n - 3n, "0.1 % withheld by the harbor");
      assert.equal((await chain.store.location(blocks[1]!.txHashes[0]!))?.height, 2);
      await assert.rejects(chain.execute({ ...subDags[0]!, commitIndex: 7 }), /expects commit 3/);
    } finally {
      await close();
    }
    const again = await Database.open(path);
    try {
      const reopened = await Chain.open({
        db: again,
        genesis: home.genesis,
        rulePacks,
        runner: inlineRunner(),
      });
      assert.equal(reopened.height, 3);
      assert.equal(reopened.nextCommitIndex, 3);
      assert.equal(toHex(reopened.chainHead.blockHash), toHex(blocks[2]!.hash));
      assert.equal(toHex(reopened.state.stateRoot()), toHex(blocks[2]!.header.stateRoot));
    } finally {
      await again.close();
    }
  });

  it("defers a nonce ahead of the sender's and drops a used one, never executing them as failures", async () => {
    const db = await Database.open(join(tempDir(), "db"));
    try {
      const chain = await Chain.open({ db, genesis: home.genesis, rulePacks, runner: inlineRunner() });
      const ahead = signedTransfer("mass-devnet", alice, faucet.publicKey, 1, 5n);
      const first = signedTransfer("mass-devnet", alice, faucet.publicKey, 0, 5n);
      const reused = signedTransfer("mass-devnet", alice, faucet.publicKey, 0, 6n);
      const leader = { leaderRound: 2, leaderDigest: new Uint8Array(32), leaderTime: 1_700_000_001_000 };
      const b1 = await chain.execute({ ...leader, commitIndex: 0, transactions: [ahead, first, reused] });
      assert.equal(b1.txHashes.length, 1, "only nonce 0 executes; nonce 1 arrived before it");
      assert.equal(b1.deferred.length, 1);
      assert.equal(b1.dropped, 1, "the second nonce-0 transaction can never execute");
      const b2 = await chain.execute({ ...leader, leaderRound: 4, commitIndex: 1, transactions: [ahead] });
      assert.deepEqual(b2.deferred, []);
      assert.equal(b2.txHashes.length, 1, "resubmitted, nonce 1 now executes");
      assert.equal(chain.accountNonce("pk-sifc", alice.publicKey), 2);
    } finally {
      await db.close();
    }
  });

  it("keeps a block within the genesis byte and gas limits, deferring the rest in nonce order", async () => {
    const bob = readKeyFile(home.demoKeyPaths[1]!);
    const txs = Array.from({ length: 6 }, (_, n) =>
      signedTransfer("mass-devnet", alice, faucet.publicKey, n, 1n),
    );
    const bobTx = signedTransfer("mass-devnet", bob, faucet.publicKey, 0, 1n);
    // Room for 4 transfers: by bytes, then by declared gas (200,000 each).
    const limits = [
      { ...home.genesis.params, maxBlockBytes: 4 * txs[0]!.length + 10 },
      { ...home.genesis.params, maxBlockGas: 4 * 200_000 + 1 },
    ];
    for (const params of limits) {
      const db = await Database.open(join(tempDir(), "db"));
      try {
        const chain = await Chain.open({
          db,
          genesis: { ...home.genesis, params },
          rulePacks,
          runner: inlineRunner(),
        });
        const leader = { leaderRound: 2, leaderDigest: new Uint8Array(32), leaderTime: 1_700_000_001_000 };
        const b1 = await chain.execute({ ...leader, commitIndex: 0, transactions: [...txs, bobTx] });
        assert.equal(b1.txHashes.length, 4, "four fit");
        assert.equal(b1.deferred.length, 3, "alice's nonces 4 and 5 and bob's wait for a later block");
        assert.equal(chain.accountNonce("pk-sifc", alice.publicKey), 4);
        const b2 = await chain.execute({
          ...leader,
          leaderRound: 4,
          commitIndex: 1,
          transactions: [...txs, bobTx],
        });
        assert.equal(b2.txHashes.length, 3, "the deferred ones execute next");
        assert.equal(chain.accountNonce("pk-sifc", bob.publicKey), 1);
      } finally {
        await db.close();
      }
    }
  });

  it("reads a receipt's outcome without decoding it", () => {
    for (const outcome of [ExecutionOutcome.Success, ExecutionOutcome.OutOfGas, ExecutionOutcome.Invalid]) {
      const receipt = { ...ExecutionReceipt.defaultValue(), outcome, reason: new Uint8Array([1, 2, 3]) };
      assert.equal(receiptOutcome(ExecutionReceipt.serialize(receipt)), outcome);
    }
  });

  it("produces the same blocks on a worker pool as inline", async () => {
    const inline = await run(join(tempDir(), "a"), 0);
    const pooled = await run(join(tempDir(), "b"), 2);
    try {
      assert.deepEqual(
        pooled.blocks.map((b) => toHex(b.hash)),
        inline.blocks.map((b) => toHex(b.hash)),
      );
    } finally {
      await Promise.all([inline.close(), pooled.close()]);
    }
  });
});
