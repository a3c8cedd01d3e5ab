import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { CorridorReceiptJson, CorridorReceiptProofJson } from "../../src/rpc/corridorJson.js";
import { CorridorReceipt } from "../../src/types/corridor.js";

/**
 * An independent client's checks of a corridor receipt (docs/rpc.md, "Verifying a corridor
 * receipt"): SHA-256 from node:crypto and the SSZ encoding of the receipt only, none of the node's
 * Merkle or MMR code. Shared by the RPC test and the devnet test.
 */

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};
export const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/^0x/, ""), "hex");
export const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString("hex")}`;
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);
export const leafHash = (leaf: Uint8Array) => sha256(LEAF, leaf);
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(NODE, left, right);

/** The receipt's SSZ value, rebuilt from its JSON (every field), and its digest = SHA-256(SSZ). */
export function receiptDigest(json: CorridorReceiptJson): Buffer {
  const value: CorridorReceipt = {
    sequence: Number(json.sequence),
    previous: bytes(json.previous),
    kind: json.kindCode,
    transitId: bytes(json.transitId),
    sourceHarbor: Buffer.from(json.sourceHarbor, "latin1"),
    destinationHarbor: Buffer.from(json.destinationHarbor, "latin1"),
    asset: bytes(json.asset),
    amount: BigInt(json.amount),
    sender: bytes(json.sender),
    recipient: bytes(json.recipient),
    height: Number(json.height),
    state: json.stateCode,
    evidence: bytes(json.evidence),
  };
  return sha256(CorridorReceipt.serialize(value));
}

/**
 * MMR rules (src/crypto/mmr.ts): leaf = SHA-256(0x00 ‖ digest), node = SHA-256(0x01 ‖ l ‖ r); the
 * peaks are the complete subtrees for the set bits of size, highest first; the root bags them right
 * to left (bag = node(peak, bag)). Returns the root the proof implies for `digest`.
 */
export function mmrRootFromProof(
  digest: Uint8Array,
  proof: CorridorReceiptProofJson["mmr"]["proof"],
): Buffer {
  const { size, leaf_index: index, peak_index: peakIndex, peak_height: peakHeight } = proof;
  // The peak plan: heights of size's set bits, highest first, with each peak's first leaf.
  const plan: { height: number; start: number }[] = [];
  let start = 0;
  for (let h = 52; h >= 0; h--) {
    if (Math.floor(size / 2 ** h) % 2 === 1) {
      plan.push({ height: h, start });
      start += 2 ** h;
    }
  }
  assert.equal(proof.peaks.length, plan.length, "one peak per set bit of size");
  assert.deepEqual(
    proof.peaks.map((p) => p.height),
    plan.map((s) => s.height),
  );
  const expectedPeak = plan.findIndex((s) => index < s.start + 2 ** s.height);
  assert.equal(peakIndex, expectedPeak, "the leaf's peak");
  assert.equal(peakHeight, plan[expectedPeak]!.height);
  assert.equal(proof.path.length, peakHeight);
  let hash = leafHash(digest);
  proof.path.forEach((step, h) => {
    const position = Math.floor(index / 2 ** h);
    assert.equal(step.side, position % 2 === 1 ? "left" : "right", "the sibling's side follows the position");
    hash = step.side === "left" ? nodeHash(bytes(step.hash), hash) : nodeHash(hash, bytes(step.hash));
  });
  const peaks = proof.peaks.map((p) => bytes(p.hash));
  peaks[peakIndex] = hash;
  let bag = peaks.at(-1)!;
  for (let i = peaks.length - 2; i >= 0; i--) bag = nodeHash(peaks[i]!, bag);
  return bag;
}

/** The corridor's leaf in corridorRoot: SHA-256(utf8(id) ‖ 0x00 ‖ mmrRoot ‖ mmrSize as u64 LE). */
export function corridorLeaf(id: string, mmrRoot: Uint8Array, mmrSize: number): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(mmrSize));
  return sha256(Buffer.from(id, "utf8"), Buffer.from([0x00]), mmrRoot, size);
}

/** RFC 9162 section 2.1.3.2: the root an inclusion proof implies. */
export function rfc9162Root(leaf: Uint8Array, index: number, treeSize: number, siblings: Buffer[]): Buffer {
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(leaf);
  for (const p of siblings) {
    assert.ok(sn > 0, "no more siblings than levels");
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  assert.equal(sn, 0, "the path reaches the root");
  return r;
}
