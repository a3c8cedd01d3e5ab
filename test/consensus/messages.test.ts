import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { DropReason } from "../../src/consensus/dropReason.js";
import {
  type ConsensusMessage,
  decodeMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  MessageKind,
} from "../../src/consensus/messages.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import { MAX_BATCH_BYTES } from "../../src/types/limits.js";
import { DecodeError, DecodeErrorCode } from "../../src/util/errors.js";
import { Harness, keys } from "./helpers/harness.js";

async function started(): Promise<Harness> {
  const h = new Harness(keys(4), 0, new MemoryConsensusStore());
  await h.node.start();
  return h;
}

describe("consensus message codec", () => {
  it("round-trips every kind", () => {
    const h = new Harness(keys(4), 0, new MemoryConsensusStore());
    const header = h.signedHeader(1, { round: 1 });
    const certificate = { header: header.header, signers: BitArray.fromBitLen(4), signatures: [] };
    const digest = new Uint8Array(32).fill(7);
    const messages: ConsensusMessage[] = [
      { kind: MessageKind.Header, body: header },
      { kind: MessageKind.Vote, body: h.voteFor(2, header) },
      { kind: MessageKind.Certificate, body: certificate },
      { kind: MessageKind.CertificatesRequest, body: { digests: [digest] } },
      { kind: MessageKind.CertificateRangeRequest, body: { fromRound: 3, toRound: 9 } },
      { kind: MessageKind.CertificatesResponse, body: { certificates: [certificate] } },
      { kind: MessageKind.Batch, body: { transactions: [new Uint8Array([1, 2, 3])] } },
      { kind: MessageKind.BatchAck, body: { digest } },
      { kind: MessageKind.BatchesRequest, body: { digests: [digest] } },
    ];
    for (const m of messages) {
      const bytes = encodeMessage(m);
      assert.equal(bytes[0], m.kind);
      assert.deepEqual(encodeMessage(decodeMessage(bytes)), bytes, MessageKind[m.kind]);
    }
    assert.ok(MAX_MESSAGE_BYTES >= MAX_BATCH_BYTES);
  });

  it("rejects unknown kinds, truncation and oversize with typed errors", () => {
    const cases: [Uint8Array, DecodeErrorCode][] = [
      [new Uint8Array([]), DecodeErrorCode.InvalidSsz],
      [new Uint8Array([0xee, 1, 2]), DecodeErrorCode.InvalidSsz],
      [new Uint8Array([MessageKind.Vote, 1, 2, 3]), DecodeErrorCode.InvalidSsz],
      [new Uint8Array(1 + 200), DecodeErrorCode.TooLarge],
    ];
    (cases[3]![0] as Uint8Array)[0] = MessageKind.BatchAck;
    for (const [bytes, code] of cases) {
      assert.throws(
        () => decodeMessage(bytes),
        (err: unknown) => err instanceof DecodeError && err.code === code,
      );
    }
  });
});

describe("inbound validation", () => {
  it("drops malformed bytes and messages from outside the committee, and never throws", async () => {
    const h = await started();
    h.node.handleBytes(1, new Uint8Array([0xee]));
    h.node.handleBytes(1, new Uint8Array([MessageKind.Header, 0, 0]));
    h.node.handleBytes(1, new Uint8Array(0));
    assert.equal(await h.dropCount(DropReason.Malformed), 3);
    const header = h.signedHeader(1, { round: 1 });
    h.node.handleMessage(99, { kind: MessageKind.Header, body: header });
    h.node.handleMessage(0, { kind: MessageKind.Header, body: header });
    assert.equal(await h.dropCount(DropReason.UnknownAuthor), 2, "unknown sender and our own index");
    await h.node.stop();
  });

  it("drops headers with unknown authors, bad signatures, bad shapes or far-future rounds", async () => {
    const h = await started();
    const good = h.signedHeader(1, { round: 1 });
    h.node.handleMessage(1, {
      kind: MessageKind.Header,
      body: { ...good, header: { ...good.header, author: 7 } },
    });
    assert.equal(await h.dropCount(DropReason.UnknownAuthor), 1);
    const forged = new Uint8Array(good.signature);
    forged[5]! ^= 1;
    h.node.handleMessage(1, { kind: MessageKind.Header, body: { ...good, signature: forged } });
    assert.equal(await h.dropCount(DropReason.BadSignature), 1);
    h.node.handleMessage(1, {
      kind: MessageKind.Header,
      body: h.signedHeader(1, { round: 1, parents: [new Uint8Array(32)] }),
    });
    h.node.handleMessage(1, { kind: MessageKind.Header, body: h.signedHeader(1, { round: 2, parents: [] }) });
    h.node.handleMessage(1, {
      kind: MessageKind.Header,
      body: h.signedHeader(1, { round: 1, payload: [{ digest: new Uint8Array(32), workerId: 3 }] }),
    });
    assert.equal(await h.dropCount(DropReason.InvalidHeader), 3);
    h.node.handleMessage(1, {
      kind: MessageKind.Header,
      body: h.signedHeader(1, { round: 50, parents: [new Uint8Array(32)] }),
    });
    assert.equal(await h.dropCount(DropReason.TooFarAhead), 1);
    assert.equal(h.votesTo(1).length, 0, "no vote for any of them");
    h.node.handleMessage(1, { kind: MessageKind.Header, body: good });
    await h.node.idle();
    assert.equal(h.votesTo(1).length, 1, "the good header gets a vote");
    await h.node.stop();
  });

  it("detects equivocation and keeps evidence", async () => {
    const h = await started();
    const a = h.signedHeader(2, { round: 1, createdAt: 1 });
    const b = h.signedHeader(2, { round: 1, createdAt: 2 });
    h.node.handleMessage(2, { kind: MessageKind.Header, body: a });
    h.node.handleMessage(3, { kind: MessageKind.Header, body: b });
    await h.node.idle();
    assert.equal(h.votesTo(2).length, 1);
    assert.equal(await h.equivocations(), 1);
    const evidence = await h.node.evidence();
    assert.equal(evidence.length, 1);
    assert.deepEqual(evidence[0]!.first, a);
    assert.deepEqual(evidence[0]!.second, b);
    await h.node.stop();
  });

  it("drops votes for unknown headers, spoofed voters and bad vote signatures", async () => {
    const h = await started();
    await h.node.idle();
    const own = h.sent.find((s) => s.message.kind === MessageKind.Header)!.message.body as ReturnType<
      Harness["signedHeader"]
    >;
    const other = h.signedHeader(0, { round: 1, createdAt: 999 });
    h.node.handleMessage(1, { kind: MessageKind.Vote, body: h.voteFor(1, other) });
    assert.equal(await h.dropCount(DropReason.UnknownHeader), 1);
    h.node.handleMessage(2, { kind: MessageKind.Vote, body: h.voteFor(1, own) });
    assert.equal(await h.dropCount(DropReason.UnknownAuthor), 1, "a vote relayed by someone else");
    const bad = h.voteFor(1, own);
    bad.signature = h.voteFor(2, own).signature;
    h.node.handleMessage(1, { kind: MessageKind.Vote, body: bad });
    assert.equal(await h.dropCount(DropReason.BadSignature), 1);
    h.node.handleMessage(1, { kind: MessageKind.Vote, body: h.voteFor(1, own) });
    h.node.handleMessage(2, { kind: MessageKind.Vote, body: h.voteFor(2, own) });
    await h.node.idle();
    const certificates = h.sent.filter((s) => s.message.kind === MessageKind.Certificate);
    assert.equal(certificates.length, 1, "own vote plus two valid votes make a quorum of 3 of 4");
    await h.node.stop();
  });

  it("drops certificates without a quorum, with forged votes or a wrong signer set", async () => {
    const h = await started();
    const header = h.signedHeader(1, { round: 1 });
    const votes = [1, 2, 3].map((v) => h.voteFor(v, header));
    const signers = (ids: number[], size = 4) => {
      const bits = BitArray.fromBitLen(size);
      for (const i of ids) bits.set(i, true);
      return bits;
    };
    const send = (certificate: ConsensusMessage["body"]) =>
      h.node.handleMessage(1, { kind: MessageKind.Certificate, body: certificate } as ConsensusMessage);
    send({
      header: header.header,
      signers: signers([1, 2]),
      signatures: votes.slice(0, 2).map((v) => v.signature),
    });
    send({
      header: header.header,
      signers: signers([1, 2, 3], 5),
      signatures: votes.map((v) => v.signature),
    });
    send({
      header: header.header,
      signers: signers([1, 2, 3]),
      signatures: votes.slice(0, 2).map((v) => v.signature),
    });
    assert.equal(await h.dropCount(DropReason.InvalidCertificate), 3);
    send({
      header: header.header,
      signers: signers([1, 2, 3]),
      signatures: [votes[1]!.signature, votes[0]!.signature, votes[2]!.signature],
    });
    assert.equal(await h.dropCount(DropReason.BadSignature), 1, "signatures out of signer order");
    send({ header: header.header, signers: signers([1, 2, 3]), signatures: votes.map((v) => v.signature) });
    assert.equal(h.node.status().dagSize, 1, "the valid certificate is accepted");
    await h.node.stop();
  });
});
