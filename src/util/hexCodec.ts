/**
 * The byte codecs util/bytes.ts builds on, on Node's Buffer (the fastest there). The browser build
 * maps this file to src/client/browser/hexCodec.ts (package.json "browser"), which has none.
 */

/** Lower-case hex digits of `bytes`, no prefix. */
export function hexOfBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes of an even-length string of hex digits (already checked). */
export function bytesOfHex(digits: string): Uint8Array {
  return new Uint8Array(Buffer.from(digits, "hex"));
}

/** Lexicographic byte order. */
export function compareByteArrays(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
