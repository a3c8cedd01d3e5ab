import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { CryptoError, CryptoErrorCode } from "./errors.js";

export const PUBLIC_KEY_LENGTH = 32;
export const SECRET_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

// DER prefixes that wrap a raw 32-byte Ed25519 key as SPKI / PKCS#8 (RFC 8410), so node:crypto can import it.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * Parsed public keys, most recently used last. Importing a key costs about as much as a verification,
 * so the hot path (committee keys, active senders) must hit this cache. The bound keeps a flood of
 * distinct senders from growing memory without limit.
 */
const MAX_CACHED_PUBLIC_KEYS = 8192;
const publicKeyCache = new Map<string, KeyObject>();
const secretKeyCache = new WeakMap<Uint8Array, KeyObject>();

function assertLength(bytes: Uint8Array, length: number, code: CryptoErrorCode, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    const actual = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new CryptoError(code, `${what} must be ${length} bytes, got ${actual}`);
  }
}

/** Throws a CryptoError when a key or signature to verify has the wrong length. */
export function assertVerifyInputs(publicKey: Uint8Array, signature: Uint8Array): void {
  assertLength(publicKey, PUBLIC_KEY_LENGTH, CryptoErrorCode.InvalidPublicKeyLength, "public key");
  assertLength(signature, SIGNATURE_LENGTH, CryptoErrorCode.InvalidSignatureLength, "signature");
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString("latin1");
  const cached = publicKeyCache.get(id);
  if (cached !== undefined) {
    publicKeyCache.delete(id);
    publicKeyCache.set(id, cached);
    return cached;
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
  } catch (err) {
    throw new CryptoError(CryptoErrorCode.InvalidPublicKey, "not a valid Ed25519 public key", undefined, {
      cause: err,
    });
  }
  publicKeyCache.set(id, key);
  if (publicKeyCache.size > MAX_CACHED_PUBLIC_KEYS) {
    const oldest = publicKeyCache.keys().next().value;
    if (oldest !== undefined) publicKeyCache.delete(oldest);
  }
  return key;
}

function secretKeyObject(secretKey: Uint8Array): KeyObject {
  let key = secretKeyCache.get(secretKey);
  if (key === undefined) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
    secretKeyCache.set(secretKey, key);
  }
  return key;
}

/** A fresh 32-byte Ed25519 secret key (the RFC 8032 seed). */
export function generateSecretKey(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_KEY_LENGTH));
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  assertLength(secretKey, SECRET_KEY_LENGTH, CryptoErrorCode.InvalidSecretKeyLength, "secret key");
  const spki = createPublicKey(secretKeyObject(secretKey)).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** Ed25519 signature (RFC 8032, pure variant) of `message` under the 32-byte secret key. */
export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertLength(secretKey, SECRET_KEY_LENGTH, CryptoErrorCode.InvalidSecretKeyLength, "secret key");
  return new Uint8Array(nodeSign(null, message, secretKeyObject(secretKey)));
}

/**
 * Verifies an Ed25519 signature. Returns false for a signature that does not verify (including a
 * public key that is not a curve point); throws a CryptoError when the key or signature has the wrong length.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertVerifyInputs(publicKey, signature);
  let key: KeyObject;
  try {
    key = publicKeyObject(publicKey);
  } catch {
    return false;
  }
  return nodeVerify(null, message, key, signature);
}

/**
 * The same check as `verify`, run on libuv's thread pool so several verifications proceed in parallel
 * while the event loop stays free.
 */
export function verifyAsync(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  assertVerifyInputs(publicKey, signature);
  let key: KeyObject;
  try {
    key = publicKeyObject(publicKey);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve, reject) => {
    nodeVerify(null, message, key, signature, (err, ok) => (err ? reject(err) : resolve(ok)));
  });
}

/** Pure-JS verification (@noble/curves, RFC 8032 / ZIP-215 off) for places without node:crypto. */
export function verifyPure(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertVerifyInputs(publicKey, signature);
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Pure-JS signing (@noble/curves); produces the same bytes as `sign` (Ed25519 is deterministic). */
export function signPure(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertLength(secretKey, SECRET_KEY_LENGTH, CryptoErrorCode.InvalidSecretKeyLength, "secret key");
  return ed25519.sign(message, secretKey);
}
