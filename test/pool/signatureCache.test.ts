import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPair } from "../../src/node/keyFile.js";
import { TxSignatureCache } from "../../src/pool/signatureCache.js";
import { txHashOfBytes, txSigningMessage, txSigningMessageOfBytes } from "../../src/types/signing.js";
import { SignedTransaction } from "../../src/types/transaction.js";
import { toHex } from "../../src/util/bytes.js";
import { decodeTx } from "../../src/vm/tx/validity.js";
import { signedTransfer } from "../helpers/cluster.js";

const key = generateKeyPair();
/** Batches reach the cache decoded, as the node decodes them on arrival. */
const decoded = (encoded: Uint8Array[]) => encoded.map(decodeTx);
const txs = [0, 1, 2].map((nonce) => signedTransfer("mass-devnet", key, key.publicKey, nonce, 1n));
const forged = SignedTransaction.deserialize(txs[2]!);
forged.body.nonce = 7;
const forgedBytes = SignedTransaction.serialize(forged);
const hashOf = (bytes: Uint8Array) => toHex(txHashOfBytes(bytes));

function counting(alreadyVerified: (hashHex: string) => boolean = () => false) {
  const calls: string[] = [];
  const cache = new TxSignatureCache(async (tx) => {
    calls.push(hashOf(SignedTransaction.serialize(tx)));
    // Stands in for Ed25519: the forged body is the only bad one.
    return tx.body.nonce !== 7;
  }, alreadyVerified);
  return { cache, calls };
}

describe("TxSignatureCache", () => {
  it("checks a batch's transactions once, on arrival, and answers blocks from that check", async () => {
    const { cache, calls } = counting();
    cache.prefetch(decoded([...txs, forgedBytes, new Uint8Array([1, 2, 3])]));
    assert.equal(calls.length, 4, "undecodable bytes are left for the block to drop");
    cache.prefetch(decoded(txs));
    assert.equal(calls.length, 4, "a repeated batch is not checked again");
    assert.equal(await cache.check(hashOf(txs[0]!), SignedTransaction.deserialize(txs[0]!), txs[0]!), true);
    assert.equal(await cache.check(hashOf(forgedBytes), forged, forgedBytes), false);
    assert.equal(calls.length, 4);
  });

  it("checks now what it has not seen, skips what the pool checked, and forgets executed ones", async () => {
    const pooled = hashOf(txs[1]!);
    const { cache, calls } = counting((h) => h === pooled);
    assert.equal(await cache.check(pooled, SignedTransaction.deserialize(txs[1]!), txs[1]!), true);
    assert.equal(calls.length, 0);
    cache.prefetch(decoded([txs[0]!]));
    cache.forget([hashOf(txs[0]!)]);
    assert.equal(cache.size, 0);
    assert.equal(await cache.check(hashOf(txs[0]!), SignedTransaction.deserialize(txs[0]!), txs[0]!), true);
    assert.equal(calls.length, 2, "a forgotten result is checked again");
  });

  it("stays within its bound, forgetting the oldest", () => {
    const cache = new TxSignatureCache(
      async () => true,
      () => false,
      2,
    );
    cache.prefetch(decoded(txs));
    assert.equal(cache.size, 2);
  });

  it("derives the signing message from the encoded body, as the decoded body gives it", () => {
    for (const bytes of [...txs, forgedBytes]) {
      const tx = SignedTransaction.deserialize(bytes);
      assert.deepEqual(txSigningMessageOfBytes(bytes, tx.body), txSigningMessage(tx.body));
    }
    assert.notDeepEqual(txSigningMessageOfBytes(txs[0]!, forged.body), txSigningMessage(forged.body));
  });

  it("reports a check that could not run as an error, never as a bad signature", async () => {
    const cache = new TxSignatureCache(async () => {
      throw new Error("verification pool is closed");
    });
    cache.prefetch(decoded([txs[0]!]));
    await assert.rejects(
      Promise.resolve(cache.check(hashOf(txs[0]!), SignedTransaction.deserialize(txs[0]!), txs[0]!)),
      /closed/,
    );
    await assert.rejects(
      Promise.resolve(cache.check(hashOf(txs[1]!), SignedTransaction.deserialize(txs[1]!), txs[1]!)),
      /closed/,
    );
  });

  it("stops checking early while too many early checks are pending", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const cache = new TxSignatureCache(
      async () => {
        calls += 1;
        await gate;
        return true;
      },
      () => false,
      100,
      2,
    );
    cache.prefetch(decoded(txs));
    assert.equal(calls, 2, "the third waits: two are pending");
    release();
    await new Promise((r) => setImmediate(r));
    cache.prefetch(decoded([txs[2]!]));
    assert.equal(calls, 3, "room again once they finished");
  });
});
