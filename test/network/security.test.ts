import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { publicKeyOf } from "../../src/crypto/ed25519.js";
import { consensusProtocol, NetworkDropReason, P2PNetwork } from "../../src/network/index.js";
import type { CommitteeMember } from "../../src/network/types.js";
import { freePort, fullyConnected, makeCommittee, makeNode, numbered, numberOf, waitFor } from "./cluster.js";

const VOTE = consensusProtocol("vote");

describe("peer and message admission", () => {
  const started: P2PNetwork[] = [];
  after(async () => {
    await Promise.all(started.map((node) => node.stop()));
  });

  it("refuses a node outside the committee and counts it", async () => {
    const committee = await makeCommittee(2);
    const members = committee.map((_, i) => makeNode(committee, i));
    // The outsider lists member 0 beside itself, so it dials member 0, which does not know it.
    const outsiderKey = new Uint8Array(32).fill(99);
    const outsiderMember: CommitteeMember = {
      index: 1,
      publicKey: publicKeyOf(outsiderKey),
      multiaddr: `/ip4/127.0.0.1/tcp/${await freePort()}`,
    };
    const outsider = new P2PNetwork({
      index: 1,
      secretKey: outsiderKey,
      committee: [committee[0]!, outsiderMember],
    });
    let delivered = 0;
    for (const node of [...members, outsider]) {
      node.registerMessageProtocol({ id: VOTE, maxMessageSize: 64 }, () => {
        delivered++;
      });
      started.push(node);
    }
    await Promise.all([...members, outsider].map((node) => node.start()));
    await waitFor(() => fullyConnected(members), 10_000, "members connected");
    outsider.send(0, VOTE, numbered(1));
    await waitFor(
      () => members[0]!.stats().dropped[NetworkDropReason.NotCommittee] >= 1,
      10_000,
      "refusal counted",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(members[0]!.connectedPeers(), [1]);
    assert.deepEqual(outsider.connectedPeers(), []);
    assert.equal(delivered, 0);
  });

  it("drops an oversize message without crashing, then carries on", async () => {
    const committee = await makeCommittee(2);
    const [sender, receiver] = committee.map((_, i) => makeNode(committee, i)) as [P2PNetwork, P2PNetwork];
    const got: number[] = [];
    // The sender believes the limit is larger than the receiver does.
    sender.registerMessageProtocol({ id: VOTE, maxMessageSize: 10_000 }, () => {});
    receiver.registerMessageProtocol({ id: VOTE, maxMessageSize: 1_000 }, (_, __, bytes) => {
      got.push(numberOf(bytes));
    });
    started.push(sender, receiver);
    await Promise.all([sender.start(), receiver.start()]);
    await waitFor(() => fullyConnected([sender, receiver]), 10_000, "connected");
    assert.ok(sender.send(1, VOTE, numbered(1, 100)));
    await waitFor(() => got.length === 1, 5_000, "first message");
    assert.ok(sender.send(1, VOTE, numbered(2, 5_000)));
    await waitFor(
      () => receiver.stats().dropped[NetworkDropReason.Oversize] === 1,
      5_000,
      "oversize counted",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sender.send(1, VOTE, numbered(3, 100)));
    await waitFor(() => got.length === 2, 5_000, "message after the oversize one");
    assert.deepEqual(got, [1, 3]);
    assert.ok(receiver.isConnected(0), "the connection survives; only the stream was reset");
  });

  it("drops messages over a peer's rate limit and counts them", async () => {
    const committee = await makeCommittee(2);
    const sender = makeNode(committee, 0);
    const receiver = makeNode(committee, 1, { inboundRate: { messagesPerSecond: 100 } });
    let got = 0;
    sender.registerMessageProtocol({ id: VOTE, maxMessageSize: 64 }, () => {});
    receiver.registerMessageProtocol({ id: VOTE, maxMessageSize: 64 }, () => {
      got++;
    });
    started.push(sender, receiver);
    await Promise.all([sender.start(), receiver.start()]);
    await waitFor(() => fullyConnected([sender, receiver]), 10_000, "connected");
    const count = 2_000;
    for (let i = 0; i < count; i++) assert.ok(sender.send(1, VOTE, numbered(i)));
    const limited = () => receiver.stats().dropped[NetworkDropReason.RateLimited];
    await waitFor(() => got + limited() === count, 5_000, "all messages accounted for");
    assert.ok(got >= 100 && got < 400, `delivered ${got}`);
    assert.equal(limited(), count - got);
  });
});
