import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Bucket, Database, DbErrorCode, u64Key } from "../../src/state/db/index.js";
import { Bytes32, UintNum64 } from "../../src/types/primitives.js";
import { tempDir } from "../helpers/tempDir.js";

describe("Database", () => {
  it("stores typed values per bucket and iterates in key order", async () => {
    const db = await Database.open(join(tempDir(), "db"));
    try {
      const a = db.repository(Bucket.ConsensusVotes, UintNum64);
      const b = db.repository(Bucket.ConsensusCommitState, UintNum64);
      for (const n of [5, 1, 300, 2]) await a.put(u64Key(n), n * 10);
      await b.put(u64Key(1), 999);
      assert.equal(await a.get(u64Key(300)), 3000);
      assert.equal(await a.get(u64Key(4)), undefined);
      assert.deepEqual(await a.getMany([u64Key(1), u64Key(4)]), [10, undefined]);
      const values: number[] = [];
      for await (const [, v] of a.entries()) values.push(v);
      assert.deepEqual(values, [10, 20, 50, 3000], "bucket b is not visible from a");
      const reversed: number[] = [];
      for await (const [, v] of a.entries({ gte: u64Key(2), lt: u64Key(300), reverse: true }))
        reversed.push(v);
      assert.deepEqual(reversed, [50, 20]);
      assert.equal(await a.deleteRange({ lt: u64Key(5) }), 2);
      assert.equal(await a.has(u64Key(1)), false);
      assert.equal(await b.get(u64Key(1)), 999);
    } finally {
      await db.close();
    }
  });

  it("applies a batch across buckets atomically and keeps it across reopen", async () => {
    const path = join(tempDir(), "db");
    let db = await Database.open(path);
    const votes = db.repository(Bucket.ConsensusVotes, UintNum64);
    const certs = db.repository(Bucket.ConsensusCertificates, Bytes32);
    await db
      .batch()
      .put(votes, u64Key(7), 7)
      .put(certs, u64Key(7), new Uint8Array(32).fill(7))
      .write({ sync: true });
    await db.close();
    db = await Database.open(path);
    try {
      assert.equal(await db.repository(Bucket.ConsensusVotes, UintNum64).get(u64Key(7)), 7);
      assert.deepEqual(
        await db.repository(Bucket.ConsensusCertificates, Bytes32).get(u64Key(7)),
        new Uint8Array(32).fill(7),
      );
    } finally {
      await db.close();
    }
  });

  it("refuses a database already in use, names corrupt values, and fails after close", async () => {
    const path = join(tempDir(), "db");
    const db = await Database.open(path);
    await assert.rejects(Database.open(path), { code: DbErrorCode.Locked });
    await db.repository(Bucket.NodeMeta, UintNum64).put(u64Key(1), 1);
    await assert.rejects(db.repository(Bucket.NodeMeta, Bytes32).get(u64Key(1)), {
      code: DbErrorCode.CorruptValue,
    });
    await db.close();
    await assert.rejects(db.repository(Bucket.NodeMeta, UintNum64).get(u64Key(1)), {
      code: DbErrorCode.Closed,
    });
  });

  it("reports a path that cannot hold a database", async () => {
    const file = join(tempDir(), "not-a-dir");
    writeFileSync(file, "x");
    await assert.rejects(Database.open(join(file, "db")), { code: DbErrorCode.OpenFailed });
  });
});
