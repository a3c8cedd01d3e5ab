import "../../src/network/polyfills.js";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Libp2p, MultiaddrConnection } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import {
  INBOUND_UPGRADE_TIMEOUT_MS,
  MAX_PENDING_HANDSHAKES,
  MAX_PENDING_HANDSHAKES_PER_HOST,
} from "../../src/network/constants.js";
import { HandshakeSlots } from "../../src/network/host.js";
import { consensusProtocol, NetworkDropReason, type P2PNetwork } from "../../src/network/index.js";
import type { CommitteeMember } from "../../src/network/types.js";
import { errorMessage } from "../../src/util/errors.js";
import { fullyConnected, makeCommittee, makeNode, waitFor } from "./cluster.js";

const VOTE = { id: consensusProtocol("vote"), maxMessageSize: 64 };
/** Idle sockets per validator port: above one host's share of handshake slots, so every slot is contested. */
const IDLE_STRANGERS = 100;
/** Sockets per port that send random bytes instead of a handshake. */
const GARBAGE_STRANGERS = 4;
/** A stranger's socket is reopened this long after it closes, so strangers keep their slots taken. */
const STRANGER_REDIAL_MS = 100;
/** The restarted validator stays down this long: its peers' redials back off, strangers keep knocking. */
const DOWNTIME_MS = 3_000;
/** The bound from the defect report: a restarted validator is back with its committee within this. */
const RECONNECT_BOUND_MS = 15_000;

/** Raw TCP sockets to one port that never finish a handshake, reopened whenever they close. */
class Strangers {
  readonly sockets = new Set<Socket>();
  opened = 0;
  private stopped = false;

  constructor(private readonly port: number) {
    for (let i = 0; i < IDLE_STRANGERS; i++) this.open(false);
    for (let i = 0; i < GARBAGE_STRANGERS; i++) this.open(true);
  }

  private open(garbage: boolean): void {
    if (this.stopped) return;
    const socket = connect({ host: "127.0.0.1", port: this.port });
    this.sockets.add(socket);
    socket.on("connect", () => {
      this.opened++;
      if (garbage) socket.write(randomBytes(256));
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.sockets.delete(socket);
      setTimeout(() => this.open(garbage), STRANGER_REDIAL_MS).unref();
    });
  }

  close(): void {
    this.stopped = true;
    for (const socket of this.sockets) socket.destroy();
  }
}

function portOf(member: CommitteeMember): number {
  return Number(member.multiaddr.split("/").at(-1));
}

describe("strangers on the libp2p port", () => {
  const live = new Set<P2PNetwork>();
  const strangers: Strangers[] = [];
  const outsiders: Libp2p[] = [];
  const idleSockets = new Set<Socket>();
  after(async () => {
    for (const group of strangers) group.close();
    for (const socket of idleSockets) socket.destroy();
    await Promise.all([...outsiders.map((host) => host.stop()), ...[...live].map((node) => node.stop())]);
  });

  async function startNode(committee: CommitteeMember[], index: number): Promise<P2PNetwork> {
    const node = makeNode(committee, index);
    node.registerMessageProtocol(VOTE, () => {});
    live.add(node);
    await node.start();
    return node;
  }

  it("a restarted validator reconnects to its committee while strangers hold every port", {
    timeout: 60_000,
  }, async () => {
    const committee = await makeCommittee(4);
    const nodes = await Promise.all(committee.map((_, i) => startNode(committee, i)));
    await waitFor(() => fullyConnected(nodes), 10_000, "initial mesh");
    strangers.push(...committee.map((member) => new Strangers(portOf(member))));
    await waitFor(
      () => strangers.every((group) => group.opened >= IDLE_STRANGERS),
      10_000,
      "strangers connected",
    );

    await nodes[3]!.stop();
    live.delete(nodes[3]!);
    await waitFor(() => nodes.slice(0, 3).every((node) => !node.isConnected(3)), 5_000, "peers see it gone");
    await sleep(DOWNTIME_MS);
    const openedBeforeRestart = strangers[3]!.opened;
    nodes[3] = await startNode(committee, 3);
    const restarted = Date.now();
    await waitFor(() => fullyConnected(nodes), RECONNECT_BOUND_MS, "mesh after restart").catch((err) => {
      throw new Error(
        `${errorMessage(err)}: the restarted validator has peers [${nodes[3]!.connectedPeers()}]`,
      );
    });
    console.log(`# the restarted validator reconnected in ${Date.now() - restarted} ms`);

    assert.ok(strangers[3]!.opened > openedBeforeRestart, "strangers reached the restarted port");
    const drops: string[] = [];
    for (const node of nodes) node.on("disconnect", (peer) => drops.push(`${node.index}-${peer}`));
    const openedBeforeWait = strangers.map((group) => group.opened);
    await waitFor(
      () => strangers.every((group, i) => group.opened > openedBeforeWait[i]! + IDLE_STRANGERS),
      10_000,
      "strangers reconnecting",
    );
    assert.deepEqual(drops, [], "evicting strangers leaves committee connections alone");
  });

  it("drops a connection that never starts its handshake", { timeout: 30_000 }, async () => {
    const committee = await makeCommittee(2);
    await startNode(committee, 0);
    const socket = connect({ host: "127.0.0.1", port: portOf(committee[0]!) });
    idleSockets.add(socket);
    socket.on("error", () => {}); // the validator resets it
    await once(socket, "connect");
    const opened = Date.now();
    await new Promise((resolve) => socket.once("close", resolve));
    const held = Date.now() - opened;
    assert.ok(held < INBOUND_UPGRADE_TIMEOUT_MS + 1_000, `held for ${held} ms`);
  });

  it("refuses a stranger that completes the Noise handshake with a random key", {
    timeout: 30_000,
  }, async () => {
    const committee = await makeCommittee(2);
    const nodes = await Promise.all(committee.map((_, i) => startNode(committee, i)));
    await waitFor(() => fullyConnected(nodes), 10_000, "mesh");
    const outsider = await createLibp2p({
      privateKey: await generateKeyPair("Ed25519"),
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
    });
    outsiders.push(outsider);
    const target = multiaddr(`${committee[0]!.multiaddr}/p2p/${nodes[0]!.peerId}`);

    // The dial may resolve: the outsider's side of the handshake completes before the validator refuses it.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await outsider.dial(target, { signal: AbortSignal.timeout(5_000) }).catch(() => {});
      await waitFor(
        () => nodes[0]!.stats().dropped[NetworkDropReason.NotCommittee] === attempt,
        5_000,
        `refusal ${attempt} counted`,
      );
      await waitFor(
        () => outsider.getConnections().length === 0,
        5_000,
        "the validator closed the connection",
      );
    }
    assert.deepEqual(nodes[0]!.connectedPeers(), [1], "the committee link is untouched");
  });
});

type FakeConnection = MultiaddrConnection & { aborted: boolean };

/** Just enough of a MultiaddrConnection for HandshakeSlots: an address, `close` events and `abort`. */
function pendingConnection(host: string): FakeConnection {
  const connection = Object.assign(new EventTarget(), {
    remoteAddr: multiaddr(`/ip4/${host}/tcp/4001`),
    aborted: false,
    abort() {
      connection.aborted = true;
      connection.dispatchEvent(new Event("close"));
    },
  });
  return connection as unknown as FakeConnection;
}

function admitAll(slots: HandshakeSlots, host: string, count: number): FakeConnection[] {
  const admitted = Array.from({ length: count }, () => pendingConnection(host));
  for (const connection of admitted) slots.admit(connection);
  return admitted;
}

describe("HandshakeSlots", () => {
  it("a host over its share loses its own oldest pending handshake, not an identified one", () => {
    const slots = new HandshakeSlots();
    const [identified, ...pending] = admitAll(slots, "10.0.0.1", MAX_PENDING_HANDSHAKES_PER_HOST);
    slots.release(identified!);
    slots.admit(pendingConnection("10.0.0.1"));
    assert.ok(!pending.some((connection) => connection.aborted), "an identified peer frees its slot");
    admitAll(slots, "10.0.0.1", 2);
    assert.deepEqual(
      [identified, pending[0], pending[1], pending[2]].map((connection) => connection!.aborted),
      [false, true, true, false],
    );
  });

  it("when every slot is taken, a newcomer evicts from the busiest host", () => {
    const slots = new HandshakeSlots();
    const lone = admitAll(slots, "10.0.0.1", 1)[0]!;
    const busiest = admitAll(slots, "10.0.0.2", MAX_PENDING_HANDSHAKES_PER_HOST);
    const rest = admitAll(slots, "10.0.0.3", MAX_PENDING_HANDSHAKES - 1 - MAX_PENDING_HANDSHAKES_PER_HOST);
    assert.ok(rest.length < busiest.length, "the total bound binds before the third host's share");
    const newcomer = pendingConnection("10.0.0.4");
    slots.admit(newcomer);
    assert.deepEqual(
      [lone, busiest[0], busiest[1], rest[0], newcomer].map((connection) => connection!.aborted),
      [false, true, false, false, false],
    );
  });
});
