import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMITTED_BATCH_AUTHOR_ATTEMPTS, COMMITTED_BATCH_RETRY_MS } from "../../src/consensus/constants.js";
import { digestKey } from "../../src/consensus/digest.js";
import { ConsensusError, ConsensusErrorCode } from "../../src/consensus/errors.js";
import type { CommittedSubDag } from "../../src/consensus/linearizer.js";
import { MessageKind } from "../../src/consensus/messages.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import { Subscriber } from "../../src/consensus/subscriber.js";
import type { Batch, BatchRef } from "../../src/types/consensus.js";
import { batchDigest, headerDigest } from "../../src/types/signing.js";
import { toHex } from "../../src/util/bytes.js";
import { Harness, keys } from "./helpers/harness.js";

/** The author of round 1's certificate that carries the batch validator 0 never received. */
const AUTHOR = 2;
const PEERS = [1, 2, 3];
const MISSING: Batch = { transactions: [new Uint8Array([7, 7, 7])] };
const missingRef: BatchRef = { digest: batchDigest(MISSING), workerId: 0 };

/**
 * Validator 0 of four, fed certificates of validators 1-3 (a quorum without it) until two leaders
 * commit; round 1's certificate of AUTHOR carries a batch validator 0 never got.
 */
async function behindOnBatches(signal?: AbortSignal): Promise<Harness> {
  const h = new Harness(keys(4), 0, new MemoryConsensusStore());
  await h.node.start(signal);
  let parents: Uint8Array[] = [];
  for (let round = 1; h.node.status().nextCommitIndex < 2; round++) {
    assert.ok(round < 20, "two leaders commit");
    const digests: Uint8Array[] = [];
    for (const author of PEERS) {
      const payload = round === 1 && author === AUTHOR ? [missingRef] : [];
      const certificate = h.certificate(author, { round, parents, payload });
      h.node.handleMessage(author, { kind: MessageKind.Certificate, body: certificate });
      digests.push(headerDigest(certificate.header));
    }
    parents = digests;
  }
  return h;
}

/** Who validator 0 asked for the missing batch since `from` (an index into `sent`). */
function asked(h: Harness, from = 0): number[] {
  return h.sent
    .slice(from)
    .filter(
      (s) =>
        s.message.kind === MessageKind.BatchesRequest &&
        s.message.body.digests.some((d) => toHex(d) === toHex(missingRef.digest)),
    )
    .map((s) => s.to as number);
}

/** Commit 0: one certificate of AUTHOR's carrying the batch this validator lacks. */
function missingBatchSubDag(): CommittedSubDag {
  const h = new Harness(keys(4), 0, new MemoryConsensusStore());
  const certificate = h.certificate(AUTHOR, { round: 1, payload: [missingRef] });
  return {
    index: 0,
    leaderRound: 1,
    leader: certificate,
    leaderDigest: headerDigest(certificate.header),
    certificates: [certificate],
    digests: [headerDigest(certificate.header)],
    batches: [missingRef],
  };
}

describe("consensus subscriber", () => {
  it("fetches a committed batch from its author, then from every peer, and outputs in commit order", async () => {
    const h = await behindOnBatches();
    assert.equal(h.commits.length, 0, "the first output waits for its batch, and the second behind it");
    assert.deepEqual(asked(h), [AUTHOR], "the author first");
    for (let attempt = 1; attempt < COMMITTED_BATCH_AUTHOR_ATTEMPTS; attempt++) {
      h.clock.advance(COMMITTED_BATCH_RETRY_MS);
      assert.deepEqual(asked(h).length, attempt + 1);
    }
    assert.deepEqual(asked(h), Array(COMMITTED_BATCH_AUTHOR_ATTEMPTS).fill(AUTHOR), "the author alone");
    const before = h.sent.length;
    h.clock.advance(COMMITTED_BATCH_RETRY_MS);
    assert.deepEqual(asked(h, before), PEERS, "the author is silent: every peer");

    h.node.handleMessage(3, { kind: MessageKind.Batch, body: MISSING });
    assert.deepEqual(
      h.commits.map((s) => s.index),
      [0, 1],
    );
    const position = h.commits[0]!.batches.findIndex((b) => toHex(b.digest) === toHex(missingRef.digest));
    assert.ok(position >= 0, "the batch belongs to the first sub-DAG");
    assert.deepEqual(h.outputBatches[0]![position], MISSING, "output with its contents");
    const after = h.sent.length;
    h.clock.advance(10 * COMMITTED_BATCH_RETRY_MS);
    assert.deepEqual(asked(h, after), [], "no more requests once it arrived");
    await h.node.stop();
  });

  it("stops while waiting for a batch: no output, no more requests", async () => {
    const h = await behindOnBatches();
    await h.node.stop();
    const after = h.sent.length;
    h.clock.advance(10 * COMMITTED_BATCH_RETRY_MS);
    assert.deepEqual(asked(h, after), []);
    assert.equal(h.commits.length, 0);
  });

  it("stops when the start signal aborts: a wait for a batch ends, a start under way rejects", async () => {
    const controller = new AbortController();
    const h = await behindOnBatches(controller.signal);
    controller.abort();
    await h.node.stop();
    const after = h.sent.length;
    h.clock.advance(10 * COMMITTED_BATCH_RETRY_MS);
    assert.deepEqual(asked(h, after), []);
    assert.equal(h.commits.length, 0);
    assert.equal(h.node.running, false);

    const stopped = (err: unknown) =>
      err instanceof ConsensusError && err.code === ConsensusErrorCode.Stopped;
    const late = new Harness(keys(4), 0, new MemoryConsensusStore());
    const aborting = new AbortController();
    const starting = late.node.start(aborting.signal);
    aborting.abort();
    await assert.rejects(starting, stopped);
    assert.equal(late.node.running, false, "nothing left running");
    const early = new Harness(keys(4), 0, new MemoryConsensusStore());
    await assert.rejects(early.node.start(AbortSignal.abort()), stopped);
  });

  it("ends a fetch with ConsensusError Stopped when it stops", async () => {
    const subDag = missingBatchSubDag();
    const wanted: { key: string; author: number }[] = [];
    const subscriber = new Subscriber({
      read: () => [undefined],
      fetch: (w) => wanted.push(...w),
      onOutput: () => assert.fail("nothing to output"),
      onFailure: (err) => assert.fail(`not a failure: ${err}`),
    });
    let error: unknown;
    subscriber.fetchBatches(
      subDag,
      () => assert.fail("the batch never comes"),
      (err) => (error = err),
    );
    assert.deepEqual(wanted, [{ key: digestKey(missingRef.digest), author: AUTHOR }]);
    await subscriber.stop();
    assert.ok(error instanceof ConsensusError && error.code === ConsensusErrorCode.Stopped, `got ${error}`);
  });

  it("reads again when a batch arrives while an asynchronous read runs", async () => {
    const subDag = missingBatchSubDag();
    let reads = 0;
    let output: (batches: Batch[]) => void = () => undefined;
    const delivered = new Promise<Batch[]>((resolve) => (output = resolve));
    const subscriber = new Subscriber({
      read: () => {
        reads++;
        if (reads > 1) return Promise.resolve([MISSING]);
        // The batch is stored while the first read is still under way.
        queueMicrotask(() => subscriber.batchArrived(digestKey(missingRef.digest)));
        return new Promise((resolve) => setImmediate(() => resolve([undefined])));
      },
      fetch: () => assert.fail("no fetch: it arrived"),
      onOutput: ({ batches }) => output(batches),
      onFailure: (err) => assert.fail(`not a failure: ${err}`),
    });
    subscriber.push(subDag);
    assert.deepEqual(await delivered, [MISSING]);
    assert.equal(reads, 2);
    await subscriber.stop();
  });
});
