import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sign } from "../../src/crypto/ed25519.js";
import { sha256 } from "../../src/crypto/hash.js";
import {
  FinalityCollector,
  type FinalityConflict,
  type FinalityDisagreement,
  MAX_FUTURE_HEIGHTS,
} from "../../src/finality/collector.js";
import type { BlockSignature, FinalityCertificate } from "../../src/types/block.js";
import { consensusSigningMessage, SigningDomain } from "../../src/types/signing.js";
import { chainId, committee, secrets } from "../helpers/signingCommittee.js";

const hashOf = (height: number, fork = 0) => sha256(new Uint8Array([height, fork]));
const signature = (signer: number, height: number, blockHash = hashOf(height)): BlockSignature => ({
  height,
  blockHash,
  signer,
  signature: sign(secrets[signer]!, consensusSigningMessage(SigningDomain.Block, chainId, blockHash)),
});

function collector() {
  const finals: FinalityCertificate[] = [];
  const disagreements: FinalityDisagreement[] = [];
  const invalid: string[] = [];
  const conflicts: FinalityConflict[] = [];
  const c = new FinalityCollector(committee, chainId, {
    onFinal: (cert) => finals.push(cert),
    onDisagreement: (d) => disagreements.push(d),
    onConflict: (conflict) => conflicts.push(conflict),
    onInvalid: (r) => invalid.push(r),
  });
  return { c, finals, disagreements, invalid, conflicts };
}

describe("FinalityCollector", () => {
  it("reports a conflict once when a quorum certifies another hash than the local one", () => {
    const { c, finals, conflicts, disagreements } = collector();
    c.executed(1, hashOf(1, 1));
    c.add(signature(0, 1));
    c.add(signature(1, 1));
    assert.equal(conflicts.length, 0, "two signers are not a quorum");
    assert.equal(disagreements.length, 2);
    c.add(signature(2, 1));
    assert.equal(conflicts.length, 1);
    assert.deepEqual(conflicts[0], { height: 1, localHash: hashOf(1, 1), certifiedHash: hashOf(1) });
    c.add(signature(3, 1));
    assert.equal(conflicts.length, 1, "reported once");
    assert.equal(finals.length, 0, "the local hash is never final");
  });

  it("settles a height certified elsewhere: no certificate of its own, and later heights can finalise past it", () => {
    const { c, finals } = collector();
    c.executed(1, hashOf(1));
    c.settle(1);
    for (const signer of [0, 1, 2]) c.add(signature(signer, 1));
    assert.equal(finals.length, 0, "already settled");
    c.executed(2, hashOf(2));
    for (const signer of [0, 1, 2]) c.add(signature(signer, 2));
    assert.deepEqual(
      finals.map((f) => f.height),
      [2],
    );
  });

  it("reports a conflict found when the local block arrives after the quorum's signatures", () => {
    const { c, conflicts } = collector();
    for (const signer of [0, 1, 2]) c.add(signature(signer, 1));
    c.executed(1, hashOf(1, 1));
    assert.equal(conflicts.length, 1);
  });

  it("finalises with a quorum of stake on the local hash, signers in index order", () => {
    const { c, finals } = collector();
    c.add(signature(3, 1));
    c.add(signature(1, 1));
    assert.equal(finals.length, 0, "signatures wait for the local block");
    c.executed(1, hashOf(1));
    assert.equal(finals.length, 0, "2 of 4 is not a quorum");
    c.add(signature(0, 1));
    assert.equal(finals.length, 1);
    assert.deepEqual(finals[0]!.signers.getTrueBitIndexes(), [0, 1, 3]);
    c.add(signature(2, 1));
    assert.equal(finals.length, 1, "a block is final once");
  });

  it("reports a validator that signed another header, naming both hashes", () => {
    const { c, finals, disagreements } = collector();
    c.executed(1, hashOf(1));
    c.add(signature(2, 1, hashOf(1, 1)));
    assert.equal(disagreements.length, 1);
    assert.deepEqual(disagreements[0]!.peerHash, hashOf(1, 1));
    assert.deepEqual(disagreements[0]!.localHash, hashOf(1));
    c.add(signature(0, 1));
    c.add(signature(1, 1));
    assert.equal(finals.length, 0, "the disagreeing signature does not count");
    c.add(signature(3, 1));
    assert.equal(finals.length, 1);
  });

  it("drops bad signatures, unknown signers and far-future heights", () => {
    const { c, invalid } = collector();
    c.executed(1, hashOf(1));
    const forged = { ...signature(1, 1), signer: 2 };
    c.add(forged);
    c.add({ ...signature(1, 1), signer: 9 });
    c.add(signature(1, 2 + MAX_FUTURE_HEIGHTS));
    assert.deepEqual(invalid, ["bad signature", "unknown signer", "height too far ahead"]);
  });
});
