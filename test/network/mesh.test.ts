import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Registry } from "prom-client";
import { publicKeyOf } from "../../src/crypto/ed25519.js";
import { createNetworkMetrics } from "../../src/metrics/index.js";
import { libp2pPrivateKey } from "../../src/network/identity.js";
import {
  consensusProtocol,
  NetworkError,
  NetworkErrorCode,
  type P2PNetwork,
} from "../../src/network/index.js";
import {
  fullyConnected,
  makeCommittee,
  makeNode,
  numbered,
  numberOf,
  secretKeyOf,
  waitFor,
} from "./cluster.js";

const VOTE = { id: consensusProtocol("vote"), maxMessageSize: 1024 };
const HEADER = { id: consensusProtocol("header"), maxMessageSize: 64 * 1024 };
const ECHO = { id: consensusProtocol("echo"), maxRequestSize: 1024, maxResponseSize: 1024 };

describe("a 4-node mesh", () => {
  const nodes: P2PNetwork[] = [];
  /** received[node][protocol] = [from, number][] in arrival order */
  const received: Map<string, [number, number][]>[] = [];
  const registry = new Registry();

  before(async () => {
    const committee = await makeCommittee(4);
    for (let i = 0; i < 4; i++) {
      const node = makeNode(committee, i, i === 0 ? { metrics: createNetworkMetrics(registry) } : {});
      const inbox = new Map<string, [number, number][]>();
      received.push(inbox);
      for (const protocol of [VOTE, HEADER]) {
        inbox.set(protocol.id, []);
        node.registerMessageProtocol(protocol, (from, id, bytes) => {
          inbox.get(id)!.push([from, numberOf(bytes)]);
        });
      }
      node.registerRequestProtocol(ECHO, async (from, request, signal) => {
        if (request[0] === 0xff) {
          await sleep(5_000, undefined, { signal }).catch(() => undefined);
        }
        if (request[0] === 0xee) throw new Error("handler refuses");
        return Uint8Array.of(from, ...request);
      });
      nodes.push(node);
    }
    await Promise.all(nodes.map((node) => node.start()));
    await waitFor(() => fullyConnected(nodes), 10_000, "full mesh");
  });

  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  });

  it("uses the validator's Ed25519 key as its libp2p identity", async () => {
    const key = await libp2pPrivateKey(secretKeyOf(2));
    assert.deepEqual(key.publicKey.raw, publicKeyOf(secretKeyOf(2)));
    assert.ok(nodes[2]!.peerId.equals(peerIdFromPrivateKey(key)));
    assert.ok(nodes[2]!.listenAddresses()[0]!.endsWith(`/p2p/${nodes[2]!.peerId.toString()}`));
  });

  it("delivers broadcasts and sends exactly once, in order per (peer, protocol)", async () => {
    const count = 5_000;
    for (let i = 0; i < count; i++) {
      assert.equal(nodes[0]!.broadcast(VOTE.id, numbered(i)), 3);
      assert.ok(nodes[1]!.send(3, HEADER.id, numbered(i, 2_000)));
    }
    await waitFor(
      () =>
        [1, 2, 3].every((n) => received[n]!.get(VOTE.id)!.length >= count) &&
        received[3]!.get(HEADER.id)!.length >= count,
      15_000,
      "all messages",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const expected = Array.from({ length: count }, (_, i) => i);
    for (const n of [1, 2, 3]) {
      const votes = received[n]!.get(VOTE.id)!;
      assert.deepEqual(
        votes.map(([from]) => from),
        Array(count).fill(0),
        `node ${n} senders`,
      );
      assert.deepEqual(
        votes.map(([, i]) => i),
        expected,
        `node ${n} vote order`,
      );
    }
    assert.deepEqual(
      received[3]!.get(HEADER.id)!.map(([, i]) => i),
      expected,
    );
    assert.equal(received[0]!.get(VOTE.id)!.length, 0, "broadcast skips the sender");
    assert.equal(received[2]!.get(HEADER.id)!.length, 0, "send reaches only its target");
    const sent = await registry.getSingleMetric("mass_network_messages_sent_total")!.get();
    assert.equal(sent.values.find((v) => v.labels.protocol === VOTE.id)?.value, 3 * count);
    assert.equal(nodes[0]!.stats().messagesSent, 3 * count);
    const peers = await registry.getSingleMetric("mass_network_peers_connected")!.get();
    assert.equal(peers.values[0]?.value, 3);
  });

  it("answers requests", async () => {
    const response = await nodes[0]!.request(2, ECHO.id, Uint8Array.of(7, 8, 9));
    assert.deepEqual([...response], [0, 7, 8, 9]);
    const many = await Promise.all(
      [1, 2, 3].flatMap((peer) =>
        Array.from({ length: 20 }, (_, i) => nodes[0]!.request(peer, ECHO.id, Uint8Array.of(i))),
      ),
    );
    assert.equal(many.length, 60);
    assert.ok(many.every((r) => r[0] === 0));
  });

  it("times out, aborts and reports a failing responder", async () => {
    const started = Date.now();
    await assert.rejects(
      nodes[0]!.request(1, ECHO.id, Uint8Array.of(0xff), { timeoutMs: 200 }),
      (err: unknown) => {
        return err instanceof NetworkError && err.code === NetworkErrorCode.RequestTimeout;
      },
    );
    assert.ok(Date.now() - started < 2_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(nodes[0]!.request(1, ECHO.id, Uint8Array.of(0xff), { signal: controller.signal }), {
      code: NetworkErrorCode.RequestAborted,
    });
    await assert.rejects(nodes[0]!.request(1, ECHO.id, Uint8Array.of(0xee)), {
      code: NetworkErrorCode.RequestFailed,
    });
  });

  it("rejects misuse with typed errors", async () => {
    assert.throws(() => nodes[0]!.send(0, VOTE.id, numbered(1)), { code: NetworkErrorCode.UnknownPeer });
    assert.throws(() => nodes[0]!.send(9, VOTE.id, numbered(1)), { code: NetworkErrorCode.UnknownPeer });
    assert.throws(() => nodes[0]!.send(1, "/nope", numbered(1)), { code: NetworkErrorCode.UnknownProtocol });
    assert.throws(() => nodes[0]!.broadcast(VOTE.id, new Uint8Array(2_000)), {
      code: NetworkErrorCode.MessageTooLarge,
    });
    await assert.rejects(nodes[0]!.request(1, VOTE.id, numbered(1)), {
      code: NetworkErrorCode.UnknownProtocol,
    });
    assert.throws(() => nodes[0]!.registerMessageProtocol({ id: "/late", maxMessageSize: 1 }, () => {}), {
      code: NetworkErrorCode.AlreadyStarted,
    });
  });
});
