import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Chain } from "../../src/chain/chain.js";
import { sha256Concat } from "../../src/crypto/hash.js";
import { verifyMerkleProof } from "../../src/crypto/merkle.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { TxPool } from "../../src/pool/txPool.js";
import { RpcErrorCode } from "../../src/rpc/errors.js";
import { massMethods } from "../../src/rpc/methods.js";
import { RpcServer } from "../../src/rpc/server.js";
import { Database } from "../../src/state/db/index.js";
import { verifyStateProof } from "../../src/state/stateTree.js";
import { Account } from "../../src/types/execution.js";
import { fromHex, toHex, utf8 } from "../../src/util/bytes.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { accountKey } from "../../src/vm/state/keys.js";
import { signedTransfer } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

interface AccountJson {
  balance: string;
  nonce: string;
  pendingNonce: string;
  proof: {
    height: string;
    stateRoot: string;
    harborRoot: string;
    harborIndex: number;
    harborSiblings: string[];
    bucket: number;
    entries: { key: string; value: string }[];
    siblings: string[];
  };
}

describe("mass_ JSON-RPC methods", () => {
  const home = initDevnetHome({
    dir: join(tempDir(), "home"),
    validators: 4,
    genesisTime: 1_700_000_000_000,
  });
  const faucet = readKeyFile(home.faucetKeyPath);
  const alice = readKeyFile(home.demoKeyPaths[0]!);
  let db: Database;
  let chain: Chain;
  let pool: TxPool;
  let server: RpcServer;
  let url = "";
  let blockSyncing = false;

  const call = async <T>(method: string, params: unknown[] = []) => {
    const res = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return (await res.json()) as {
      result?: T;
      error?: { code: number; message: string; data?: { reason?: string } };
    };
  };

  before(async () => {
    db = await Database.open(join(tempDir(), "db"));
    chain = await Chain.open({
      db,
      genesis: home.genesis,
      rulePacks: loadRulePacks(home.genesisPath, home.genesis),
      runner: inlineRunner(),
    });
    pool = new TxPool({
      chainId: "mass-devnet",
      harbors: ["pk-sifc", "ae-difc", "kz-aifc"],
      accounts: {
        nextNonce: (harbor, sender) => chain.accountNonce(harbor, sender),
        balance: (harbor, sender) => chain.account(harbor, sender).balance,
      },
    });
    const status = () => ({
      status: "ok" as const,
      reason: "",
      blockSyncing,
      peers: 3,
      committeeSize: 4,
      consensusRound: 9,
      finalizedHeight: 0,
    });
    server = new RpcServer({
      host: "127.0.0.1",
      port: 0,
      methods: massMethods({
        genesis: home.genesis,
        genesisHash: chain.genesisHash,
        chain,
        pool,
        validatorIndex: 0,
        status,
      }),
    });
    url = `http://127.0.0.1:${(await server.start()).port}/`;
  });
  after(async () => {
    await server.stop();
    await db.close();
  });

  it("accepts a transaction, reports it pending, then executed with its receipt", async () => {
    const tx = signedTransfer("mass-devnet", faucet, alice.publicKey, 0, 500n);
    const sent = await call<{ txHash: string }>("mass_sendRawTransaction", [toHex(tx)]);
    const txHash = sent.result!.txHash;
    assert.equal((await call<{ status: string }>("mass_getTransaction", [txHash])).result!.status, "pending");
    const again = await call("mass_sendRawTransaction", [toHex(tx)]);
    assert.equal(again.error?.code, RpcErrorCode.TransactionRejected);
    assert.equal(again.error?.data?.reason, "TX_DUPLICATE");
    assert.equal(
      (await call<AccountJson>("mass_getAccount", ["pk-sifc", toHex(faucet.publicKey)])).result!.pendingNonce,
      "1",
    );

    const ready = pool.takeReady(1 << 20).map((p) => p.bytes);
    const block = await chain.execute({
      commitIndex: 0,
      leaderRound: 2,
      leaderDigest: new Uint8Array(32),
      leaderTime: 1_700_000_001_000,
      transactions: ready,
    });
    pool.removeCommitted(block.executed);
    const result = (
      await call<{ status: string; outcome: string; block: { height: string } }>("mass_getTransaction", [
        txHash,
      ])
    ).result!;
    assert.deepEqual([result.status, result.outcome, result.block.height], ["executed", "Success", "1"]);
    const latest = (await call<{ header: { height: string }; transactions: string[] }>("mass_getLatestBlock"))
      .result!;
    assert.deepEqual([latest.header.height, latest.transactions], ["1", [txHash]]);
  });

  it("answers an account with a proof a light client checks against the block's state root", async () => {
    const { result } = await call<AccountJson>("mass_getAccount", ["pk-sifc", toHex(alice.publicKey)]);
    const account = result!;
    const block = (
      await call<{ header: { stateRoot: string } }>("mass_getBlockByHeight", [account.proof.height])
    ).result!;
    assert.equal(account.proof.stateRoot, block.header.stateRoot);
    // Harbor root under the state root, then the account under the harbor root.
    const leaf = sha256Concat(utf8("pk-sifc"), new Uint8Array([0]), fromHex(account.proof.harborRoot));
    const harborProof = {
      leafIndex: account.proof.harborIndex,
      treeSize: 3,
      siblings: account.proof.harborSiblings.map((h) => fromHex(h)),
    };
    assert.equal(verifyMerkleProof(fromHex(account.proof.stateRoot), leaf, harborProof), true);
    const stateProof = {
      bucket: account.proof.bucket,
      entries: account.proof.entries.map((e) => ({ key: fromHex(e.key), value: fromHex(e.value) })),
      siblings: account.proof.siblings.map((h) => fromHex(h)),
    };
    const value = verifyStateProof(
      fromHex(account.proof.harborRoot),
      fromHex(`0x${accountKey(alice.publicKey)}`),
      stateProof,
    );
    assert.ok(value instanceof Uint8Array);
    assert.equal(Account.deserialize(value).balance.toString(), account.balance);
  });

  it("refuses transactions while the node catches up by block sync", async () => {
    blockSyncing = true;
    try {
      const tx = toHex(signedTransfer("mass-devnet", faucet, alice.publicKey, 7, 1n));
      const answer = await call("mass_sendRawTransaction", [tx]);
      assert.equal(answer.error?.code, -32010);
      assert.match(answer.error!.message, /block sync/);
    } finally {
      blockSyncing = false;
    }
  });

  it("reports bad parameters and missing objects with their codes", async () => {
    assert.equal((await call("mass_getTransaction", ["0x12"])).error?.code, RpcErrorCode.InvalidParams);
    assert.equal(
      (await call("mass_getTransaction", [`0x${"00".repeat(32)}`])).error?.code,
      RpcErrorCode.NotFound,
    );
    assert.equal((await call("mass_getBlockByHeight", ["99"])).error?.code, RpcErrorCode.NotFound);
    assert.equal((await call("mass_getBlockByHeight", ["-1"])).error?.code, RpcErrorCode.InvalidParams);
    assert.equal(
      (await call("mass_getAccount", ["xx-none", toHex(alice.publicKey)])).error?.code,
      RpcErrorCode.InvalidParams,
    );
    assert.equal((await call("mass_sendRawTransaction", ["0xzz"])).error?.code, RpcErrorCode.InvalidParams);
    const info = (await call<{ chainId: string; height: string; harbors: unknown[] }>("mass_chainInfo"))
      .result!;
    assert.deepEqual([info.chainId, info.height, info.harbors.length], ["mass-devnet", "1", 3]);
  });
});
