import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

/**
 * The browser build of src/util/hexCodec.ts (package.json "browser" maps one onto the other): the
 * same functions without Node's Buffer. test/package/browserShims.test.ts checks that both agree.
 */

export function hexOfBytes(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

export function bytesOfHex(digits: string): Uint8Array {
  return hexToBytes(digits);
}

export function compareByteArrays(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
