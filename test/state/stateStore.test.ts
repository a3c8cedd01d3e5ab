import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Database } from "../../src/state/db/index.js";
import { StateErrorCode, StateStore } from "../../src/state/stateStore.js";
import { verifyStateProof } from "../../src/state/stateTree.js";
import { toHex } from "../../src/util/bytes.js";
import { tempDir } from "../helpers/tempDir.js";

const HARBORS = ["pk-sifc", "ae-difc"];

describe("StateStore", () => {
  it("persists write-sets atomically with a batch and reloads the same roots", async () => {
    const path = join(tempDir(), "db");
    let db = await Database.open(path);
    let store = await StateStore.open(db, HARBORS);
    assert.equal(store.isEmpty, true);
    const batch = db.batch();
    const w = (keyHex: string, value: number[]) => ({
      key: Buffer.from(keyHex, "hex"),
      value: new Uint8Array(value),
    });
    store.apply(batch, "pk-sifc", [w("01aa", [1]), w("01bb", [2])]);
    store.apply(batch, "ae-difc", [w("01aa", [3])]);
    await batch.write({ sync: true });
    const second = db.batch();
    store.apply(second, "pk-sifc", [w("01bb", [])]);
    assert.deepEqual([...store.snapshot("pk-sifc").keys()], ["01aa"]);
    await second.write();
    const root = toHex(store.stateRoot());
    const proof = store.proof("pk-sifc", "01aa");
    assert.deepEqual(
      verifyStateProof(store.harborRoot("pk-sifc"), Buffer.from("01aa", "hex"), proof),
      new Uint8Array([1]),
    );
    await db.close();

    db = await Database.open(path);
    store = await StateStore.open(db, HARBORS);
    try {
      assert.equal(store.isEmpty, false);
      assert.equal(toHex(store.stateRoot()), root);
      assert.deepEqual(store.get("pk-sifc", "01aa"), new Uint8Array([1]));
      assert.equal(store.get("pk-sifc", "01bb"), undefined);
      assert.deepEqual(store.reader("ae-difc").get("01aa"), new Uint8Array([3]));
      assert.notEqual(toHex(store.harborRoot("pk-sifc")), toHex(store.harborRoot("ae-difc")));
      assert.throws(() => store.get("xx-none", "01"), { code: StateErrorCode.UnknownHarbor });
    } finally {
      await db.close();
    }
  });
});
