import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { publicKeyOf, sign, verify } from "../../src/crypto/ed25519.js";
import {
  asciiBytes,
  SignedTransaction,
  TransactionBody,
  TransferPayload,
  TxKind,
  txHash,
  txSigningMessage,
} from "../../src/types/index.js";
import { fromHex, toHex } from "../../src/util/bytes.js";

// The worked example of docs/protocol.md: an independent client must reproduce these bytes.
const hex = (s: string) => `0x${s.replace(/\s+/g, "")}`;
const EXPECTED = {
  body: hex(`4500000050000000d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
    0700000000000000 0852000000000000 0a00000000000000 00 57000000
    6d6173732d6465766e6574 706b2d73696663
    111111111111111111111111111111111111111111111111111111111111111190d0030000000000`),
  message: "0xdbe4685ff86590a05c3ec4c3603a770a5130e0ae5b15e500111120e191624e9a",
  signature: hex(`8543314ac843481caa9c78620285839cffe007a2fb483a26cef12631ff9a553a
    2f319c12cc53dc3cec5c1b2dce0cd3d01356326de198dc15b473577246c97c02`),
  txHash: "0x222989549491e42199ef26dfd0da3c776cc072654ac2abd2fb9fa14556dc6cdf",
};

describe("docs/protocol.md worked example", () => {
  const secret = fromHex("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const body: TransactionBody = {
    chainId: asciiBytes("mass-devnet"),
    harbor: asciiBytes("pk-sifc"),
    sender: publicKeyOf(secret),
    nonce: 7,
    gasLimit: 21_000,
    fee: 10n,
    kind: TxKind.Transfer,
    payload: TransferPayload.serialize({ to: new Uint8Array(32).fill(0x11), amount: 250_000n }),
  };

  it("encodes the body byte for byte", () => {
    assert.equal(toHex(TransactionBody.serialize(body)), EXPECTED.body);
  });

  it("signs SHA-256(tag ‖ 0x00 ‖ body) and hashes the signed encoding", () => {
    const independent = createHash("sha256")
      .update("MASS-L1/tx/v1")
      .update(new Uint8Array([0]))
      .update(fromHex(EXPECTED.body))
      .digest();
    assert.equal(toHex(independent), EXPECTED.message);
    assert.equal(toHex(txSigningMessage(body)), EXPECTED.message);
    const signature = sign(secret, txSigningMessage(body));
    assert.equal(toHex(signature), EXPECTED.signature);
    assert.equal(verify(body.sender, fromHex(EXPECTED.message), signature), true);
    assert.equal(toHex(txHash({ body, signature })), EXPECTED.txHash);
    const signed = SignedTransaction.serialize({ body, signature });
    assert.equal(toHex(signed.subarray(0, 4)), "0x44000000");
  });
});
