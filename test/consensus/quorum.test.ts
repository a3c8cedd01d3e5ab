import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { QuorumFaultCode, quorumFault } from "../../src/consensus/quorum.js";
import { ed25519Verifier, type SignatureVerifier } from "../../src/consensus/verifier.js";
import { sign } from "../../src/crypto/ed25519.js";
import { committee, secrets } from "../helpers/signingCommittee.js";

const message = new Uint8Array([1, 2, 3]);

function signedBy(members: number[], bits = committee.size) {
  return {
    signers: BitArray.fromBoolArray(Array.from({ length: bits }, (_, i) => members.includes(i))),
    signatures: members.map((m) => sign(secrets[m]!, message)),
  };
}

describe("quorumFault", () => {
  it("accepts valid signatures of a quorum of stake", () => {
    assert.equal(quorumFault(committee, message, signedBy([0, 1, 3]), ed25519Verifier), null);
  });

  it("rejects a bitmap that is not one bit per member", () => {
    assert.deepEqual(quorumFault(committee, message, signedBy([0, 1, 2], 8), ed25519Verifier), {
      code: QuorumFaultCode.BitmapSize,
      bits: 8,
      committeeSize: 4,
    });
  });

  it("rejects a signature count that differs from the signer count", () => {
    const signed = signedBy([0, 1, 2]);
    assert.deepEqual(
      quorumFault(committee, message, { ...signed, signatures: signed.signatures.slice(1) }, ed25519Verifier),
      { code: QuorumFaultCode.SignatureCount, signers: 3, signatures: 2 },
    );
  });

  it("rejects signers below the quorum without verifying a signature", () => {
    let verified = 0;
    const counting: SignatureVerifier = {
      verify: (...args) => {
        verified++;
        return ed25519Verifier.verify(...args);
      },
    };
    // 4 members of stake 100: the quorum is floor(2 * 400 / 3) + 1 = 267, two members hold 200.
    assert.deepEqual(quorumFault(committee, message, signedBy([0, 1]), counting), {
      code: QuorumFaultCode.BelowQuorum,
      stake: 200,
      quorum: 267,
    });
    assert.equal(verified, 0);
  });

  it("names the first signer whose signature does not verify", () => {
    const signed = signedBy([0, 2, 3]);
    const signatures = [...signed.signatures];
    signatures[1] = sign(secrets[2]!, new Uint8Array([9]));
    assert.deepEqual(quorumFault(committee, message, { ...signed, signatures }, ed25519Verifier), {
      code: QuorumFaultCode.BadSignature,
      signer: 2,
    });
  });
});
