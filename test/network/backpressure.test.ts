import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Registry } from "prom-client";
import { createNetworkMetrics } from "../../src/metrics/index.js";
import { consensusProtocol, NetworkDropReason, type P2PNetwork } from "../../src/network/index.js";
import { fullyConnected, makeCommittee, makeNode, numbered, numberOf, waitFor } from "./cluster.js";

const BATCH = consensusProtocol("batch");
const MESSAGE_SIZE = 16 * 1024;
const QUEUE_BYTES = 1024 * 1024;

describe("backpressure", () => {
  const started: P2PNetwork[] = [];
  after(async () => {
    await Promise.all(started.map((node) => node.stop()));
  });

  it("holds the sender's queue bound against a slow receiver and tells the sender", async () => {
    const committee = await makeCommittee(2);
    const registry = new Registry();
    const sender = makeNode(committee, 0, {
      queue: { maxBytes: QUEUE_BYTES },
      metrics: createNetworkMetrics(registry),
    });
    const receiver = makeNode(committee, 1);
    const got: number[] = [];
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    sender.registerMessageProtocol({ id: BATCH, maxMessageSize: MESSAGE_SIZE }, () => {});
    // The first message blocks the receiver until released; reading its stream pauses meanwhile.
    receiver.registerMessageProtocol({ id: BATCH, maxMessageSize: MESSAGE_SIZE }, (_, __, bytes) => {
      got.push(numberOf(bytes));
      return got.length === 1 ? stalled : undefined;
    });
    started.push(sender, receiver);
    await Promise.all([sender.start(), receiver.start()]);
    await waitFor(() => fullyConnected([sender, receiver]), 10_000, "connected");

    let accepted = 0;
    let peakQueued = 0;
    // Offer far more than the queue, windows and socket buffers can hold, a slice per event-loop turn.
    let refusedAt = -1;
    for (let turn = 0; turn < 4_000 && refusedAt < 0; turn++) {
      for (let i = 0; i < 8 && refusedAt < 0; i++) {
        if (sender.send(1, BATCH, numbered(accepted, MESSAGE_SIZE))) accepted++;
        else refusedAt = accepted;
      }
      peakQueued = Math.max(peakQueued, sender.queued(1).bytes);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(refusedAt > 0, "send reported a full queue");
    assert.equal(sender.stats().dropped[NetworkDropReason.QueueFull], 1);
    console.log(
      `# accepted ${accepted} x ${MESSAGE_SIZE} B before the queue filled; queue peaked at ${peakQueued} B`,
    );
    assert.ok(peakQueued <= QUEUE_BYTES, `queue peaked at ${peakQueued}`);
    // Beyond the queue, only the receiver's stream window and socket buffers hold data.
    assert.ok(accepted * MESSAGE_SIZE < QUEUE_BYTES + 24 * 1024 * 1024, `accepted ${accepted} messages`);
    const gauge = await registry.getSingleMetric("mass_network_outbound_queue_bytes")!.get();
    assert.ok((gauge.values[0]?.value ?? 0) > 0);

    release();
    await waitFor(() => got.length === accepted, 20_000, "queued messages delivered after the stall");
    assert.deepEqual(
      got,
      Array.from({ length: accepted }, (_, i) => i),
    );
    await waitFor(() => sender.queued(1).bytes === 0, 5_000, "queue drained");
    assert.ok(sender.send(1, BATCH, numbered(accepted, MESSAGE_SIZE)), "sending resumes once drained");
  });
});
