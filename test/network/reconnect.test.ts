import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { consensusProtocol, type P2PNetwork } from "../../src/network/index.js";
import type { CommitteeMember } from "../../src/network/types.js";
import { fullyConnected, makeCommittee, makeNode, numbered, numberOf, waitFor } from "./cluster.js";

const VOTE = { id: consensusProtocol("vote"), maxMessageSize: 64 };

describe("reconnection", () => {
  const live = new Set<P2PNetwork>();
  after(async () => {
    await Promise.all([...live].map((node) => node.stop()));
  });

  function startNode(committee: CommitteeMember[], index: number, inbox: number[][]): P2PNetwork {
    const node = makeNode(committee, index);
    node.registerMessageProtocol(VOTE, (from, _, bytes) => {
      inbox[from]!.push(numberOf(bytes));
    });
    live.add(node);
    return node;
  }

  it("reconnects to a peer that stops and restarts, and traffic resumes", async () => {
    const committee = await makeCommittee(3);
    const inboxes = committee.map(() => committee.map((): number[] => []));
    const nodes = committee.map((_, i) => startNode(committee, i, inboxes[i]!));
    const events: string[] = [];
    nodes[0]!.on("disconnect", (peer) => events.push(`down ${peer}`));
    nodes[0]!.on("connect", (peer) => events.push(`up ${peer}`));
    await Promise.all(nodes.map((node) => node.start()));
    await waitFor(() => fullyConnected(nodes), 10_000, "initial mesh");

    const stopStarted = Date.now();
    await nodes[2]!.stop();
    live.delete(nodes[2]!);
    assert.ok(Date.now() - stopStarted < 2_000, "stop is fast");
    await waitFor(() => !nodes[0]!.isConnected(2) && !nodes[1]!.isConnected(2), 5_000, "peers see it gone");
    assert.ok(events.includes("down 2"));
    // Down long enough for several failed redials, so backoff is exercised.
    await sleep(1_000);
    assert.equal(nodes[0]!.send(2, VOTE.id, numbered(1)), true, "queued while the peer is down");

    const inbox2 = committee.map((): number[] => []);
    const restarted = startNode(committee, 2, inbox2);
    nodes[2] = restarted;
    await restarted.start();
    await waitFor(() => fullyConnected(nodes), 10_000, "mesh after restart");
    assert.equal(events.filter((e) => e === "up 2").length, 2, events.join(", "));

    nodes[0]!.send(2, VOTE.id, numbered(2));
    nodes[1]!.send(2, VOTE.id, numbered(3));
    restarted.broadcast(VOTE.id, numbered(4));
    await waitFor(
      () => inbox2[0]!.includes(2) && inbox2[1]!.includes(3),
      5_000,
      "delivery to the restarted node",
    );
    await waitFor(
      () => inboxes[0]![2]!.includes(4) && inboxes[1]![2]!.includes(4),
      5_000,
      "delivery from it",
    );
    assert.deepEqual(inbox2[0], [1, 2], "the message queued while it was down arrives first");
  });

  it("stops when its AbortSignal fires", async () => {
    const committee = await makeCommittee(2);
    const controller = new AbortController();
    const node = makeNode(committee, 0, { signal: controller.signal });
    node.registerMessageProtocol(VOTE, () => {});
    await node.start();
    assert.ok(node.send(1, VOTE.id, numbered(1)), "queued while running");
    controller.abort();
    await waitFor(() => !node.send(1, VOTE.id, numbered(2)), 2_000, "stopped by the signal");
    assert.equal(node.queued(1).messages, 0, "stop drops the queue");
    await assert.rejects(node.start(), { code: "NETWORK_ALREADY_STARTED" });
  });
});
