import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { LevelConsensusStore } from "../../src/consensus/store/levelStore.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import type { ConsensusStore } from "../../src/consensus/store/store.js";
import { Database } from "../../src/state/db/database.js";
import type { Certificate, SignedHeader } from "../../src/types/consensus.js";
import { batchDigest, headerDigest } from "../../src/types/signing.js";
import { tempDir } from "../helpers/tempDir.js";

function certificate(round: number, author: number): { certificate: Certificate; digest: Uint8Array } {
  const header = { author, round, epoch: 0, createdAt: round, payload: [], parents: [] };
  return {
    certificate: { header, signers: BitArray.fromBitLen(4), signatures: [] },
    digest: headerDigest(header),
  };
}

function ownHeader(round: number): SignedHeader {
  return {
    header: { author: 0, round, epoch: 0, createdAt: 0, payload: [], parents: [] },
    signature: new Uint8Array(64),
  };
}

async function exercise(store: ConsensusStore): Promise<void> {
  const certs = [1, 2, 3, 4, 5, 6].flatMap((r) => [certificate(r, 0), certificate(r, 1)]);
  const batch = { transactions: [new Uint8Array([1, 2])] };
  const later = { transactions: [new Uint8Array([3])] };
  await store.write({
    certificates: certs,
    batches: [
      { key: { round: 2, digest: batchDigest(batch) }, batch },
      { key: { round: 5, digest: batchDigest(later) }, batch: later },
    ],
    ownHeader: ownHeader(2),
    vote: { author: 3, record: { round: 4, headerDigest: certs[0]!.digest } },
  });
  await store.write({ ownHeader: ownHeader(5), sync: true });
  await store.write({
    commits: [
      {
        record: {
          index: 0,
          leaderRound: 2,
          leader: certs[2]!.digest,
          certificates: certs.slice(0, 3).map((c) => c.digest),
        },
        rounds: [1, 1, 2],
      },
      {
        record: { index: 1, leaderRound: 4, leader: certs[6]!.digest, certificates: [certs[6]!.digest] },
        rounds: [4],
      },
    ],
    evidence: [{ round: 1, author: 2, evidence: { first: ownHeader(1), second: ownHeader(1) } }],
    sync: true,
  });
  let state = await store.load();
  assert.equal(state.certificates.length, 12);
  assert.equal(state.committed.length, 4);
  assert.equal(state.lastCommit?.index, 1);
  assert.equal(state.votes.get(3)?.round, 4);
  assert.deepEqual(
    state.ownHeaders.map((h) => h.header.round),
    [2, 5],
  );
  assert.equal(state.batches.length, 2);

  await store.write({ gcRound: 3 });
  state = await store.load();
  assert.equal(state.gcRound, 3);
  assert.ok(state.certificates.every((c) => c.certificate.header.round > 3));
  assert.deepEqual(
    state.certificates.map((c) => c.certificate.header.round),
    [4, 4, 5, 5, 6, 6],
    "ascending by round",
  );
  assert.deepEqual(
    state.committed.map((c) => c.round),
    [4],
  );
  assert.equal(state.lastCommit?.index, 1, "the last commit record survives gc");
  assert.equal(await store.getCommit(0), undefined, "older commit records are pruned");
  assert.deepEqual(
    state.ownHeaders.map((h) => h.header.round),
    [5],
  );
  assert.deepEqual(
    state.batches.map((b) => b.round),
    [5],
  );
  assert.deepEqual(await store.getBatches([{ round: 5, digest: batchDigest(later) }]), [later]);
  assert.equal(state.votes.get(3)?.round, 4, "votes are never pruned");
  assert.equal((await store.evidence()).length, 1, "evidence is kept");
}

describe("consensus stores", () => {
  it("memory: writes, loads and prunes below the gc round", async () => {
    await exercise(new MemoryConsensusStore());
  });

  it("LevelDB: writes, loads and prunes below the gc round, and survives reopening", async () => {
    const path = join(tempDir(), "db");
    let db = await Database.open(path);
    await exercise(new LevelConsensusStore(db));
    await db.close();
    db = await Database.open(path);
    try {
      const state = await new LevelConsensusStore(db).load();
      assert.equal(state.gcRound, 3);
      assert.equal(state.certificates.length, 6);
      assert.equal(state.votes.get(3)?.round, 4);
    } finally {
      await db.close();
    }
  });
});
