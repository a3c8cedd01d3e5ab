import assert from "node:assert/strict";
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { describe, it } from "node:test";
import {
  attestTx,
  buildTransaction,
  callTx,
  corridorTx,
  deployTx,
  derivePublicKey,
  migrateTx,
  signEd25519,
  signTransaction,
  TxBuildErrorCode,
  type TxEnvelope,
  transferTx,
} from "../../src/client/index.js";
import { CryptoErrorCode } from "../../src/crypto/errors.js";
import { SignedTransaction, type TransactionBody, TxKind } from "../../src/types/transaction.js";

// Everything expected here is assembled by hand from the SSZ rules (little-endian integers, 4-byte
// offsets for variable-size fields, fixed parts first) and signed and hashed with node:crypto, so
// the builders are checked against values they did not compute.

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

const secret = Buffer.alloc(32, 0x42);
const privateKey = createPrivateKey({
  key: Buffer.concat([PKCS8_PREFIX, secret]),
  format: "der",
  type: "pkcs8",
});
const sender = new Uint8Array(
  createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length),
);
const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, sender]), format: "der", type: "spki" });

const u8 = (n: number) => Buffer.from([n]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const ascii = (s: string) => Buffer.from(s, "latin1");

const envelope: TxEnvelope = {
  chainId: "mass-devnet",
  harbor: "pk-sifc",
  sender,
  nonce: 7,
  gasLimit: 200_000,
  fee: 10n,
};

/** SSZ(TransactionBody) by hand: fixed part of 69 bytes, then chainId, harbor, payload. */
function bodyBytes(kind: number, payload: Buffer): Buffer {
  const chainId = ascii("mass-devnet");
  const harbor = ascii("pk-sifc");
  const FIXED = 4 + 4 + 32 + 8 + 8 + 8 + 1 + 4;
  return Buffer.concat([
    u32(FIXED),
    u32(FIXED + chainId.length),
    sender,
    u64(7n),
    u64(200_000n),
    u64(10n),
    u8(kind),
    u32(FIXED + chainId.length + harbor.length),
    chainId,
    harbor,
    payload,
  ]);
}

/** The signed transaction by hand: the signing message, the node:crypto signature, the encoding, the id. */
function expected(kind: number, payload: Buffer) {
  const body = bodyBytes(kind, payload);
  const message = createHash("sha256")
    .update(Buffer.concat([ascii("MASS-L1/tx/v1"), u8(0), body]))
    .digest();
  const signature = nodeSign(null, message, privateKey);
  // SignedTransaction: offset of the body (4), the signature (64), the body.
  const bytes = Buffer.concat([u32(4 + 64), signature, body]);
  return { message, signature, bytes, hash: createHash("sha256").update(bytes).digest() };
}

function checkSigned(body: TransactionBody, kind: number, payload: Buffer): void {
  const want = expected(kind, payload);
  const signed = signTransaction(body, secret);
  assert.equal(Buffer.from(signed.bytes).toString("hex"), want.bytes.toString("hex"));
  assert.equal(Buffer.from(signed.tx.signature).toString("hex"), want.signature.toString("hex"));
  assert.equal(Buffer.from(signed.hash).toString("hex"), want.hash.toString("hex"));
  assert.equal(nodeVerify(null, want.message, publicKey, signed.tx.signature), true);
  assert.deepEqual(SignedTransaction.deserialize(signed.bytes), signed.tx);
}

const to = Buffer.alloc(32, 0x11);
const asset = Buffer.alloc(32, 0x22);
const subject = Buffer.alloc(32, 0x33);
const attestationRef = Buffer.alloc(32, 0x44);

describe("client transaction builders", () => {
  it("transfer: to (32) and amount (u64)", () => {
    const body = transferTx(envelope, { to, amount: 250_000n });
    checkSigned(body, TxKind.Transfer, Buffer.concat([to, u64(250_000n)]));
  });

  it("deploy: offsets of bytecode and metadata, then both; metadata empty by default", () => {
    const bytecode = Buffer.from([0x60, 0x01, 0x00]);
    const metadata = ascii('{"name":"T"}');
    checkSigned(
      deployTx(envelope, { bytecode, metadata }),
      TxKind.Deploy,
      Buffer.concat([u32(8), u32(8 + bytecode.length), bytecode, metadata]),
    );
    checkSigned(
      deployTx(envelope, { bytecode }),
      TxKind.Deploy,
      Buffer.concat([u32(8), u32(8 + bytecode.length), bytecode]),
    );
  });

  it("call: asset (32), offset of the input, the input", () => {
    const input = Buffer.from([1, 2, 3, 4, 5]);
    checkSigned(callTx(envelope, { asset, input }), TxKind.Call, Buffer.concat([asset, u32(36), input]));
  });

  it("attest: subject, offset of the jurisdiction, domain, state, reference, expiry, jurisdiction", () => {
    const payload = Buffer.concat([
      subject,
      u32(32 + 4 + 1 + 1 + 32 + 8),
      u8(3),
      u8(5),
      attestationRef,
      u64(1_800_000_000_000n),
      ascii("PAK"),
    ]);
    const fields = { subject, domain: 3, state: 5, attestationRef, expiresAt: 1_800_000_000_000 };
    checkSigned(attestTx(envelope, { ...fields, jurisdiction: "PAK" }), TxKind.Attest, payload);
    checkSigned(attestTx(envelope, { ...fields, jurisdiction: ascii("PAK") }), TxKind.Attest, payload);
  });

  it("migrate: offset of the destination harbor, recipient, amount, timeout, the harbor; timeout 0 by default", () => {
    const payload = (timeout: bigint) =>
      Buffer.concat([u32(4 + 32 + 8 + 8), to, u64(7_000n), u64(timeout), ascii("ae-difc")]);
    checkSigned(
      migrateTx(envelope, { destinationHarbor: "ae-difc", recipient: to, amount: 7_000n, timeoutBlocks: 12 }),
      TxKind.Migrate,
      payload(12n),
    );
    checkSigned(
      migrateTx(envelope, { destinationHarbor: ascii("ae-difc"), recipient: to, amount: 7_000n }),
      TxKind.Migrate,
      payload(0n),
    );
  });

  it("corridor: offset of the corridor id, target state, role, evidence, the id", () => {
    checkSigned(
      corridorTx(envelope, { corridor: "ae-difc~pk-sifc", to: 3, role: 1, evidence: subject }),
      TxKind.Corridor,
      Buffer.concat([u32(4 + 1 + 1 + 32), u8(3), u8(1), subject, ascii("ae-difc~pk-sifc")]),
    );
  });

  it("covers every kind, and the generic builder gives the same bodies", () => {
    const kinds = Object.values(TxKind).filter((v): v is TxKind => typeof v === "number");
    assert.deepEqual(kinds, [
      TxKind.Transfer,
      TxKind.Deploy,
      TxKind.Call,
      TxKind.Attest,
      TxKind.Migrate,
      TxKind.Corridor,
    ]);
    assert.deepEqual(
      buildTransaction(envelope, TxKind.Transfer, { to, amount: 1n }),
      transferTx(envelope, { to, amount: 1n }),
    );
    assert.deepEqual(
      buildTransaction(envelope, TxKind.Deploy, { bytecode: to, metadata: new Uint8Array(0) }),
      deployTx(envelope, { bytecode: to }),
    );
  });

  it("refuses integers SSZ would wrap, naming the field, instead of signing another value", () => {
    const outOfRange = (field: string) => ({ code: TxBuildErrorCode.OutOfRange, message: new RegExp(field) });
    assert.throws(
      () => transferTx(envelope, { to, amount: 2n ** 64n + 5n }),
      outOfRange("TransferPayload.amount"),
    );
    assert.throws(() => transferTx(envelope, { to, amount: -1n }), outOfRange("TransferPayload.amount"));
    assert.throws(() => transferTx({ ...envelope, fee: 2n ** 64n }, { to, amount: 1n }), outOfRange("fee"));
    assert.throws(() => transferTx({ ...envelope, nonce: 1.5 }, { to, amount: 1n }), outOfRange("nonce"));
    assert.throws(
      () => corridorTx(envelope, { corridor: "ae-difc~pk-sifc", to: 300, role: 0, evidence: subject }),
      outOfRange("CorridorPayload.to"),
    );
    assert.doesNotThrow(() => transferTx(envelope, { to, amount: 2n ** 64n - 1n }));
  });

  it("takes ids as strings or bytes", () => {
    const fromBytes = transferTx(
      {
        ...envelope,
        chainId: new Uint8Array(ascii("mass-devnet")),
        harbor: new Uint8Array(ascii("pk-sifc")),
      },
      { to, amount: 1n },
    );
    assert.deepEqual(fromBytes, transferTx(envelope, { to, amount: 1n }));
  });

  it("signs with a given signer, and the pure-JS signer matches node:crypto byte for byte", () => {
    const body = transferTx(envelope, { to, amount: 9n });
    const calls: Uint8Array[] = [];
    const viaNode = signTransaction(body, secret, (key, message) => {
      calls.push(key);
      return new Uint8Array(nodeSign(null, message, privateKey));
    });
    assert.equal(calls.length, 1);
    assert.deepEqual(viaNode, signTransaction(body, secret));
    const message = Buffer.alloc(32, 0x5a);
    assert.deepEqual(Buffer.from(signEd25519(secret, message)), nodeSign(null, message, privateKey));
    assert.deepEqual(derivePublicKey(secret), sender);
  });

  it("refuses a secret key of the wrong length with a typed error", () => {
    const body = transferTx(envelope, { to, amount: 1n });
    assert.throws(() => signTransaction(body, new Uint8Array(31)), {
      code: CryptoErrorCode.InvalidSecretKeyLength,
    });
    assert.throws(() => derivePublicKey(new Uint8Array(64)), {
      code: CryptoErrorCode.InvalidSecretKeyLength,
    });
  });
});
