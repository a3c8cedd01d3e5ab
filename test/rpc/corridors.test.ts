import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Chain } from "../../src/chain/chain.js";
import { migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../../src/client/index.js";
import { sign } from "../../src/crypto/ed25519.js";
import { verifyMmrConsistency } from "../../src/crypto/mmr.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { type KeyPair, readKeyFile } from "../../src/node/keyFile.js";
import { TxPool } from "../../src/pool/txPool.js";
import type {
  CorridorJson,
  CorridorReceiptJson,
  CorridorReceiptProofJson,
  MmrConsistencyJson,
  TransferJson,
} from "../../src/rpc/corridorJson.js";
import { RpcErrorCode } from "../../src/rpc/errors.js";
import { type HealthStatus, massMethods } from "../../src/rpc/methods.js";
import { RpcServer } from "../../src/rpc/server.js";
import { Database } from "../../src/state/db/index.js";
import { ExecutionReceipt } from "../../src/types/execution.js";
import type { Genesis } from "../../src/types/genesis.js";
import { asciiString } from "../../src/types/primitives.js";
import { toHex } from "../../src/util/bytes.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { migrationTransitId } from "../../src/vm/tx/migrate.js";
import {
  bytes,
  corridorLeaf,
  hex,
  leafHash,
  mmrRootFromProof,
  receiptDigest,
  rfc9162Root,
  sha256,
} from "../helpers/corridorVerifier.js";
import { tempDir } from "../helpers/tempDir.js";

const CHAIN_ID = "mass-devnet";
const GENESIS_TIME = 1_700_000_000_000;
const PK_AE = "ae-difc~pk-sifc";
const AE_KZ = "ae-difc~kz-aifc";
/** Left out of this test's genesis: pk-sifc and kz-aifc have no corridor between them. */
const KZ_PK = "kz-aifc~pk-sifc";
const PK_TO_AE = 10;
const AE_TO_KZ = 3;

// ---- The node under test. ----

interface Answer<T> {
  result?: T;
  error?: { code: number; message: string; data?: unknown };
}

describe("corridor JSON-RPC methods", () => {
  const home = initDevnetHome({ dir: join(tempDir(), "home"), validators: 4, genesisTime: GENESIS_TIME });
  const genesis: Genesis = {
    ...home.genesis,
    corridors: home.genesis.corridors.filter(
      (c) => `${asciiString(c.harborA)}~${asciiString(c.harborB)}` !== KZ_PK,
    ),
  };
  const faucet = readKeyFile(home.faucetKeyPath);
  const [alice, bob] = home.demoKeyPaths.map((p) => readKeyFile(p)) as [KeyPair, KeyPair];
  const nonces = new Map<string, number>();
  const internalErrors: unknown[] = [];
  let status: HealthStatus = "ok";
  let db: Database;
  let chain: Chain;
  let server: RpcServer;
  let url = "";
  let commitIndex = 0;
  // Here, not in before(): tempDir() registers its cleanup on the test or hook that calls it.
  const dbPath = join(tempDir(), "db");

  /** Hashes of the block-1 migrations: pk-sifc → ae-difc, the one with no corridor, ae-difc → kz-aifc. */
  const sent: { pkToAe: Uint8Array[]; noCorridor: Uint8Array; aeToKz: Uint8Array[] } = {
    pkToAe: [],
    noCorridor: new Uint8Array(),
    aeToKz: [],
  };

  function migrate(from: KeyPair, harbor: string, to: KeyPair, destination: string, amount: bigint) {
    const key = `${harbor}/${toHex(from.publicKey)}`;
    const nonce = nonces.get(key) ?? 0;
    nonces.set(key, nonce + 1);
    const body = migrateTx(
      { chainId: CHAIN_ID, harbor, sender: from.publicKey, nonce, gasLimit: TRANSFER_GAS_LIMIT, fee: 10n },
      { destinationHarbor: destination, recipient: to.publicKey, amount },
    );
    return signTransaction(body, from.secretKey, sign);
  }

  function block(transactions: Uint8Array[] = []) {
    const index = commitIndex++;
    return chain.execute({
      commitIndex: index,
      leaderRound: 2 * (index + 1),
      leaderDigest: new Uint8Array(32).fill(index + 1),
      leaderTime: GENESIS_TIME + (index + 1) * 1_000,
      transactions,
    });
  }

  async function call<T>(method: string, params?: unknown): Promise<Answer<T>> {
    const res = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, ...(params !== undefined && { params }) }),
    });
    return (await res.json()) as Answer<T>;
  }

  async function result<T>(method: string, params?: unknown): Promise<T> {
    const answer = await call<T>(method, params);
    assert.equal(answer.error, undefined, `${method} ${JSON.stringify(params)}: ${answer.error?.message}`);
    return answer.result!;
  }

  async function errorCode(method: string, params?: unknown): Promise<number | undefined> {
    const answer = await call(method, params);
    assert.equal(answer.result, undefined, `${method} ${JSON.stringify(params)} answered`);
    assert.equal(typeof answer.error?.message, "string");
    return answer.error?.code;
  }

  before(async () => {
    db = await Database.open(dbPath);
    chain = await Chain.open({
      db,
      genesis,
      rulePacks: loadRulePacks(home.genesisPath, home.genesis),
      runner: inlineRunner(),
    });
    const pool = new TxPool({
      chainId: CHAIN_ID,
      harbors: ["pk-sifc", "ae-difc", "kz-aifc"],
      accounts: {
        nextNonce: (harbor, sender) => chain.accountNonce(harbor, sender),
        balance: (harbor, sender) => chain.account(harbor, sender).balance,
      },
    });
    server = new RpcServer({
      host: "127.0.0.1",
      port: 0,
      methods: massMethods({
        genesis,
        genesisHash: chain.genesisHash,
        chain,
        pool,
        validatorIndex: 0,
        status: () => ({
          status,
          reason: status === "ok" ? "" : "test",
          blockSyncing: false,
          peers: 3,
          committeeSize: 4,
          consensusRound: 1,
          finalizedHeight: 0,
        }),
      }),
      onInternalError: (_method, err) => internalErrors.push(err),
    });
    url = `http://127.0.0.1:${(await server.start()).port}/`;
  });
  after(async () => {
    await server.stop();
    await db.close();
  });

  it("lists the genesis corridors, ACTIVE and empty, before any block", async () => {
    const list = await result<CorridorJson[]>("mass_listCorridors");
    assert.deepEqual(
      list.map((c) => c.id),
      [AE_KZ, PK_AE],
    );
    const corridor = await result<CorridorJson>("mass_getCorridor", [PK_AE]);
    assert.deepEqual(corridor, {
      id: PK_AE,
      state: "ACTIVE",
      stateCode: 2,
      harbors: ["ae-difc", "pk-sifc"],
      params: { timeoutBlocks: "100", maxInFlight: String(10n ** 15n), maxDeliveriesPerBlock: "1000" },
      receiptCount: "0",
      mmrRoot: hex(new Uint8Array(32)),
      mmrSize: "0",
      inFlight: "0",
      initiator: null,
      resumeProposer: null,
    });
    assert.deepEqual(list[1], corridor);
  });

  it("shows departures in flight after the block that emits them", async () => {
    const txs = [];
    for (let i = 0; i < PK_TO_AE; i++)
      txs.push(migrate(faucet, "pk-sifc", alice, "ae-difc", 1_000n + BigInt(i)));
    const noCorridor = migrate(faucet, "pk-sifc", bob, "kz-aifc", 777n);
    for (let i = 0; i < AE_TO_KZ; i++) txs.push(migrate(alice, "ae-difc", bob, "kz-aifc", 50n));
    txs.push(noCorridor);
    sent.pkToAe = txs.slice(0, PK_TO_AE).map((t) => t.hash);
    sent.aeToKz = txs.slice(PK_TO_AE, PK_TO_AE + AE_TO_KZ).map((t) => t.hash);
    sent.noCorridor = noCorridor.hash;
    const executed = await block(txs.map((t) => t.bytes));
    assert.equal(executed.txHashes.length, txs.length);
    for (const t of txs) {
      const tx = await result<{ outcome: string }>("mass_getTransaction", [toHex(t.hash)]);
      assert.equal(tx.outcome, "Success");
    }

    const corridor = await result<CorridorJson>("mass_getCorridor", [PK_AE]);
    const expectedInFlight = Array.from({ length: PK_TO_AE }, (_, i) => 1_000n + BigInt(i)).reduce(
      (a, b) => a + b,
    );
    assert.deepEqual(
      [corridor.receiptCount, corridor.mmrSize, corridor.inFlight],
      [String(PK_TO_AE), String(PK_TO_AE), String(expectedInFlight)],
    );
    assert.notEqual(corridor.mmrRoot, hex(new Uint8Array(32)));
    const other = await result<CorridorJson>("mass_getCorridor", { id: AE_KZ });
    assert.deepEqual([other.receiptCount, other.inFlight], [String(AE_TO_KZ), String(50 * AE_TO_KZ)]);

    const open = await result<TransferJson>("mass_getTransfer", [toHex(migrationTransitId(sent.pkToAe[0]!))]);
    assert.deepEqual([open.status, open.endedAt, open.receipts.length], ["in_transit", null, 1]);
  });

  it("answers the credited and refunded transfers once delivery and acknowledgement ran", async () => {
    await block(); // delivers the departures: credited, acknowledged (Arrival receipts)
    await block(); // delivers the acknowledgements to the origin: the escrows are retired
    const corridor = await result<CorridorJson>("mass_getCorridor", [PK_AE]);
    assert.deepEqual([corridor.receiptCount, corridor.inFlight], [String(2 * PK_TO_AE), "0"]);

    const transitId = toHex(migrationTransitId(sent.pkToAe[3]!));
    const credited = await result<TransferJson>("mass_getTransfer", [transitId]);
    assert.deepEqual(
      { ...credited, receipts: credited.receipts.map((r) => [r.kind, r.kindCode, r.height, r.transitId]) },
      {
        transitId,
        status: "credited",
        corridor: PK_AE,
        sourceHarbor: "pk-sifc",
        destinationHarbor: "ae-difc",
        asset: hex(new Uint8Array(32)),
        amount: "1003",
        sender: toHex(faucet.publicKey),
        recipient: toHex(alice.publicKey),
        departedAt: "1",
        deadline: "101",
        endedAt: "2",
        receipts: [
          ["DEPARTURE", 0, "1", transitId],
          ["ARRIVAL", 1, "2", transitId],
        ],
      },
    );
    // The receipt JSON of a transfer is the receipt as mass_getCorridorReceipt gives it.
    const departure = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [
      PK_AE,
      credited.receipts[0]!.sequence,
    ]);
    assert.deepEqual(departure.receipt, credited.receipts[0]);
    assert.deepEqual(
      [departure.receipt.sourceHarbor, departure.receipt.destinationHarbor, departure.receipt.state],
      ["pk-sifc", "ae-difc", "ACTIVE"],
    );

    for (const hash of [...sent.pkToAe, ...sent.aeToKz]) {
      const transfer = await result<TransferJson>("mass_getTransfer", [toHex(migrationTransitId(hash))]);
      assert.equal(transfer.status, "credited");
    }
    const kzTransfer = await result<TransferJson>("mass_getTransfer", [
      toHex(migrationTransitId(sent.aeToKz[0]!)),
    ]);
    assert.deepEqual([kzTransfer.corridor, kzTransfer.recipient], [AE_KZ, toHex(bob.publicKey)]);

    const refundedId = toHex(migrationTransitId(sent.noCorridor));
    const refunded = await result<TransferJson>("mass_getTransfer", { transitId: refundedId });
    assert.deepEqual(
      [refunded.status, refunded.corridor, refunded.receipts, refunded.endedAt, refunded.amount],
      ["refunded", null, [], "1", "777"],
    );
    assert.deepEqual([refunded.sourceHarbor, refunded.destinationHarbor], ["pk-sifc", "kz-aifc"]);
  });

  it("proves every receipt to the corridorRoot of its block's header, checked with SHA-256 only", async () => {
    const corridors = await result<CorridorJson[]>("mass_listCorridors");
    for (const corridor of corridors) {
      for (let sequence = 0; sequence < Number(corridor.receiptCount); sequence++) {
        const answer = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [
          corridor.id,
          String(sequence),
        ]);
        assert.equal(answer.receipt.sequence, String(sequence));
        assert.equal(answer.height, answer.receipt.height, "anchored by its own block");
        // 1. digest = SHA-256(SSZ(receipt)).
        const digest = receiptDigest(answer.receipt);
        assert.equal(hex(digest), answer.digest);
        // 2. the MMR root from the digest and the proof.
        const proof = answer.mmr.proof;
        assert.deepEqual([proof.size, proof.leaf_index], [Number(answer.mmr.size), sequence]);
        assert.equal(proof.receipt_next_root, digest.toString("hex"));
        assert.equal(proof.leaf_hash, leafHash(digest).toString("hex"));
        const mmrRoot = mmrRootFromProof(digest, proof);
        assert.equal(hex(mmrRoot), answer.mmr.root);
        assert.equal(proof.root, mmrRoot.toString("hex"));
        // 3. the corridor's leaf and the RFC 9162 root over the corridors.
        const leaf = corridorLeaf(corridor.id, mmrRoot, Number(answer.mmr.size));
        const root = rfc9162Root(
          leaf,
          answer.corridorLeafIndex,
          corridors.length,
          answer.corridorSiblings.map(bytes),
        );
        // 4. the header at `height` commits that root.
        const blockAt = await result<{ header: { height: string; corridorRoot: string } }>(
          "mass_getBlockByHeight",
          [answer.height],
        );
        assert.equal(blockAt.header.height, answer.height);
        assert.equal(hex(root), blockAt.header.corridorRoot, `${corridor.id} #${sequence}`);
      }
    }
    // A departure's block holds the departures only: its MMR is the size at that height, not today's.
    const first = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [PK_AE, "0"]);
    assert.deepEqual([first.height, first.mmr.size], ["1", String(PK_TO_AE)]);
    const last = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [PK_AE, 2 * PK_TO_AE - 1]);
    assert.deepEqual([last.height, last.mmr.size], ["2", String(2 * PK_TO_AE)]);
  });

  it("pages through every receipt exactly once, each chained to the one before", async () => {
    const count = 2 * PK_TO_AE;
    for (const limit of [1, 3, 7, count, 100]) {
      const seen: CorridorReceiptJson[] = [];
      let cursor: string | null = "0";
      let pages = 0;
      let previous = hex(new Uint8Array(32));
      while (cursor !== null) {
        const page: {
          data: { receipt: CorridorReceiptJson; digest: string }[];
          nextCursor: string | null;
          hasNextPage: boolean;
        } = await result("mass_listCorridorReceipts", [PK_AE, cursor, limit]);
        pages += 1;
        assert.ok(page.data.length <= limit);
        assert.equal(page.hasNextPage, page.nextCursor !== null);
        for (const { receipt, digest } of page.data) {
          assert.equal(receipt.previous, previous, "the chain links each receipt to the one before");
          assert.equal(hex(receiptDigest(receipt)), digest);
          previous = digest;
          seen.push(receipt);
        }
        cursor = page.nextCursor;
      }
      assert.deepEqual(
        seen.map((r) => r.sequence),
        Array.from({ length: count }, (_, i) => String(i)),
        `limit ${limit}`,
      );
      assert.equal(pages, Math.ceil(count / limit));
    }
    const all = await result<{ data: unknown[]; nextCursor: null; hasNextPage: boolean }>(
      "mass_listCorridorReceipts",
      [PK_AE],
    );
    assert.deepEqual([all.data.length, all.nextCursor, all.hasNextPage], [count, null, false]);
    const named = await result<{ data: { receipt: CorridorReceiptJson }[]; nextCursor: string }>(
      "mass_listCorridorReceipts",
      { id: PK_AE, cursor: "5", limit: 2 },
    );
    assert.deepEqual([named.data.map((d) => d.receipt.sequence), named.nextCursor], [["5", "6"], "7"]);
    const beyond = await result<{ data: unknown[]; nextCursor: null; hasNextPage: boolean }>(
      "mass_listCorridorReceipts",
      [PK_AE, "1000", "10"],
    );
    assert.deepEqual([beyond.data, beyond.nextCursor, beyond.hasNextPage], [[], null, false]);
    const kz = await result<{ data: { receipt: CorridorReceiptJson }[] }>("mass_listCorridorReceipts", [
      AE_KZ,
    ]);
    assert.deepEqual(
      kz.data.map((d) => d.receipt.kind),
      [...Array(AE_TO_KZ).fill("DEPARTURE"), ...Array(AE_TO_KZ).fill("ARRIVAL")],
    );

    for (const limit of [0, 101, "x", -1, 1.5, "", "1e2"]) {
      assert.equal(
        await errorCode("mass_listCorridorReceipts", [PK_AE, "0", limit]),
        RpcErrorCode.InvalidParams,
        `limit ${JSON.stringify(limit)}`,
      );
    }
    for (const cursor of ["-1", "x", -3, 0.5, {}]) {
      assert.equal(
        await errorCode("mass_listCorridorReceipts", [PK_AE, cursor, 10]),
        RpcErrorCode.InvalidParams,
        `cursor ${JSON.stringify(cursor)}`,
      );
    }
  });

  it("refuses bad parameters with typed errors and never fails internally", async () => {
    const malformed = [
      "pk-sifc~ae-difc", // not sorted
      "ae-difc~ae-difc",
      "ae-difc",
      "a~b~c",
      "~pk-sifc",
      `${"x".repeat(33)}~pk-sifc`,
      "ae-difc~pk sifc\u00e9",
      "",
      42,
      null,
      ["ae-difc", "pk-sifc"],
    ];
    for (const id of malformed) {
      assert.equal(await errorCode("mass_getCorridor", [id]), RpcErrorCode.InvalidParams, JSON.stringify(id));
      assert.equal(await errorCode("mass_getCorridorReceipt", [id, "0"]), RpcErrorCode.InvalidParams);
      assert.equal(await errorCode("mass_listCorridorReceipts", [id]), RpcErrorCode.InvalidParams);
    }
    assert.equal(await errorCode("mass_getCorridor"), RpcErrorCode.InvalidParams);
    assert.equal(await errorCode("mass_getCorridor", [KZ_PK]), RpcErrorCode.NotFound, "no such corridor");
    assert.equal(await errorCode("mass_getCorridor", ["aa~bb"]), RpcErrorCode.NotFound);
    assert.equal(await errorCode("mass_getCorridorReceipt", [KZ_PK, "0"]), RpcErrorCode.NotFound);
    assert.equal(await errorCode("mass_listCorridorReceipts", [KZ_PK]), RpcErrorCode.NotFound);

    for (const sequence of ["-1", -1, "x", 1.5, "", null, undefined, "99999999999999999999"]) {
      assert.equal(
        await errorCode("mass_getCorridorReceipt", [PK_AE, sequence]),
        RpcErrorCode.InvalidParams,
        `sequence ${JSON.stringify(sequence)}`,
      );
    }
    assert.equal(await errorCode("mass_getCorridorReceipt", [PK_AE, "20"]), RpcErrorCode.NotFound);
    assert.equal(await errorCode("mass_getCorridorReceipt", [AE_KZ, 1_000_000]), RpcErrorCode.NotFound);

    assert.equal(
      await errorCode("mass_getTransfer", [toHex(new Uint8Array(32).fill(9))]),
      RpcErrorCode.NotFound,
      "unknown transit",
    );
    for (const transitId of ["0x12", "zz", 5, null, `0x${"g".repeat(64)}`, toHex(new Uint8Array(33))]) {
      assert.equal(
        await errorCode("mass_getTransfer", [transitId]),
        RpcErrorCode.InvalidParams,
        JSON.stringify(transitId),
      );
    }
    assert.equal(await errorCode("mass_getTransfer"), RpcErrorCode.InvalidParams);
    assert.deepEqual(internalErrors, [], "no bad parameter reached an internal error");
    // The server still answers.
    assert.equal((await result<CorridorJson[]>("mass_listCorridors")).length, 2);
  });

  it("links the corridor's MMR at two heights by a consistency proof", async () => {
    const first = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [PK_AE, "0"]);
    const last = await result<CorridorReceiptProofJson>("mass_getCorridorReceipt", [PK_AE, 2 * PK_TO_AE - 1]);
    const answer = await result<MmrConsistencyJson>("mass_getCorridorConsistency", [
      PK_AE,
      first.height,
      last.height,
    ]);
    const proof = {
      oldSize: Number(answer.oldSize),
      newSize: Number(answer.newSize),
      oldPeaks: answer.oldPeaks.map(bytes),
      newPeaks: answer.newPeaks.map(bytes),
      paths: answer.paths.map((path) => path.map(bytes)),
    };
    assert.deepEqual([answer.oldSize, answer.newSize], [first.mmr.size, last.mmr.size]);
    assert.equal(verifyMmrConsistency(bytes(first.mmr.root), bytes(last.mmr.root), proof), true);
    assert.equal(verifyMmrConsistency(bytes(last.mmr.root), bytes(first.mmr.root), proof), false);
    assert.equal(
      await result("mass_getCorridorConsistency", [PK_AE, "0", last.height]),
      null,
      "from nothing",
    );
    assert.equal(
      await errorCode("mass_getCorridorConsistency", [PK_AE, "2", "1"]),
      RpcErrorCode.InvalidParams,
    );
    assert.equal(await errorCode("mass_getCorridorConsistency", [PK_AE, "1", "99"]), RpcErrorCode.NotFound);
    assert.equal(await errorCode("mass_getCorridorConsistency", [KZ_PK, "1", "2"]), RpcErrorCode.NotFound);
  });

  it("proves each transaction's inclusion in its block's txRoot (RFC 9162 over the tx hashes)", async () => {
    for (const txHash of [...sent.pkToAe, sent.noCorridor]) {
      const proof = await result<{
        txHash: string;
        height: string;
        txRoot: string;
        txIndex: number;
        txCount: number;
        txSiblings: string[];
      }>("mass_getTransactionProof", [hex(txHash)]);
      const root = rfc9162Root(txHash, proof.txIndex, proof.txCount, proof.txSiblings.map(bytes));
      const blockAt = await result<{ header: { txRoot: string } }>("mass_getBlockByHeight", [proof.height]);
      assert.equal(hex(root), blockAt.header.txRoot);
      assert.equal(proof.txRoot, blockAt.header.txRoot);
    }
    assert.equal(
      await errorCode("mass_getTransactionProof", [hex(new Uint8Array(32))]),
      RpcErrorCode.NotFound,
    );
    assert.equal(await errorCode("mass_getTransactionProof", ["0x12"]), RpcErrorCode.InvalidParams);
  });

  it("proves each transaction's receipt in its block's receiptRoot, its digest SHA-256 of the SSZ receipt", async () => {
    for (const txHash of [...sent.pkToAe, sent.noCorridor]) {
      const answer = await result<{
        height: string;
        receipt: unknown;
        receiptDigest: string;
        receiptRoot: string;
        proof: { index: number; count: number; siblings: string[] } | null;
      }>("mass_getReceipt", [hex(txHash)]);
      const digest = sha256(ExecutionReceipt.serialize(ExecutionReceipt.fromJson(answer.receipt)));
      assert.equal(hex(digest), answer.receiptDigest);
      assert.ok(answer.proof !== null);
      const root = rfc9162Root(
        digest,
        answer.proof.index,
        answer.proof.count,
        answer.proof.siblings.map(bytes),
      );
      const blockAt = await result<{ header: { receiptRoot: string } }>("mass_getBlockByHeight", [
        answer.height,
      ]);
      assert.equal(hex(root), blockAt.header.receiptRoot);
      assert.equal(answer.receiptRoot, blockAt.header.receiptRoot);
    }
    assert.equal(await errorCode("mass_getReceipt", [hex(new Uint8Array(32))]), RpcErrorCode.NotFound);
  });

  it("serves no corridor data from a diverged node", async () => {
    status = "diverged";
    try {
      assert.equal(await errorCode("mass_getCorridor", [PK_AE]), RpcErrorCode.NotReady);
      assert.equal(await errorCode("mass_listCorridors"), RpcErrorCode.NotReady);
      assert.equal(await errorCode("mass_getCorridorReceipt", [PK_AE, "0"]), RpcErrorCode.NotReady);
      assert.equal(await errorCode("mass_listCorridorReceipts", [PK_AE]), RpcErrorCode.NotReady);
      assert.equal(
        await errorCode("mass_getTransfer", [toHex(migrationTransitId(sent.noCorridor))]),
        RpcErrorCode.NotReady,
      );
    } finally {
      status = "ok";
    }
  });
});
