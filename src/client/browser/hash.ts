import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

/**
 * The browser build of src/crypto/hash.ts (package.json "browser" maps one onto the other): the same
 * functions on @noble/hashes instead of node:crypto. Node keeps the faster node:crypto original;
 * test/package/browserShims.test.ts checks that both give the same bytes.
 */

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** SHA-256 over the concatenation of `parts`. */
export function sha256Concat(...parts: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}
