import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { generateKeyPair, type KeyPair } from "../../src/node/keyFile.js";
import { BatchDecoder } from "../../src/pool/batchDecoder.js";
import { TxSignatureCache } from "../../src/pool/signatureCache.js";
import { TxPool } from "../../src/pool/txPool.js";
import type { SignedTransaction } from "../../src/types/transaction.js";
import type { DecodedTx } from "../../src/vm/tx/validity.js";
import { signedTransfer } from "../helpers/cluster.js";

const alice = generateKeyPair();
const bob = generateKeyPair();
const to = new Uint8Array(32).fill(9);
const transfer = (from: KeyPair, nonce: number) => signedTransfer("mass-devnet", from, to, nonce, 5n);

const sha256Hex = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

function setup(capacity?: number) {
  const pool = new TxPool({
    chainId: "mass-devnet",
    harbors: ["pk-sifc"],
    accounts: { nextNonce: () => 0, balance: () => 1_000_000n },
  });
  const checked: SignedTransaction[] = [];
  const signatures = new TxSignatureCache(async (tx) => {
    checked.push(tx);
    return true;
  });
  return { pool, checked, decoder: new BatchDecoder(pool, signatures, capacity) };
}

describe("BatchDecoder", () => {
  it("carries an own batch's pooled transactions as the pool decoded them, without decoding again", async () => {
    const { pool, checked, decoder } = setup();
    const admitted = await pool.add(transfer(alice, 0));
    const [released] = pool.takeReady(1 << 20);
    assert.ok(released !== undefined);
    const digest = new Uint8Array(32).fill(7);
    decoder.stored({ transactions: [released.bytes] }, digest, true);
    const taken = decoder.take(digest);
    assert.equal(taken?.length, 1);
    assert.equal(taken[0], admitted, "the very object the pool admitted");
    assert.equal(checked.length, 0, "an own transaction's signature was checked at admission");
    assert.equal(decoder.take(digest), undefined, "taken once");
  });

  it("decodes a peer batch once, hashing each transaction, starts its signature checks, and marks garbage", () => {
    const { checked, decoder } = setup();
    const bytes = [transfer(bob, 0), transfer(bob, 1), new Uint8Array([1, 2, 3])];
    const digest = new Uint8Array(32).fill(8);
    decoder.stored({ transactions: bytes }, digest, false);
    const taken = decoder.take(digest);
    assert.ok(taken !== undefined);
    assert.equal(taken[2], null, "not a transaction");
    for (const i of [0, 1]) {
      const d: DecodedTx | null | undefined = taken[i];
      assert.ok(d !== null && d !== undefined);
      assert.equal(d.hashHex, sha256Hex(bytes[i]!));
      assert.equal(d.harbor, "pk-sifc");
      assert.equal(d.tx.body.nonce, i);
    }
    assert.equal(checked.length, 2, "both signatures checked early");
  });

  it("forgets the oldest batches beyond its capacity", () => {
    const { decoder } = setup(3);
    const digests = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
    for (const [i, digest] of digests.entries())
      decoder.stored({ transactions: [transfer(bob, 2 * i), transfer(bob, 2 * i + 1)] }, digest, false);
    assert.equal(decoder.take(digests[0]!), undefined, "the oldest went");
    assert.equal(decoder.take(digests[1]!), undefined, "and the next, to stay within 3 transactions");
    assert.equal(decoder.take(digests[2]!)?.length, 2);
  });
});
