/**
 * Throughput of the validator network on loopback: P2PNetwork nodes in this process, TCP + Noise +
 * Yamux, 512-byte messages one-to-one and all-to-all, 1 MiB messages, and request/response. Prints
 * JSON lines. Usage: npx tsc -p . && node dist/bench/network.js  (BENCH_NODES, BENCH_SECONDS)
 */

import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { publicKeyOf } from "../src/crypto/ed25519.js";
import { consensusProtocol, P2PNetwork } from "../src/network/index.js";
import type { CommitteeMember } from "../src/network/types.js";
import { freePort } from "../test/network/cluster.js";
import { emit } from "./harness.js";

const NODES = Number(process.env.BENCH_NODES ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Discarded at the start of each measurement: connection windows and the JIT settle. */
const WARMUP_MS = 500;
const SMALL = 512;
const LARGE = 1024 * 1024;
/** Sends offered per event-loop turn per sender; `send` refusing (full queue) ends the turn early. */
const SENDS_PER_TURN = 2048;
/** Requests kept in flight by the concurrent request measurement. */
const REQUESTS_IN_FLIGHT = 64;

const SMALL_PROTOCOL = { id: consensusProtocol("bench-small"), maxMessageSize: SMALL };
const LARGE_PROTOCOL = { id: consensusProtocol("bench-large"), maxMessageSize: LARGE };
const ECHO_PROTOCOL = { id: consensusProtocol("bench-echo"), maxRequestSize: SMALL, maxResponseSize: SMALL };

/** Messages and bytes received by each node, reset between measurements. */
const received = { messages: 0, bytes: 0 };

async function startCluster(): Promise<P2PNetwork[]> {
  const secrets = Array.from({ length: NODES }, (_, i) => new Uint8Array(32).fill(i + 1));
  const committee: CommitteeMember[] = [];
  for (let index = 0; index < NODES; index++) {
    committee.push({
      index,
      publicKey: publicKeyOf(secrets[index]!),
      multiaddr: `/ip4/127.0.0.1/tcp/${await freePort()}`,
    });
  }
  const nodes = committee.map(
    (member) =>
      new P2PNetwork({
        index: member.index,
        secretKey: secrets[member.index]!,
        committee,
        // The bench measures the transport, not the per-peer policing.
        inboundRate: { messagesPerSecond: 1e9, bytesPerSecond: 1e12 },
      }),
  );
  const count = (_from: number, _protocol: string, bytes: Uint8Array): void => {
    received.messages++;
    received.bytes += bytes.length;
  };
  for (const node of nodes) {
    node.registerMessageProtocol(SMALL_PROTOCOL, count);
    node.registerMessageProtocol(LARGE_PROTOCOL, count);
    node.registerRequestProtocol(ECHO_PROTOCOL, async (_from, request) => request);
  }
  await Promise.all(nodes.map((node) => node.start()));
  const deadline = Date.now() + 10_000;
  while (!nodes.every((node) => node.connectedPeers().length === NODES - 1)) {
    if (Date.now() > deadline) throw new Error("cluster did not connect");
    await sleep(10);
  }
  return nodes;
}

/** Runs `offer` once per turn for WARMUP + SECONDS; returns messages/s and MB/s received after warmup. */
async function measure(offer: () => void): Promise<{ messagesPerSec: number; mbPerSec: number }> {
  const warmupEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmupEnd) {
    offer();
    await nextTurn();
  }
  received.messages = 0;
  received.bytes = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    offer();
    await nextTurn();
  }
  const seconds = (performance.now() - start) / 1000;
  const result = {
    messagesPerSec: Math.round(received.messages / seconds),
    mbPerSec: +(received.bytes / seconds / 1e6).toFixed(1),
  };
  await sleep(300); // let queues drain before the next measurement
  return result;
}

function offerSends(count: number, send: () => boolean): void {
  for (let i = 0; i < count && send(); i++);
}

const nodes = await startCluster();
const small = new Uint8Array(SMALL).fill(7);
const large = new Uint8Array(LARGE).fill(9);

const oneToOne = await measure(() =>
  offerSends(SENDS_PER_TURN, () => nodes[0]!.send(1, SMALL_PROTOCOL.id, small)),
);
emit({ bench: "network", op: "send_512B_one_to_one", nodes: NODES, ...oneToOne });

const allToAll = await measure(() => {
  for (const node of nodes)
    offerSends(SENDS_PER_TURN / NODES, () => node.broadcast(SMALL_PROTOCOL.id, small) > 0);
});
emit({ bench: "network", op: "broadcast_512B_all_to_all", nodes: NODES, ...allToAll });

const largeOneToOne = await measure(() => offerSends(4, () => nodes[0]!.send(1, LARGE_PROTOCOL.id, large)));
emit({ bench: "network", op: "send_1MiB_one_to_one", nodes: NODES, ...largeOneToOne });

for (const inFlight of [1, REQUESTS_IN_FLIGHT]) {
  let completed = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await nodes[0]!.request(1, ECHO_PROTOCOL.id, small);
        completed++;
      }
    }),
  );
  emit({
    bench: "network",
    op: "request_512B",
    inFlight,
    requestsPerSec: Math.round(completed / ((performance.now() - start) / 1000)),
  });
}

const stopStart = performance.now();
await Promise.all(nodes.map((node) => node.stop()));
emit({ bench: "network", op: "stop", nodes: NODES, ms: Math.round(performance.now() - stopStart) });
