import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { ChainStore } from "../../src/chain/chainStore.js";
import { sign } from "../../src/crypto/ed25519.js";
import { FINALITY_GRACE_BLOCKS, FinalityBackfill } from "../../src/finality/backfill.js";
import { Database } from "../../src/state/db/index.js";
import { BlockHeader, type FinalityCertificate } from "../../src/types/block.js";
import { blockHash, consensusSigningMessage, SigningDomain } from "../../src/types/signing.js";
import { toHex } from "../../src/util/bytes.js";
import { chainId, committee, secrets } from "../helpers/signingCommittee.js";
import { tempDir } from "../helpers/tempDir.js";

const header = (height: number, fork = 0): BlockHeader => ({
  ...BlockHeader.defaultValue(),
  chainId,
  height,
  leaderRound: height * 2 + fork,
});

/** A certificate signed by `signers` over the block at `height` (of `fork`). */
function certificate(height: number, signers = [0, 1, 2], fork = 0): FinalityCertificate {
  const hash = blockHash(header(height, fork));
  const message = consensusSigningMessage(SigningDomain.Block, chainId, hash);
  return {
    height,
    blockHash: hash,
    signers: BitArray.fromBoolArray([0, 1, 2, 3].map((i) => signers.includes(i))),
    signatures: signers.map((i) => sign(secrets[i]!, message)),
  };
}

async function storeWithBlocks(count: number) {
  const db = await Database.open(join(tempDir(), "db"));
  const store = new ChainStore(db);
  const batch = store.batch();
  for (let h = 1; h <= count; h++) {
    const block = { header: header(h), txHashes: [] };
    store.addBlock(batch, {
      block,
      blockHash: blockHash(block.header),
      transactions: [],
      receipts: [],
      receiptDigests: [],
      head: { height: h, blockHash: blockHash(block.header), timestamp: 0, commitIndex: h - 1 },
    });
  }
  await batch.write();
  return { db, store };
}

describe("FinalityBackfill", () => {
  it("fetches the certificates of blocks whose signatures were missed, checks them and stores them", async () => {
    const height = 40;
    const { db, store } = await storeWithBlocks(height);
    try {
      // Gossip finalised 1-10 and 31-40; 11-30 were executed while this node was away.
      for (const h of [...Array.from({ length: 10 }, (_, i) => i + 1), 31, 32])
        await store.putFinality(certificate(h));
      const asked: { peer: number; heights: number[] }[] = [];
      const invalid: string[] = [];
      const conflicts: number[] = [];
      const stored: number[] = [];
      const backfill = new FinalityBackfill({
        store,
        height: () => height,
        committee,
        chainId,
        peers: [1, 2, 3],
        source: {
          certificates: async (peer, heights) => {
            asked.push({ peer, heights });
            if (peer === 1) return [certificate(11, [0, 1])]; // below quorum
            return heights.map((h) => (h === 20 ? certificate(h, [1, 2, 3], 1) : certificate(h)));
          },
        },
        log: { debug: () => {} },
        onCertificate: async (c) => {
          await store.putFinality(c);
          stored.push(c.height);
        },
        onConflict: (h) => conflicts.push(h),
        onInvalid: (reason) => invalid.push(reason),
      });
      assert.equal(await backfill.backfillOnce(), 0, "a certificate below quorum proves nothing");
      assert.deepEqual(invalid, ["bad certificate"]);
      const top = height - FINALITY_GRACE_BLOCKS;
      const expected = Array.from({ length: top - 10 }, (_, i) => i + 11).filter((h) => h !== 31 && h !== 32);
      assert.deepEqual(
        asked[0]!.heights,
        expected,
        "only heights without a certificate, recent ones left to gossip",
      );
      assert.equal(await backfill.backfillOnce(), expected.length - 1);
      assert.deepEqual(conflicts, [20], "a quorum certified another block at 20");
      assert.deepEqual(await store.missingFinality(1, top, 100), [20]);
      assert.equal(asked[1]!.peer, 2, "peers are asked in turn");
      assert.equal(toHex((await store.finalityAt(25))!.blockHash), toHex(blockHash(header(25))));
    } finally {
      await db.close();
    }
  });
});
