/**
 * SAVM words are unsigned 256-bit integers. The fast path keeps every value below 2^53 as a JS number
 * and only larger ones as bigint; the representation is canonical (a value has exactly one form), so
 * `===` is word equality and `0` is the only zero.
 */
export type Word = number | bigint;

const TWO_53 = 2 ** 53;
const TWO_53N = 1n << 53n;
export const WORD_BITS = 256n;
export const WORD_MOD = 1n << WORD_BITS;
export const WORD_MAX = WORD_MOD - 1n;
export const WORD_BYTES = 32;

/** Canonical form of a bigint already in [0, 2^256). */
export function fromBig(value: bigint): Word {
  return value < TWO_53N ? Number(value) : value;
}

export function toBig(w: Word): bigint {
  return typeof w === "number" ? BigInt(w) : w;
}

/** Canonical word from any integer, reduced modulo 2^256. */
export function wordOf(value: number | bigint): Word {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    return fromBig(BigInt.asUintN(256, BigInt(value)));
  }
  return fromBig(BigInt.asUintN(256, value));
}

export function add(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number") {
    const s = a + b;
    if (s < TWO_53) return s;
  }
  return fromBig((toBig(a) + toBig(b)) & WORD_MAX);
}

export function sub(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number" && a >= b) return a - b;
  return fromBig((toBig(a) - toBig(b)) & WORD_MAX);
}

export function mul(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number") {
    const p = a * b;
    if (p < TWO_53) return p;
  }
  return fromBig((toBig(a) * toBig(b)) & WORD_MAX);
}

/** Integer division; the caller rules out b = 0. */
export function div(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number") return Math.floor(a / b);
  return fromBig(toBig(a) / toBig(b));
}

/** Remainder; the caller rules out b = 0. */
export function mod(a: Word, b: Word): Word {
  if (typeof a === "number" && typeof b === "number") return a % b;
  return fromBig(toBig(a) % toBig(b));
}

export function lt(a: Word, b: Word): boolean {
  if (typeof a === typeof b) return a < b;
  // Canonical form: every bigint word exceeds every number word.
  return typeof a === "number";
}

/** 32-byte big-endian encoding. */
export function wordToBytes(w: Word, out: Uint8Array = new Uint8Array(WORD_BYTES), offset = 0): Uint8Array {
  if (typeof w === "number") {
    out.fill(0, offset, offset + WORD_BYTES - 7);
    let v = w;
    for (let i = offset + WORD_BYTES - 1; i >= offset + WORD_BYTES - 7; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return out;
  }
  // Four 64-bit limbs: far cheaper than 32 bigint shifts.
  const view = new DataView(out.buffer, out.byteOffset + offset, WORD_BYTES);
  view.setBigUint64(24, BigInt.asUintN(64, w));
  view.setBigUint64(16, BigInt.asUintN(64, w >> 64n));
  view.setBigUint64(8, BigInt.asUintN(64, w >> 128n));
  view.setBigUint64(0, w >> 192n);
  return out;
}

/** Big-endian bytes (at most 32) to a word. */
export function bytesToWord(bytes: Uint8Array, start = 0, end = bytes.length): Word {
  let i = start;
  while (i < end && bytes[i] === 0) i++;
  if (end - i <= 6) {
    let v = 0;
    for (; i < end; i++) v = v * 256 + bytes[i]!;
    return v;
  }
  if (end - start === WORD_BYTES) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, WORD_BYTES);
    return fromBig(
      (view.getBigUint64(0) << 192n) |
        (view.getBigUint64(8) << 128n) |
        (view.getBigUint64(16) << 64n) |
        view.getBigUint64(24),
    );
  }
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + i, end - i).toString("hex");
  return fromBig(BigInt(`0x${hex}`));
}

/** A word holding an ASCII string right-aligned (as `PUSH "PAK"` builds it), or undefined if it is not one. */
export function wordToAscii(w: Word): string | undefined {
  if (w === 0) return "";
  const bytes = wordToBytes(w);
  let i = 0;
  while (i < WORD_BYTES && bytes[i] === 0) i++;
  let text = "";
  for (; i < WORD_BYTES; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c > 0x7e) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

export function asciiToWord(text: string): Word {
  if (text.length > WORD_BYTES) throw new RangeError(`"${text}" is longer than ${WORD_BYTES} bytes`);
  let v = 0n;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError(`"${text}" is not printable ASCII`);
    v = (v << 8n) | BigInt(c);
  }
  return fromBig(v);
}

/** Words as JSON: decimal below 2^53, 0x-hex above. */
export function wordToJson(w: Word): string {
  return typeof w === "number" ? String(w) : `0x${w.toString(16)}`;
}
