import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256 } from "../../src/crypto/hash.js";
import {
  merkleLeafHash,
  merkleNodeHash,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
} from "../../src/crypto/merkle.js";
import { toHex, utf8 } from "../../src/util/bytes.js";

const leaves = Array.from({ length: 17 }, (_, i) => utf8(`leaf-${i}`));

describe("binary Merkle tree (RFC 9162)", () => {
  it("hashes the empty tree, one leaf and an unbalanced tree as RFC 9162 defines", () => {
    assert.equal(toHex(merkleRoot([])), toHex(sha256(new Uint8Array(0))));
    assert.equal(toHex(merkleRoot([leaves[0]!])), toHex(merkleLeafHash(leaves[0]!)));
    const [a, b, c] = leaves.slice(0, 3).map(merkleLeafHash) as [Uint8Array, Uint8Array, Uint8Array];
    assert.equal(toHex(merkleRoot(leaves.slice(0, 3))), toHex(merkleNodeHash(merkleNodeHash(a, b), c)));
  });

  it("proves every leaf of every tree size", () => {
    for (let n = 1; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) assert.equal(verifyMerkleProof(root, tree[i]!, merkleProof(tree, i)), true);
    }
  });

  it("rejects tampered proofs", () => {
    const root = merkleRoot(leaves);
    const proof = merkleProof(leaves, 6);
    assert.equal(verifyMerkleProof(root, leaves[7]!, proof), false);
    assert.equal(verifyMerkleProof(root, leaves[6]!, { ...proof, leafIndex: 7 }), false);
    assert.equal(verifyMerkleProof(root, leaves[6]!, { ...proof, treeSize: 16 }), false);
    assert.equal(verifyMerkleProof(root, leaves[6]!, { ...proof, siblings: proof.siblings.slice(1) }), false);
    const bad = proof.siblings.map((s) => s.slice());
    bad[0]![0]! ^= 1;
    assert.equal(verifyMerkleProof(root, leaves[6]!, { ...proof, siblings: bad }), false);
  });
});
