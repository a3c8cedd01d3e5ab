import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { sha256 } from "../../src/crypto/hash.js";
import { EMPTY_STATE_ROOT, StateTree, verifyStateProof } from "../../src/state/stateTree.js";
import { toHex, utf8 } from "../../src/util/bytes.js";

const key = (i: number) => utf8(`account-${i}`);
const value = (i: number, v: number) => sha256(utf8(`${i}:${v}`));

/**
 * The root as StateTree's comment defines it, written out with node:crypto so the tree under test is
 * not its own reference: bucket = first 16 bits of SHA-256(key); bucket hash = SHA-256(0x02 ‖ per
 * entry in key order: u32 BE key length ‖ key ‖ u32 BE value length ‖ value); node = SHA-256(0x01 ‖
 * left ‖ right) over 16 levels, a missing subtree counting as the root of an empty one.
 */
function referenceRoot(entries: readonly { key: Uint8Array; value: Uint8Array }[]): string {
  const sha = (...parts: Uint8Array[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const byBucket = new Map<number, { key: Uint8Array; value: Uint8Array }[]>();
  for (const e of entries) {
    const bucket = sha(e.key).readUInt16BE(0);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), e]);
  }
  let level = new Map<number, Buffer>();
  for (const [bucket, list] of byBucket) {
    const sorted = [...list].sort((a, b) => Buffer.compare(a.key, b.key));
    const parts = sorted.flatMap((e) => [u32(e.key.length), e.key, u32(e.value.length), e.value]);
    level.set(bucket, sha(Buffer.from([0x02]), ...parts));
  }
  let empty = sha(Buffer.from([0x02]));
  for (let h = 0; h < 16; h++) {
    const up = new Map<number, Buffer>();
    for (const i of level.keys()) {
      const p = i >> 1;
      up.set(p, sha(Buffer.from([0x01]), level.get(2 * p) ?? empty, level.get(2 * p + 1) ?? empty));
    }
    empty = sha(Buffer.from([0x01]), empty, empty);
    level = up;
  }
  return toHex(level.get(0) ?? empty);
}

describe("StateTree", () => {
  it("computes the documented root, empty or not", () => {
    assert.equal(toHex(EMPTY_STATE_ROOT), referenceRoot([]));
    const t = new StateTree();
    const entries: { key: Uint8Array; value: Uint8Array }[] = [];
    // 2000 keys put 26 into a bucket already holding one, so buckets of several entries are covered.
    for (let i = 0; i < 2000; i++) {
      entries.push({ key: key(i), value: value(i, 0) });
      t.set(key(i), value(i, 0));
      if (i === 0 || i === 2 || i === 1999)
        assert.equal(toHex(t.root()), referenceRoot(entries), `${i + 1} keys`);
    }
  });

  it("starts at the empty root and returns to it when emptied", () => {
    const t = new StateTree();
    assert.deepEqual(t.root(), EMPTY_STATE_ROOT);
    t.set(key(1), value(1, 1));
    assert.notDeepEqual(t.root(), EMPTY_STATE_ROOT);
    t.set(key(1), undefined);
    assert.deepEqual(t.root(), EMPTY_STATE_ROOT);
  });

  it("has a root that depends on the contents only, not on the order of writes", () => {
    const a = new StateTree();
    const b = new StateTree();
    for (let i = 0; i < 500; i++) a.set(key(i), value(i, 0));
    for (let i = 499; i >= 0; i--) b.set(key(i), value(i, 7));
    b.root();
    for (let i = 0; i < 500; i++) b.set(key(i), value(i, 0));
    b.set(key(1000), value(1000, 0));
    b.set(key(1000), undefined);
    assert.equal(toHex(a.root()), toHex(b.root()));
    a.set(key(3), value(3, 1));
    assert.notEqual(toHex(a.root()), toHex(b.root()));
  });

  it("proves present and absent keys, and rejects tampered proofs", () => {
    const t = new StateTree();
    for (let i = 0; i < 200; i++) t.set(key(i), value(i, 0));
    const root = t.root();
    for (const i of [0, 17, 199])
      assert.deepEqual(verifyStateProof(root, key(i), t.proof(key(i))), value(i, 0));
    assert.equal(verifyStateProof(root, key(5000), t.proof(key(5000))), null, "absence");

    const proof = t.proof(key(17));
    assert.equal(verifyStateProof(root, key(18), proof), undefined, "proof of another bucket");
    const forged = { ...proof, entries: proof.entries.map((e) => ({ key: e.key, value: value(0, 9) })) };
    assert.equal(verifyStateProof(root, key(17), forged), undefined, "changed value");
    const dropped = { ...proof, entries: proof.entries.filter((e) => toHex(e.key) !== toHex(key(17))) };
    assert.equal(verifyStateProof(root, key(17), dropped), undefined, "hiding the key");
    const sibling = { ...proof, siblings: proof.siblings.map((s, i) => (i === 5 ? value(1, 1) : s)) };
    assert.equal(verifyStateProof(root, key(17), sibling), undefined, "changed sibling");
    assert.equal(verifyStateProof(root, key(17), { ...proof, siblings: proof.siblings.slice(1) }), undefined);
    assert.equal(verifyStateProof(root, key(17), null as never), undefined);
  });
});
