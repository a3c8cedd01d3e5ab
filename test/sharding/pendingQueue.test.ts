import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ListCompositeType } from "@chainsafe/ssz";
import { CorridorLedger } from "../../src/sharding/index.js";
import { Bucket, Database } from "../../src/state/db/index.js";
import { CorridorMessage, CorridorMessageKind } from "../../src/types/execution.js";
import { asciiBytes } from "../../src/types/primitives.js";
import { tempDir } from "../helpers/tempDir.js";
import { sharedHome } from "./harness.js";

const { home } = sharedHome();
const dir = tempDir();

const message = (n: number): CorridorMessage => ({
  kind: CorridorMessageKind.Departure,
  transitId: new Uint8Array(32).fill(n),
  sourceHarbor: asciiBytes("pk-sifc"),
  destinationHarbor: asciiBytes("ae-difc"),
  sourceAsset: new Uint8Array(32),
  destinationAsset: new Uint8Array(32),
  sender: new Uint8Array(32).fill(1),
  recipient: new Uint8Array(32).fill(2),
  amount: BigInt(n),
  receipt: new Uint8Array(32),
  timeoutBlocks: 0,
});

describe("the pending corridor message queue", () => {
  it("moves a list stored the old way (one entry for the whole list) into the queue, in order, once", async () => {
    const path = join(dir, "legacy");
    const db = await Database.open(path);
    const legacy = db.repository(
      Bucket.LegacyPendingMessages,
      new ListCompositeType(CorridorMessage, 1 << 20),
    );
    const list = [message(3), message(1), message(2)];
    const batch = db.batch();
    batch.put(legacy, new Uint8Array([0]), list);
    await batch.write({ sync: true });
    const ledger = await CorridorLedger.open(db, home.genesis);
    assert.deepEqual(ledger.pending, list);
    assert.equal(await legacy.get(new Uint8Array([0])), undefined, "the old entry is gone");
    await db.close();
    const again = await Database.open(path);
    try {
      assert.deepEqual((await CorridorLedger.open(again, home.genesis)).pending, list);
    } finally {
      await again.close();
    }
  });
});
