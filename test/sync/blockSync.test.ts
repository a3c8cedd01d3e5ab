import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { Chain, type ExecutableSubDag } from "../../src/chain/chain.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { sign } from "../../src/crypto/ed25519.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { Database } from "../../src/state/db/index.js";
import type { BlockSource } from "../../src/sync/blockSync.js";
import { BlockSync } from "../../src/sync/blockSync.js";
import { SyncError, SyncErrorCode } from "../../src/sync/errors.js";
import { checkSyncedBlock } from "../../src/sync/syncedBlock.js";
import type { BlockHeader, FinalityCertificate } from "../../src/types/block.js";
import { blockHash, consensusSigningMessage, SigningDomain } from "../../src/types/signing.js";
import type { BlocksResponse, SyncedBlock } from "../../src/types/sync.js";
import { toHex } from "../../src/util/bytes.js";
import { silentLogger } from "../../src/util/logger.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { signedTransfer } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const home = initDevnetHome({ dir: join(tempDir(), "home"), validators: 4, genesisTime: 1_700_000_000_000 });
const rulePacks = loadRulePacks(home.genesisPath, home.genesis);
const committee = new ConsensusCommittee(home.genesis.committee);
const chainId = home.genesis.chainId;
const validators = home.validatorKeyPaths.map(readKeyFile);
const faucet = readKeyFile(home.faucetKeyPath);
const alice = readKeyFile(home.demoKeyPaths[0]!);

async function openChain() {
  const db = await Database.open(join(tempDir(), "db"));
  const chain = await Chain.open({ db, genesis: home.genesis, rulePacks, runner: inlineRunner() });
  return { db, chain };
}

/** A finality certificate over `hash` by `signers`. */
function certify(height: number, hash: Uint8Array, signers: number[]): FinalityCertificate {
  const bits = Array.from({ length: committee.size }, (_, i) => signers.includes(i));
  const message = consensusSigningMessage(SigningDomain.Block, chainId, hash);
  return {
    height,
    blockHash: hash,
    signers: BitArray.fromBoolArray(bits),
    signatures: signers.map((s) => sign(validators[s]!.secretKey, message)),
  };
}

/** Three finalized blocks produced by a reference chain, as a peer would serve them. */
const reference = await (async () => {
  const { db, chain } = await openChain();
  const subDags: ExecutableSubDag[] = [0, 1, 2].map((i) => ({
    commitIndex: i,
    leaderRound: 2 * (i + 1),
    leaderDigest: new Uint8Array(32).fill(i + 1),
    leaderTime: 1_700_000_001_000 + i * 1000,
    transactions: [signedTransfer("mass-devnet", faucet, alice.publicKey, i, BigInt(100 + i))],
  }));
  const blocks: SyncedBlock[] = [];
  for (const s of subDags) {
    const block = await chain.execute(s);
    blocks.push({
      header: block.header,
      transactions: s.transactions,
      finality: certify(block.header.height, block.hash, [0, 1, 2]),
    });
  }
  await db.close();
  return blocks;
})();
const genesisHead = { height: 0, blockHash: reference[0]!.header.parentHash };

function syncError(code: SyncErrorCode, pattern?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof SyncError, `expected a SyncError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

function source(serve: (peer: number, from: number) => SyncedBlock[] | Error): BlockSource {
  return {
    blocks: async (peer, fromHeight, maxBlocks) => {
      const blocks = serve(peer, fromHeight);
      if (blocks instanceof Error) throw blocks;
      const status = { finalizedHeight: reference.length, lastCommittedRound: 6, gcRound: 0 };
      return { status, blocks: blocks.slice(0, maxBlocks) } satisfies BlocksResponse;
    },
  };
}

const honest = (_peer: number, from: number) => reference.slice(from - 1);

describe("synced block checks", () => {
  it("accepts a certified block that extends the head", () => {
    const hash = checkSyncedBlock(committee, chainId, genesisHead, reference[0]!);
    assert.equal(toHex(hash), toHex(blockHash(reference[0]!.header)));
  });

  it("rejects a bad certificate signature", () => {
    const good = reference[0]!;
    const signatures = [...good.finality.signatures];
    signatures[1] = new Uint8Array(64).fill(7);
    const block = { ...good, finality: { ...good.finality, signatures } };
    assert.throws(
      () => checkSyncedBlock(committee, chainId, genesisHead, block),
      syncError(SyncErrorCode.BadFinality, /validator 1's signature does not verify/),
    );
  });

  it("rejects a certificate with too few signatures", () => {
    const block = { ...reference[0]!, finality: certify(1, blockHash(reference[0]!.header), [0, 1]) };
    assert.throws(
      () => checkSyncedBlock(committee, chainId, genesisHead, block),
      syncError(SyncErrorCode.BadFinality, /below the quorum/),
    );
  });

  it("rejects a certificate for another block", () => {
    const block = { ...reference[0]!, finality: reference[1]!.finality };
    assert.throws(
      () => checkSyncedBlock(committee, chainId, genesisHead, block),
      syncError(SyncErrorCode.BadFinality),
    );
  });

  it("rejects a block that does not extend the head", () => {
    assert.throws(
      () => checkSyncedBlock(committee, chainId, genesisHead, reference[1]!),
      syncError(SyncErrorCode.WrongParent, /expected block 1/),
    );
    const head = { height: 1, blockHash: new Uint8Array(32).fill(9) };
    assert.throws(
      () => checkSyncedBlock(committee, chainId, head, reference[1]!),
      syncError(SyncErrorCode.WrongParent, /has parent/),
    );
  });

  it("rejects transactions the header does not commit to", () => {
    const block = { ...reference[0]!, transactions: [] };
    assert.throws(
      () => checkSyncedBlock(committee, chainId, genesisHead, block),
      syncError(SyncErrorCode.WrongTransactions),
    );
  });
});

describe("block sync", () => {
  it("reaches the certified blocks past a Byzantine and a failing peer", async () => {
    const { db, chain } = await openChain();
    const asked: number[] = [];
    const tampered = (from: number) =>
      reference.slice(from - 1).map((b) => ({ ...b, transactions: [...b.transactions].reverse().slice(1) }));
    const sync = new BlockSync({
      chain,
      committee,
      chainId,
      peers: [1, 2, 3],
      source: source((peer, from) => {
        asked.push(peer);
        if (peer === 1) return tampered(from);
        if (peer === 2) return new Error("connection reset");
        return honest(peer, from);
      }),
      metrics: null,
      log: silentLogger,
    });
    try {
      await sync.syncTo(3, AbortSignal.timeout(10_000));
      assert.equal(chain.height, 3);
      for (const b of reference) {
        const stored = await chain.store.blockByHeight(b.header.height);
        assert.equal(toHex(blockHash(stored!.header)), toHex(blockHash(b.header)));
        assert.equal((await chain.store.finalityAt(b.header.height))?.height, b.header.height);
      }
      assert.ok(asked.includes(1) && asked.includes(2), "every peer was tried");
    } finally {
      await db.close();
    }
  });

  it("refuses a certified block that re-executes to another hash and stores nothing", async () => {
    const dir = join(tempDir(), "db");
    let db = await Database.open(dir);
    const chain = await Chain.open({ db, genesis: home.genesis, rulePacks, runner: inlineRunner() });
    // A quorum certified a header whose state root this node cannot reproduce.
    const header: BlockHeader = { ...reference[0]!.header, stateRoot: new Uint8Array(32).fill(5) };
    const hash = blockHash(header);
    const forged: SyncedBlock = { ...reference[0]!, header, finality: certify(1, hash, [0, 1, 2, 3]) };
    const sync = new BlockSync({
      chain,
      committee,
      chainId,
      peers: [1],
      source: source(() => [forged]),
      metrics: null,
      log: silentLogger,
    });
    await assert.rejects(
      sync.syncTo(1, AbortSignal.timeout(10_000)),
      syncError(SyncErrorCode.ReexecutionMismatch, new RegExp(`${toHex(hash)}.*|.*${toHex(hash)}`)),
    );
    await db.close();
    db = await Database.open(dir);
    try {
      const reopened = await Chain.open({ db, genesis: home.genesis, rulePacks, runner: inlineRunner() });
      assert.equal(reopened.height, 0, "the wrong block was not written");
    } finally {
      await db.close();
    }
  });

  it("gives the peers' tip as the height validity stake has finalized", () => {
    const sync = new BlockSync({
      chain: undefined as unknown as Chain,
      committee,
      chainId,
      peers: [1, 2, 3],
      source: source(honest),
      metrics: null,
      log: silentLogger,
    });
    const status = (finalizedHeight: number) => ({ finalizedHeight, lastCommittedRound: 0, gcRound: 0 });
    // One peer claiming a huge height does not make it the target.
    const statuses = new Map([
      [1, status(1_000_000)],
      [2, status(40)],
      [3, status(38)],
    ]);
    assert.equal(sync.tipOf(statuses), 40);
    assert.equal(sync.tipOf(new Map([[1, status(9)]])), 0);
  });
});
