import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BATCH_FILING_LEAD_ROUNDS,
  BATCH_RESEND_INTERVAL_MS,
  MAX_BATCHES_PER_AUTHOR,
} from "../../src/consensus/constants.js";
import { DropReason } from "../../src/consensus/dropReason.js";
import { MessageKind } from "../../src/consensus/messages.js";
import type { Batch, BatchRef } from "../../src/types/consensus.js";
import { batchDigest } from "../../src/types/signing.js";
import { PARAMS } from "./helpers/harness.js";
import { testWorker } from "./helpers/workerContext.js";

const PEER = 1;

function setup() {
  const drops: DropReason[] = [];
  const sent: { to: number; kind: number }[] = [];
  const { worker, store, clock, setRound } = testWorker({
    send: (to, m) => void sent.push({ to, kind: m.kind }),
    drop: (reason) => drops.push(reason),
  });
  return { worker, drops, store, clock, sent, setRound };
}

const batch = (n: number): Batch => ({
  transactions: [new Uint8Array([n >> 16, (n >> 8) & 0xff, n & 0xff])],
});
const ref = (b: Batch): BatchRef => ({ digest: batchDigest(b), workerId: 0 });

describe("Worker batch allowance", () => {
  it("bounds a peer's unreferenced batches, not the ones certificates reference", () => {
    const { worker, drops, setRound } = setup();
    const batches = Array.from({ length: MAX_BATCHES_PER_AUTHOR + 20 }, (_, i) => batch(i));
    for (const b of batches.slice(0, MAX_BATCHES_PER_AUTHOR)) worker.onBatch(PEER, b);
    worker.onBatch(PEER, batches[MAX_BATCHES_PER_AUTHOR]!);
    assert.deepEqual(drops, [DropReason.Overloaded], "the allowance is full");

    // A certificate references ten held batches: ten more fit.
    worker.claim(batches.slice(0, 10).map(ref), 1);
    for (const b of batches.slice(MAX_BATCHES_PER_AUTHOR, MAX_BATCHES_PER_AUTHOR + 10))
      worker.onBatch(PEER, b);
    assert.equal(drops.length, 1);
    worker.onBatch(PEER, batches[MAX_BATCHES_PER_AUTHOR + 10]!);
    assert.equal(drops.length, 2, "full again");

    // A referenced batch not held yet (fetched later) is taken even at a full allowance.
    const fetched = batches[MAX_BATCHES_PER_AUTHOR + 11]!;
    worker.claim([ref(fetched)], 2);
    worker.onBatch(PEER, fetched);
    assert.equal(drops.length, 2);
    assert.notEqual(worker.keyOf(batchDigest(fetched)), undefined, "held");

    // gc frees everything filed at or below its round, claimed or not, without double counting.
    setRound(5 + BATCH_FILING_LEAD_ROUNDS);
    worker.prune(1 + BATCH_FILING_LEAD_ROUNDS);
    for (const b of batches.slice(0, MAX_BATCHES_PER_AUTHOR)) worker.onBatch(PEER, b);
    assert.equal(drops.length, 2, "a full allowance again after gc");
    worker.onBatch(PEER, batches[MAX_BATCHES_PER_AUTHOR + 12]!);
    assert.equal(drops.length, 3);
  });
});

describe("Worker batch lifetime", () => {
  it("keeps a batch as long as the latest certificate referencing it, however late it is claimed", async () => {
    const { worker, store, setRound } = setup();
    const early = batch(1);
    const ahead = batch(2);
    worker.onBatch(PEER, early);
    // A certificate far above the filing round references it (the header waited out a quorum loss).
    const late = 1 + BATCH_FILING_LEAD_ROUNDS + 50;
    worker.claim([ref(early), ref(ahead)], late);
    worker.onBatch(PEER, ahead);
    await new Promise((r) => setTimeout(r, 0));
    setRound(late + 10);
    worker.prune(late - 1);
    store.write({ gcRound: late - 1 });
    for (const b of [early, ahead]) {
      const key = worker.keyOf(batchDigest(b));
      assert.equal(key?.round, late, "filed under the claiming certificate's round");
      assert.deepEqual(store.getBatches([key!]), [b], "still stored after gc below that round");
    }
    worker.prune(late);
    assert.equal(worker.keyOf(batchDigest(early)), undefined, "gone with the certificate");
  });

  it("sends an own batch short of a quorum again to the workers that have not acknowledged it", async () => {
    const { worker, clock, sent } = setup();
    worker.submit(new Uint8Array([7]));
    clock.advance(PARAMS.maxBatchDelayMs);
    await new Promise((r) => setTimeout(r, 0)); // its own acknowledgement follows the store write
    worker.onBatchAck(1, { digest: batchDigest({ transactions: [new Uint8Array([7])] }) });
    sent.length = 0;
    clock.advance(BATCH_RESEND_INTERVAL_MS);
    assert.deepEqual(
      sent
        .filter((m) => m.kind === MessageKind.Batch)
        .map((m) => m.to)
        .sort(),
      [2, 3],
      "not to itself nor to the worker that acknowledged it",
    );
    worker.onBatchAck(2, { digest: batchDigest({ transactions: [new Uint8Array([7])] }) });
    sent.length = 0;
    clock.advance(BATCH_RESEND_INTERVAL_MS);
    assert.equal(sent.filter((m) => m.kind === MessageKind.Batch).length, 0, "a quorum acknowledged it");
  });
});
