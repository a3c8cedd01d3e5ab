import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { merkleNodeHash, merkleProof, merkleRoot, verifyMerkleProof } from "../../src/crypto/merkle.js";
import { fromHex, toHex, utf8 } from "../../src/util/bytes.js";

const leaves = Array.from({ length: 17 }, (_, i) => utf8(`leaf-${i}`));

/**
 * The test vectors of Certificate Transparency's reference implementation (RFC 6962, whose tree
 * hash RFC 9162 keeps): eight leaves and the root of each prefix of them, and audit paths. They were
 * checked once against a separate Python hashlib implementation of RFC 9162 section 2.1.1.
 */
const CT_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const CT_PATHS = [
  {
    leafIndex: 0,
    treeSize: 8,
    siblings: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    leafIndex: 5,
    treeSize: 8,
    siblings: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    leafIndex: 2,
    treeSize: 3,
    siblings: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
  },
];
const ctLeaves = CT_LEAVES.map((h) => fromHex(`0x${h}`));

/** RFC 9162 section 2.1.1's MTH, written out here so the tree under test is not its own reference. */
function referenceRoot(d: readonly Uint8Array[]): Buffer {
  const sha = (...parts: Uint8Array[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0x00]), d[0]!);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha(Buffer.from([0x01]), referenceRoot(d.slice(0, k)), referenceRoot(d.slice(k)));
}

describe("binary Merkle tree (RFC 9162)", () => {
  it("computes Certificate Transparency's reference roots", () => {
    CT_ROOTS.forEach((root, n) => {
      assert.equal(toHex(merkleRoot(ctLeaves.slice(0, n))), `0x${root}`, `${n} leaves`);
    });
  });

  it("computes RFC 9162's tree hash for every size up to 17", () => {
    for (let n = 0; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      assert.equal(toHex(merkleRoot(tree)), toHex(referenceRoot(tree)), `${n} leaves`);
    }
  });

  it("hashes a node as SHA-256(0x01 ‖ left ‖ right), digests or not", () => {
    const sha = (...parts: Uint8Array[]) => toHex(createHash("sha256").update(Buffer.concat(parts)).digest());
    const left = referenceRoot(leaves.slice(0, 1));
    const right = referenceRoot(leaves.slice(1, 2));
    const prefix = Buffer.from([0x01]);
    assert.equal(toHex(merkleNodeHash(left, right)), sha(prefix, left, right));
    assert.equal(
      toHex(merkleNodeHash(right, left)),
      sha(prefix, right, left),
      "the reused buffer is refilled",
    );
    assert.equal(toHex(merkleNodeHash(leaves[0]!, left)), sha(prefix, leaves[0]!, left));
  });

  it("builds and accepts Certificate Transparency's reference audit paths", () => {
    for (const { leafIndex, treeSize, siblings } of CT_PATHS) {
      const tree = ctLeaves.slice(0, treeSize);
      const proof = merkleProof(tree, leafIndex);
      assert.deepEqual(
        proof.siblings.map((s) => toHex(s)),
        siblings.map((s) => `0x${s}`),
      );
      const reference = { leafIndex, treeSize, siblings: siblings.map((s) => fromHex(`0x${s}`)) };
      const root = fromHex(`0x${CT_ROOTS[treeSize]!}`);
      assert.equal(verifyMerkleProof(root, tree[leafIndex]!, reference), true);
    }
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
