import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KeyPair } from "../../src/node/keyFile.js";
import { toHex } from "../../src/util/bytes.js";
import { ChainHarness, ExecutionOutcome, FEE, sharedHome } from "../sharding/harness.js";

const PK = "pk-sifc";
const { home, rulePacks } = sharedHome();

describe("block selection of a sender that cannot pay", () => {
  let h: ChainHarness;
  before(async () => {
    h = await ChainHarness.open(home, rulePacks);
  });
  after(() => h.close());

  it("rejects the unpaid transaction and defers the sender's later nonces instead of losing them", async () => {
    const [alice, bob] = h.demos as [KeyPair, KeyPair];
    // Bob spends everything but one fee; the next transaction pays it, the one after cannot.
    const drain = h.transfer(bob, PK, alice.publicKey, h.balance(PK, bob.publicKey) - 2n * FEE);
    const last = h.transfer(bob, PK, alice.publicKey, 0n);
    const unpaid = h.transfer(bob, PK, alice.publicKey, 1n);
    const later = [h.transfer(bob, PK, alice.publicKey, 1n), h.transfer(bob, PK, alice.publicKey, 1n)];
    const block = await h.block([drain, last, unpaid, ...later].map((t) => t.bytes));
    assert.equal((await h.receipt(drain.hash))?.outcome, ExecutionOutcome.Success);
    assert.notEqual((await h.receipt(last.hash))?.outcome, ExecutionOutcome.Invalid, "it could pay its fee");
    const receipt = await h.receipt(unpaid.hash);
    assert.equal(receipt?.outcome, ExecutionOutcome.Invalid);
    assert.match(receipt!.reason, /fee/);
    assert.deepEqual(
      block.deferred,
      later.map((t) => toHex(t.hash)),
    );
    for (const t of later) assert.equal(await h.receipt(t.hash), undefined, "not executed, not lost");

    // Funded again, Bob signs the lost nonce anew (another amount: the rejected bytes are spent),
    // and the deferred ones execute after it.
    h.resetNonces();
    await h.block([h.transfer(h.faucet, PK, bob.publicKey, 1_000n).bytes]);
    const retry = h.transfer(bob, PK, alice.publicKey, 2n);
    await h.block([retry, ...later].map((t) => t.bytes));
    for (const t of [retry, ...later]) {
      assert.equal((await h.receipt(t.hash))?.outcome, ExecutionOutcome.Success);
    }
  });
});
