import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { MAX_BATCHES_PER_AUTHOR } from "../../src/consensus/constants.js";
import { DropReason } from "../../src/consensus/metrics.js";
import type { CoreContext } from "../../src/consensus/primary/context.js";
import { Outbox } from "../../src/consensus/primary/outbox.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import { Worker } from "../../src/consensus/worker/worker.js";
import type { Batch, BatchRef } from "../../src/types/consensus.js";
import { batchDigest } from "../../src/types/signing.js";
import { testCommittee } from "./helpers/dagBuilder.js";
import { CHAIN_ID, ManualClock, PARAMS } from "./helpers/harness.js";

const PEER = 1;

function setup() {
  const drops: DropReason[] = [];
  const store = new MemoryConsensusStore();
  const ctx: CoreContext = {
    committee: new ConsensusCommittee(testCommittee(4)),
    params: PARAMS,
    chainId: CHAIN_ID,
    self: 0,
    secretKey: new Uint8Array(32),
    clock: new ManualClock(),
    outbox: new Outbox(store, { send: () => undefined, broadcast: () => undefined }, (err) => {
      throw err;
    }),
    verifier: { verify: () => true } as unknown as CoreContext["verifier"],
    metrics: null,
    drop: (_kind, reason) => drops.push(reason),
  };
  let round = 1;
  const worker = new Worker(
    ctx,
    store,
    () => round,
    () => undefined,
  );
  return { worker, drops, setRound: (r: number) => (round = r) };
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
    setRound(5);
    worker.prune(4);
    for (const b of batches.slice(0, MAX_BATCHES_PER_AUTHOR)) worker.onBatch(PEER, b);
    assert.equal(drops.length, 2, "a full allowance again after gc");
    worker.onBatch(PEER, batches[MAX_BATCHES_PER_AUTHOR + 12]!);
    assert.equal(drops.length, 3);
  });
});
