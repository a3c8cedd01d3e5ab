import { DecodeError, DecodeErrorCode } from "./errors.js";
import { bytesOfHex, compareByteArrays, hexOfBytes } from "./hexCodec.js";

const HEX_RE = /^0x([0-9a-fA-F]{2})*$/;

/** Bytes as 0x-prefixed lowercase hex: the one encoding of bytes in JSON, logs and the CLI. */
export function toHex(bytes: Uint8Array): string {
  return `0x${hexOfBytes(bytes)}`;
}

/** Parses 0x-prefixed hex; `expectedLength` (bytes) is checked when given. */
export function fromHex(hex: string, expectedLength?: number): Uint8Array {
  if (typeof hex !== "string" || !HEX_RE.test(hex)) {
    throw new DecodeError(
      DecodeErrorCode.InvalidHex,
      `expected 0x-prefixed hex with an even number of digits`,
      {
        value: typeof hex === "string" ? hex.slice(0, 80) : typeof hex,
      },
    );
  }
  const bytes = bytesOfHex(hex.slice(2));
  if (expectedLength !== undefined && bytes.length !== expectedLength) {
    throw new DecodeError(
      DecodeErrorCode.InvalidLength,
      `expected ${expectedLength} bytes, got ${bytes.length}`,
      { expected: expectedLength, actual: bytes.length },
    );
  }
  return bytes;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic byte order, for deterministic sorting of digests and keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return compareByteArrays(a, b);
}

const utf8Encoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
