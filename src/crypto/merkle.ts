import { bytesEqual } from "../util/bytes.js";
import { CryptoError, CryptoErrorCode } from "./errors.js";
import { sha256, sha256Concat } from "./hash.js";

/**
 * Binary Merkle trees as RFC 9162 (Certificate Transparency v2) defines them. Their two
 * domain-separated hashes, leaf = SHA-256(0x00 ‖ bytes) and node = SHA-256(0x01 ‖ left ‖ right), are
 * the only Merkle hashes of the chain: the MMR and the state tree (whose leaves are bucket hashes,
 * prefix 0x02) build on them. A tree of n leaves splits at the largest power of two below n, so no
 * leaf is ever duplicated (the Bitcoin duplicate-leaf ambiguity cannot arise). The empty tree's
 * root is SHA-256("").
 */

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);
const DIGEST_BYTES = 32;
/**
 * Scratch input of a node over two digests (0x01 ‖ left ‖ right), reused: a block's state roots hash
 * thousands of nodes, and filling one buffer is cheaper than allocating one per node.
 */
const NODE_INPUT = Buffer.alloc(1 + 2 * DIGEST_BYTES, NODE_PREFIX[0]);

export interface MerkleProof {
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes from the leaf's level upward. */
  siblings: Uint8Array[];
}

export function merkleLeafHash(leaf: Uint8Array): Uint8Array {
  return sha256Concat(LEAF_PREFIX, leaf);
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== DIGEST_BYTES || right.length !== DIGEST_BYTES) {
    return sha256Concat(NODE_PREFIX, left, right);
  }
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + DIGEST_BYTES);
  return sha256(NODE_INPUT);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOfHashes(hashes: Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return hashes[start]!;
  const k = largestPowerOfTwoBelow(n);
  return merkleNodeHash(rootOfHashes(hashes, start, start + k), rootOfHashes(hashes, start + k, end));
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  return rootOfHashes(leaves.map(merkleLeafHash), 0, leaves.length);
}

export function merkleProof(leaves: readonly Uint8Array[], leafIndex: number): MerkleProof {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= leaves.length) {
    throw new CryptoError(
      CryptoErrorCode.IndexOutOfRange,
      `leaf index ${leafIndex} is outside a tree of ${leaves.length} leaves`,
    );
  }
  const hashes = leaves.map(merkleLeafHash);
  const siblings: Uint8Array[] = [];
  let start = 0;
  let end = hashes.length;
  // Walk down from the root, collecting the subtree root opposite the leaf at each split.
  const path: Uint8Array[] = [];
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (leafIndex < start + k) {
      path.push(rootOfHashes(hashes, start + k, end));
      end = start + k;
    } else {
      path.push(rootOfHashes(hashes, start, start + k));
      start += k;
    }
  }
  for (let i = path.length - 1; i >= 0; i--) siblings.push(path[i]!);
  return { leafIndex, treeSize: leaves.length, siblings };
}

/** RFC 9162 section 2.1.3.2 inclusion verification. Never throws on malformed proofs: returns false. */
export function verifyMerkleProof(root: Uint8Array, leaf: Uint8Array, proof: MerkleProof): boolean {
  const { leafIndex, treeSize, siblings } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return false;
  if (leafIndex < 0 || leafIndex >= treeSize || !Array.isArray(siblings)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = merkleLeafHash(leaf);
  for (const p of siblings) {
    if (!(p instanceof Uint8Array) || p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}
