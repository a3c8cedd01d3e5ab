import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { publicKeyOf, sign } from "../../src/crypto/ed25519.js";
import { CryptoError } from "../../src/crypto/errors.js";
import { packVerifications, verifyPacked } from "../../src/crypto/verifyBatch.js";
import { MAX_CHECKS_PER_TASK, VerifyPool, VerifyPriority } from "../../src/crypto/verifyPool.js";

const secret = new Uint8Array(32).fill(5);
const publicKey = publicKeyOf(secret);

function signed(i: number) {
  const message = new Uint8Array(20 + (i % 7)).fill(i & 0xff);
  return { message, signature: sign(secret, message) };
}

describe("verifyPacked", () => {
  it("answers per item, and refuses a truncated batch", () => {
    const good = signed(1);
    const bad = signed(2);
    const tampered = new Uint8Array(bad.signature);
    tampered[10]! ^= 1;
    const packed = packVerifications([
      { publicKey, ...good },
      { publicKey, message: bad.message, signature: tampered },
      { publicKey: new Uint8Array(32).fill(0xff), ...good },
    ]);
    assert.deepEqual([...verifyPacked(packed)], [1, 0, 0]);
    assert.throws(() => verifyPacked(packed.subarray(0, packed.length - 1)), RangeError);
  });
});

describe("VerifyPool", () => {
  const pool = new VerifyPool(2);
  after(() => pool.close());

  it("verifies on worker threads, across many tasks and both priorities", async () => {
    const items = Array.from({ length: MAX_CHECKS_PER_TASK * 3 + 5 }, (_, i) => {
      const { message, signature } = signed(i);
      const valid = i % 3 !== 0;
      const sig = new Uint8Array(signature);
      if (!valid) sig[0]! ^= 1;
      return { message, sig, valid, priority: i % 2 === 0 ? VerifyPriority.Now : VerifyPriority.Early };
    });
    const results = await Promise.all(
      items.map((it) => pool.verify(publicKey, it.message, it.sig, it.priority)),
    );
    assert.deepEqual(
      results,
      items.map((it) => it.valid),
    );
  });

  it("rejects a key or signature of the wrong length with a typed error", async () => {
    const { message, signature } = signed(3);
    await assert.rejects(pool.verify(publicKey.subarray(1), message, signature), CryptoError);
    await assert.rejects(pool.verify(publicKey, message, signature.subarray(1)), CryptoError);
  });

  it("refuses work once closed", async () => {
    const closing = new VerifyPool(1);
    const { message, signature } = signed(4);
    assert.equal(await closing.verify(publicKey, message, signature), true);
    await closing.close();
    await assert.rejects(closing.verify(publicKey, message, signature), CryptoError);
  });
});
