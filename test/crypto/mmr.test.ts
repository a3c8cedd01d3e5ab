import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CryptoErrorCode } from "../../src/crypto/errors.js";
import { sha256 } from "../../src/crypto/hash.js";
import {
  Mmr,
  type MmrProof,
  mmrProofFromJson,
  mmrProofToJson,
  verifyMmrConsistency,
  verifyMmrProof,
} from "../../src/crypto/mmr.js";
import { toHex } from "../../src/util/bytes.js";

// Leaves SHA-256(byte i); roots computed by an independent implementation of SPEC's definition.
const leaves = Array.from({ length: 20 }, (_, i) => sha256(new Uint8Array([i])));
const REFERENCE_ROOTS: Record<number, string> = {
  1: "d9de27625445003d8a9739a851e3ff8d41c0683630b4d63a88327a6aaa37c409",
  2: "604d540f09268b91672ab011394d5266ccd7d4484d0d109411a55848126a1b2c",
  3: "d1f13800048f5909d4043fc0c152f6643280cba608b672715e56ce159a20629f",
  4: "0dcc2b645c00dfa2338e1c7ac2c4b570beda5a476d58836e55e28bde55e6bee1",
  5: "6b313b611b40676b9e1dfd70c4503f2379f88f0f1c2740fb7e1cacc32c113465",
  7: "bee2275db16667589a4515f63e0d053a2fa602c1d9f9703e98920a5bdad59baf",
  8: "80e139b44c90f91edebec705cc7586c3d90f4bdadd49628d25c20d4b03419287",
  11: "ed1d954562b2a1663d5a2630ffaf20dc151d543c96bd785369c8ab3e3fc3df6c",
  16: "cc6e692ad24b6d105fa005c1028345bd7fd47c0221444ae3e6b9aa3708cacfc2",
  19: "26a1cc3f84bc40de26337187695fa1f5bf5f65ee6a898acd8b71d5348c9749f1",
};

function build(n: number): Mmr {
  const mmr = new Mmr();
  for (let i = 0; i < n; i++) assert.equal(mmr.append(leaves[i]!), i);
  return mmr;
}

describe("MMR", () => {
  it("has no root when empty", () => {
    const mmr = new Mmr();
    assert.equal(mmr.size, 0);
    assert.equal(mmr.root(), undefined);
  });

  it("matches the reference roots", () => {
    for (const [n, hex] of Object.entries(REFERENCE_ROOTS)) {
      assert.equal(toHex(build(Number(n)).root()!), `0x${hex}`, `size ${n}`);
    }
  });

  it("gives historical roots for any earlier size", () => {
    const mmr = build(19);
    for (const [n, hex] of Object.entries(REFERENCE_ROOTS))
      assert.equal(toHex(mmr.root(Number(n))!), `0x${hex}`);
  });

  it("proves every leaf of every size from 1 to 20", () => {
    const mmr = build(20);
    for (let size = 1; size <= 20; size++) {
      const root = mmr.root(size)!;
      for (let i = 0; i < size; i++) {
        assert.equal(verifyMmrProof(root, leaves[i]!, mmr.proof(i, size)), true, `leaf ${i} of ${size}`);
      }
    }
  });

  it("rejects tampered leaves, paths, peaks, positions and roots", () => {
    const mmr = build(11);
    const root = mmr.root()!;
    const proof = mmr.proof(5);
    const flip = (b: Uint8Array) => {
      const c = b.slice();
      c[0]! ^= 1;
      return c;
    };
    assert.equal(verifyMmrProof(root, leaves[6]!, proof), false, "other leaf");
    assert.equal(verifyMmrProof(flip(root), leaves[5]!, proof), false, "other root");
    const badPath: MmrProof = {
      ...proof,
      path: proof.path.map((s, i) => (i === 1 ? { ...s, hash: flip(s.hash) } : s)),
    };
    assert.equal(verifyMmrProof(root, leaves[5]!, badPath), false, "path hash");
    const badSide: MmrProof = {
      ...proof,
      path: proof.path.map((s, i) => (i === 0 ? { ...s, side: s.side === "left" ? "right" : "left" } : s)),
    };
    assert.equal(verifyMmrProof(root, leaves[5]!, badSide), false, "side");
    const badPeak: MmrProof = {
      ...proof,
      peaks: proof.peaks.map((p, i) => (i === 2 ? { ...p, hash: flip(p.hash) } : p)),
    };
    assert.equal(verifyMmrProof(root, leaves[5]!, badPeak), false, "other peak");
    assert.equal(verifyMmrProof(root, leaves[5]!, { ...proof, leafIndex: 4 }), false, "index");
    assert.equal(verifyMmrProof(root, leaves[5]!, { ...proof, size: 12 }), false, "size");
    assert.equal(
      verifyMmrProof(root, leaves[5]!, { ...proof, path: proof.path.slice(1) }),
      false,
      "short path",
    );
    assert.equal(verifyMmrProof(root, leaves[5]!, null as unknown as MmrProof), false, "null proof");
  });

  it("round-trips the MSEZ JSON proof form", () => {
    const mmr = build(11);
    const root = mmr.root()!;
    const json = mmrProofToJson(root, leaves[9]!, mmr.proof(9));
    assert.equal(json.root, REFERENCE_ROOTS[11]);
    assert.equal(json.peak_index, 1);
    assert.equal(json.peak_height, 1);
    assert.deepEqual(
      json.peaks.map((p) => p.height),
      [3, 1, 0],
    );
    const parsed = mmrProofFromJson(JSON.parse(JSON.stringify(json)));
    assert.equal(verifyMmrProof(parsed.root, parsed.leaf, parsed.proof), true);
  });

  it("rejects leaves that are not 32 bytes and out-of-range indices", () => {
    const mmr = build(3);
    assert.throws(() => mmr.append(new Uint8Array(31)), { code: CryptoErrorCode.InvalidDigestLength });
    assert.throws(() => mmr.proof(3), { code: CryptoErrorCode.IndexOutOfRange });
    assert.throws(() => mmr.proof(-1), { code: CryptoErrorCode.IndexOutOfRange });
  });

  it("proves that a newer root extends an older one", () => {
    const mmr = build(20);
    for (let oldSize = 1; oldSize <= 20; oldSize++) {
      for (const newSize of [oldSize, oldSize + 1, 20]) {
        if (newSize > 20) continue;
        const proof = mmr.consistencyProof(oldSize, newSize);
        assert.equal(
          verifyMmrConsistency(mmr.root(oldSize)!, mmr.root(newSize)!, proof),
          true,
          `${oldSize}→${newSize}`,
        );
      }
    }
  });

  it("rejects a newer root that rewrote history", () => {
    const honest = build(11);
    const forked = new Mmr();
    for (let i = 0; i < 11; i++) forked.append(i === 2 ? leaves[19]! : leaves[i]!);
    const proof = forked.consistencyProof(7);
    // The forked proof is internally consistent but its old peaks do not bag to the honest old root.
    assert.equal(verifyMmrConsistency(honest.root(7)!, forked.root()!, proof), false);
    const honestProof = honest.consistencyProof(7);
    assert.equal(verifyMmrConsistency(honest.root(7)!, forked.root()!, honestProof), false);
    const tampered = { ...honestProof, paths: honestProof.paths.map((p) => p.map((h) => h.slice().fill(7))) };
    assert.equal(verifyMmrConsistency(honest.root(7)!, honest.root()!, tampered), false);
  });
});
