import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256 } from "../../src/crypto/hash.js";
import { EMPTY_STATE_ROOT, StateTree, verifyStateProof } from "../../src/state/stateTree.js";
import { toHex, utf8 } from "../../src/util/bytes.js";

const key = (i: number) => utf8(`account-${i}`);
const value = (i: number, v: number) => sha256(utf8(`${i}:${v}`));

describe("StateTree", () => {
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
