/**
 * Digests as Map keys. Digests are 32-byte Uint8Arrays, which Maps compare by identity, so every
 * in-memory index keys them by their hex text instead.
 */
export type DigestKey = string;

export function digestKey(digest: Uint8Array): DigestKey {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString("hex");
}

export function digestOfKey(key: DigestKey): Uint8Array {
  return new Uint8Array(Buffer.from(key, "hex"));
}
