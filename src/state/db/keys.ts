/** Key encodings that keep LevelDB's byte order equal to numeric order. */

/** 8-byte big-endian u64 (numbers up to 2^53). */
export function u64Key(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

export function readU64Key(key: Uint8Array, offset = 0): number {
  return Number(new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(offset));
}

/** 2-byte big-endian u16. */
export function u16Key(value: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value);
  return out;
}
