import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { publicKeyOf, sign, signPure, verify, verifyAsync, verifyPure } from "../../src/crypto/ed25519.js";
import { CryptoErrorCode } from "../../src/crypto/errors.js";
import { fromHex } from "../../src/util/bytes.js";

// RFC 8032 section 7.1, TEST 1-3.
const VECTORS = [
  {
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    public: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature:
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
].map((v) => ({
  secret: fromHex(`0x${v.secret}`),
  publicKey: fromHex(`0x${v.public}`),
  message: fromHex(`0x${v.message}`),
  signature: fromHex(`0x${v.signature}`),
}));

describe("Ed25519 (RFC 8032 vectors)", () => {
  for (const [i, v] of VECTORS.entries()) {
    it(`TEST ${i + 1}: node:crypto and noble agree with the RFC`, async () => {
      assert.deepEqual(publicKeyOf(v.secret), v.publicKey);
      assert.deepEqual(sign(v.secret, v.message), v.signature);
      assert.deepEqual(signPure(v.secret, v.message), v.signature);
      assert.equal(verify(v.publicKey, v.message, v.signature), true);
      assert.equal(verifyPure(v.publicKey, v.message, v.signature), true);
      assert.equal(await verifyAsync(v.publicKey, v.message, v.signature), true);
    });
  }

  it("rejects a tampered message, signature or key", () => {
    const v = VECTORS[1]!;
    const badSig = v.signature.slice();
    badSig[10]! ^= 1;
    const badMsg = new Uint8Array([0x73]);
    assert.equal(verify(v.publicKey, v.message, badSig), false);
    assert.equal(verifyPure(v.publicKey, v.message, badSig), false);
    assert.equal(verify(v.publicKey, badMsg, v.signature), false);
    assert.equal(verify(VECTORS[0]!.publicKey, v.message, v.signature), false);
  });

  it("returns false for a public key that is not a curve point", () => {
    // y = 2 has no x on edwards25519 with this encoding, so decoding fails.
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    const v = VECTORS[0]!;
    assert.equal(verify(notAPoint, v.message, v.signature), false);
    assert.equal(verifyPure(notAPoint, v.message, v.signature), false);
  });

  it("throws typed errors for wrong-length keys and signatures", () => {
    const v = VECTORS[0]!;
    assert.throws(() => verify(v.publicKey.subarray(1), v.message, v.signature), {
      code: CryptoErrorCode.InvalidPublicKeyLength,
    });
    assert.throws(() => verify(v.publicKey, v.message, v.signature.subarray(0, 63)), {
      code: CryptoErrorCode.InvalidSignatureLength,
    });
    assert.throws(() => verifyPure(v.publicKey, v.message, new Uint8Array(65)), {
      code: CryptoErrorCode.InvalidSignatureLength,
    });
    assert.throws(() => sign(new Uint8Array(31), v.message), {
      code: CryptoErrorCode.InvalidSecretKeyLength,
    });
    assert.throws(() => publicKeyOf(new Uint8Array(64)), { code: CryptoErrorCode.InvalidSecretKeyLength });
  });
});
