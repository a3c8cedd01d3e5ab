import { bytesEqual, fromHex, toHex } from "../util/bytes.js";
import { CryptoError, CryptoErrorCode } from "./errors.js";
import { merkleLeafHash, merkleNodeHash } from "./merkle.js";

/**
 * The Merkle Mountain Range used across the MSEZ stack (SPEC "Receipt chains, MMR, anchoring"):
 * the binary Merkle tree's hashes (crypto/merkle.ts: leaf = SHA-256(0x00 ‖ leaf bytes), node =
 * SHA-256(0x01 ‖ left ‖ right)); appending merges equal-height peaks left to right; the root bags
 * the peaks from the rightmost leftward (bag = node(peak, bag)); an empty MMR has no root. Leaves
 * are 32-byte receipt digests.
 */

export const MMR_LEAF_LENGTH = 32;

export interface MmrPeak {
  height: number;
  hash: Uint8Array;
}

export interface MmrPathStep {
  /** Which side the sibling is on. */
  side: "left" | "right";
  hash: Uint8Array;
}

/** Inclusion proof: the sibling path from the leaf to its peak, plus every peak of the range. */
export interface MmrProof {
  /** Leaves in the range the proof is against. */
  size: number;
  leafIndex: number;
  /** Position of the leaf's peak among `peaks` (left to right). */
  peakIndex: number;
  peakHeight: number;
  path: MmrPathStep[];
  /** All peaks, left to right; the one at `peakIndex` is recomputed from the path when verifying. */
  peaks: MmrPeak[];
}

/** Proof that the range of `newSize` leaves extends the range of `oldSize` leaves unchanged. */
export interface MmrConsistencyProof {
  oldSize: number;
  newSize: number;
  oldPeaks: Uint8Array[];
  newPeaks: Uint8Array[];
  /** For each old peak, the sibling hashes that lift it to the new peak containing it (bottom up). */
  paths: Uint8Array[][];
}

/** The Merkle tree's leaf and node hashes, under the names the MMR's users (the SDK) know. */
export const mmrLeafHash = merkleLeafHash;
export const mmrNodeHash = merkleNodeHash;

/** Bag peaks right to left: bag = last peak, then bag = node(peak, bag) for each peak leftward. */
export function bagPeaks(peaks: readonly Uint8Array[]): Uint8Array | undefined {
  let bag = peaks.at(-1);
  for (let i = peaks.length - 2; i >= 0; i--) bag = mmrNodeHash(peaks[i]!, bag!);
  return bag;
}

interface PeakSpan {
  height: number;
  /** First leaf index under this peak. */
  start: number;
}

/** The peaks of a range of `size` leaves, left to right: one per set bit of size, highest first. */
export function peakPlan(size: number): PeakSpan[] {
  const spans: PeakSpan[] = [];
  let start = 0;
  for (let height = 52; height >= 0; height--) {
    const count = 2 ** height;
    if (Math.floor(size / count) % 2 === 1) {
      spans.push({ height, start });
      start += count;
    }
  }
  return spans;
}

function assertLeaf(leaf: Uint8Array): void {
  if (!(leaf instanceof Uint8Array) || leaf.length !== MMR_LEAF_LENGTH) {
    throw new CryptoError(
      CryptoErrorCode.InvalidDigestLength,
      `an MMR leaf is a ${MMR_LEAF_LENGTH}-byte receipt digest, got ${leaf instanceof Uint8Array ? `${leaf.length} bytes` : typeof leaf}`,
    );
  }
}

function isDigest(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === 32;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** An append-only MMR that keeps every complete subtree root, so it can prove any leaf. */
export class Mmr {
  /** levels[h][i] = root of the complete subtree over leaves [i·2^h, (i+1)·2^h). */
  private readonly levels: Uint8Array[][] = [[]];

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Appends a 32-byte leaf and returns its index. */
  append(leaf: Uint8Array): number {
    assertLeaf(leaf);
    const index = this.size;
    let hash = mmrLeafHash(leaf);
    let height = 0;
    let position = index;
    for (;;) {
      const level = this.levels[height] ?? [];
      this.levels[height] = level;
      level.push(hash);
      if (position % 2 === 0) break;
      hash = mmrNodeHash(level[position - 1]!, hash);
      height += 1;
      position = Math.floor(position / 2);
    }
    return index;
  }

  /** Peaks of the first `size` leaves (default: all), left to right. */
  peaks(size = this.size): MmrPeak[] {
    this.assertSize(size);
    return peakPlan(size).map(({ height, start }) => ({ height, hash: this.node(height, start) }));
  }

  root(size = this.size): Uint8Array | undefined {
    return bagPeaks(this.peaks(size).map((p) => p.hash));
  }

  /** Inclusion proof of leaf `leafIndex` against the range of the first `size` leaves (default: all). */
  proof(leafIndex: number, size = this.size): MmrProof {
    this.assertSize(size);
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= size) {
      throw new CryptoError(
        CryptoErrorCode.IndexOutOfRange,
        `leaf index ${leafIndex} is outside an MMR of ${size} leaves`,
      );
    }
    const plan = peakPlan(size);
    const peakIndex = plan.findIndex((s) => leafIndex < s.start + 2 ** s.height);
    const { height: peakHeight } = plan[peakIndex]!;
    const path: MmrPathStep[] = [];
    for (let h = 0; h < peakHeight; h++) {
      const position = Math.floor(leafIndex / 2 ** h);
      const sibling = position ^ 1;
      path.push({ side: sibling < position ? "left" : "right", hash: this.levels[h]![sibling]! });
    }
    return { size, leafIndex, peakIndex, peakHeight, path, peaks: this.peaks(size) };
  }

  /** Proof that the current range (or the first `newSize` leaves) extends the first `oldSize` leaves. */
  consistencyProof(oldSize: number, newSize = this.size): MmrConsistencyProof {
    this.assertSize(newSize);
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
      throw new CryptoError(
        CryptoErrorCode.IndexOutOfRange,
        `old size ${oldSize} must be between 1 and the new size ${newSize}`,
      );
    }
    const newPlan = peakPlan(newSize);
    const paths = peakPlan(oldSize).map(({ height, start }) => {
      const container = newPlan.find((s) => start < s.start + 2 ** s.height)!;
      const path: Uint8Array[] = [];
      for (let h = height; h < container.height; h++) {
        const position = Math.floor(start / 2 ** h);
        path.push(this.levels[h]![position ^ 1]!);
      }
      return path;
    });
    return {
      oldSize,
      newSize,
      oldPeaks: this.peaks(oldSize).map((p) => p.hash),
      newPeaks: this.peaks(newSize).map((p) => p.hash),
      paths,
    };
  }

  private node(height: number, start: number): Uint8Array {
    return this.levels[height]![start / 2 ** height]!;
  }

  private assertSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new CryptoError(
        CryptoErrorCode.IndexOutOfRange,
        `size ${size} is outside this MMR of ${this.size} leaves`,
      );
    }
  }
}

/** Verifies an inclusion proof. Never throws on a malformed proof: it returns false. */
export function verifyMmrProof(root: Uint8Array, leaf: Uint8Array, proof: MmrProof): boolean {
  if (!isDigest(root) || !isDigest(leaf) || typeof proof !== "object" || proof === null) return false;
  const { size, leafIndex, peakIndex, peakHeight, path, peaks } = proof;
  if (!isCount(size) || !isCount(leafIndex) || leafIndex >= size) return false;
  if (!Array.isArray(path) || !Array.isArray(peaks)) return false;
  const plan = peakPlan(size);
  if (peaks.length !== plan.length) return false;
  for (let i = 0; i < plan.length; i++) {
    const peak = peaks[i];
    if (!peak || peak.height !== plan[i]!.height || !isDigest(peak.hash)) return false;
  }
  const expectedPeak = plan.findIndex((s) => leafIndex < s.start + 2 ** s.height);
  if (peakIndex !== expectedPeak || peakHeight !== plan[expectedPeak]!.height) return false;
  if (path.length !== peakHeight) return false;

  let hash = mmrLeafHash(leaf);
  for (let h = 0; h < path.length; h++) {
    const step = path[h]!;
    if (!step || !isDigest(step.hash)) return false;
    const position = Math.floor(leafIndex / 2 ** h);
    // The side is fixed by the leaf's position; a proof that disagrees claims another position.
    const expectedSide = position % 2 === 1 ? "left" : "right";
    if (step.side !== expectedSide) return false;
    hash = step.side === "left" ? mmrNodeHash(step.hash, hash) : mmrNodeHash(hash, step.hash);
  }
  const hashes = peaks.map((p) => p.hash);
  hashes[peakIndex] = hash;
  return bytesEqual(bagPeaks(hashes)!, root);
}

/** Verifies that `newRoot` commits to the leaves under `oldRoot`, unchanged and in place, plus more. */
export function verifyMmrConsistency(
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: MmrConsistencyProof,
): boolean {
  if (!isDigest(oldRoot) || !isDigest(newRoot) || typeof proof !== "object" || proof === null) return false;
  const { oldSize, newSize, oldPeaks, newPeaks, paths } = proof;
  if (!isCount(oldSize) || !isCount(newSize) || oldSize < 1 || oldSize > newSize) return false;
  if (!Array.isArray(oldPeaks) || !Array.isArray(newPeaks) || !Array.isArray(paths)) return false;
  const oldPlan = peakPlan(oldSize);
  const newPlan = peakPlan(newSize);
  if (oldPeaks.length !== oldPlan.length || newPeaks.length !== newPlan.length) return false;
  if (paths.length !== oldPlan.length) return false;
  if (!oldPeaks.every(isDigest) || !newPeaks.every(isDigest)) return false;
  if (!bytesEqual(bagPeaks(oldPeaks)!, oldRoot) || !bytesEqual(bagPeaks(newPeaks)!, newRoot)) return false;

  for (let i = 0; i < oldPlan.length; i++) {
    const { height, start } = oldPlan[i]!;
    const containerIndex = newPlan.findIndex((s) => start < s.start + 2 ** s.height);
    const container = newPlan[containerIndex]!;
    const path = paths[i];
    if (!Array.isArray(path) || path.length !== container.height - height) return false;
    let hash = oldPeaks[i]!;
    for (let h = height; h < container.height; h++) {
      const sibling = path[h - height];
      if (!isDigest(sibling)) return false;
      const position = Math.floor(start / 2 ** h);
      hash = position % 2 === 1 ? mmrNodeHash(sibling, hash) : mmrNodeHash(hash, sibling);
    }
    if (!bytesEqual(hash, newPeaks[containerIndex]!)) return false;
  }
  return true;
}

/** The MSEZ reference JSON form of an inclusion proof (snake_case keys, bare lowercase hex). */
export interface MmrProofJson {
  size: number;
  root: string;
  leaf_index: number;
  receipt_next_root: string;
  leaf_hash: string;
  peak_index: number;
  peak_height: number;
  path: { side: "left" | "right"; hash: string }[];
  peaks: { height: number; hash: string }[];
}

const bareHex = (bytes: Uint8Array): string => toHex(bytes).slice(2);

export function mmrProofToJson(root: Uint8Array, leaf: Uint8Array, proof: MmrProof): MmrProofJson {
  return {
    size: proof.size,
    root: bareHex(root),
    leaf_index: proof.leafIndex,
    receipt_next_root: bareHex(leaf),
    leaf_hash: bareHex(mmrLeafHash(leaf)),
    peak_index: proof.peakIndex,
    peak_height: proof.peakHeight,
    path: proof.path.map((s) => ({ side: s.side, hash: bareHex(s.hash) })),
    peaks: proof.peaks.map((p) => ({ height: p.height, hash: bareHex(p.hash) })),
  };
}

/** Parses the MSEZ JSON form; throws a typed error on malformed hex. Check it with verifyMmrProof. */
export function mmrProofFromJson(json: MmrProofJson): {
  root: Uint8Array;
  leaf: Uint8Array;
  proof: MmrProof;
} {
  const digest = (hex: string) => fromHex(`0x${String(hex).trim().toLowerCase()}`, 32);
  const leaf = digest(json.receipt_next_root);
  if (json.leaf_hash !== undefined && !bytesEqual(digest(json.leaf_hash), mmrLeafHash(leaf))) {
    throw new CryptoError(CryptoErrorCode.InvalidProof, "leaf_hash does not match receipt_next_root");
  }
  return {
    root: digest(json.root),
    leaf,
    proof: {
      size: json.size,
      leafIndex: json.leaf_index,
      peakIndex: json.peak_index,
      peakHeight: json.peak_height,
      path: json.path.map((s) => ({ side: s.side, hash: digest(s.hash) })),
      peaks: json.peaks.map((p) => ({ height: p.height, hash: digest(p.hash) })),
    },
  };
}
