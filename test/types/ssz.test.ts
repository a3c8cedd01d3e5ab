import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signTransaction, transferTx } from "../../src/client/index.js";
import { publicKeyOf, sign, verify } from "../../src/crypto/ed25519.js";
import {
  asciiBytes,
  Certificate,
  ChainId,
  Genesis,
  Header,
  MAX_TX_PAYLOAD_BYTES,
  SignedTransaction,
  TransactionBody,
  txHash,
  txSigningMessage,
} from "../../src/types/index.js";
import { DecodeErrorCode } from "../../src/util/errors.js";

const secret = new Uint8Array(32).fill(7);

function transfer(): SignedTransaction {
  const body = transferTx(
    {
      chainId: "mass-devnet",
      harbor: "pk-sifc",
      sender: publicKeyOf(secret),
      nonce: 0,
      gasLimit: 21_000,
      fee: 10n,
    },
    { to: new Uint8Array(32).fill(1), amount: 250_000n },
  );
  return signTransaction(body, secret, sign).tx;
}

describe("SSZ types", () => {
  it("round-trips a signed transaction and its signature verifies", () => {
    const tx = transfer();
    const bytes = SignedTransaction.serialize(tx);
    const decoded = SignedTransaction.deserialize(bytes);
    assert.deepEqual(SignedTransaction.serialize(decoded), bytes);
    assert.equal(verify(decoded.body.sender, txSigningMessage(decoded.body), decoded.signature), true);
    assert.equal(txHash(decoded).length, 32);
  });

  it("a signature does not carry over to a changed body", () => {
    const tx = transfer();
    const changed = { ...tx.body, nonce: 1 };
    assert.equal(verify(tx.body.sender, txSigningMessage(changed), tx.signature), false);
  });

  it("rejects truncated, extended and oversized encodings", () => {
    const bytes = SignedTransaction.serialize(transfer());
    // Dropping the last byte shortens the trailing payload: still valid SSZ, but no longer what was signed.
    const shortened = SignedTransaction.deserialize(bytes.subarray(0, bytes.length - 1));
    assert.equal(verify(shortened.body.sender, txSigningMessage(shortened.body), shortened.signature), false);
    assert.throws(() => SignedTransaction.deserialize(bytes.subarray(0, 50)));
    assert.throws(() => Header.deserialize(new Uint8Array(3)));
    assert.throws(() => Certificate.deserialize(new Uint8Array(0)));
    // SSZ encoders do not check list limits; decoders do, so an oversized message never gets in.
    const oversized = TransactionBody.serialize({
      ...transfer().body,
      payload: new Uint8Array(MAX_TX_PAYLOAD_BYTES + 1),
    });
    assert.throws(() => TransactionBody.deserialize(oversized), /limit/);
  });

  it("ASCII strings are plain strings in JSON and rejected when not printable ASCII", () => {
    assert.equal(ChainId.toJson(asciiBytes("mass-devnet")), "mass-devnet");
    assert.deepEqual(ChainId.fromJson("mass-devnet"), asciiBytes("mass-devnet"));
    assert.throws(() => ChainId.fromJson("mass\u00e9"), { code: DecodeErrorCode.InvalidString });
    assert.throws(() => ChainId.fromJson("x".repeat(33)), { code: DecodeErrorCode.TooLarge });
    assert.throws(() => ChainId.fromJson(42), { code: DecodeErrorCode.InvalidString });
  });

  it("genesis JSON round-trips with u64 values as decimal strings", () => {
    const genesis = Genesis.defaultValue();
    genesis.chainId = asciiBytes("mass-devnet");
    genesis.genesisTime = 1_764_000_000_000;
    const json = Genesis.toJson(genesis) as Record<string, unknown>;
    assert.equal(json.chainId, "mass-devnet");
    assert.equal(json.genesisTime, "1764000000000");
    assert.deepEqual(Genesis.serialize(Genesis.fromJson(json)), Genesis.serialize(genesis));
  });
});
