// Pure formatting helpers of the explorer's pages (no DOM: the tests run them under Node).

/** "0x1234ab…cdef": a hash or address shortened for tables; the full value goes in the title. */
export function short(hex: string, keep = 6): string {
  if (!hex.startsWith("0x") || hex.length <= 2 + 2 * keep + 1) return hex;
  return `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

export function bytesOfHex(hex: string): Uint8Array {
  const body = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new Error(`not hex: ${hex.slice(0, 20)}`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function hexOfBytes(bytes: Uint8Array): string {
  let out = "0x";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** UTF-8 text of hex bytes (a revert reason); undecodable bytes become U+FFFD. */
export function textOfHex(hex: string): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytesOfHex(hex));
}

/**
 * The committee indices an SSZ bitlist names (a finality certificate's `signers`): bits are little
 * endian within each byte, and the highest set bit is the length marker, not a member.
 */
export function signersOf(bitlistHex: string): number[] {
  const bytes = bytesOfHex(bitlistHex);
  let last = bytes.length - 1;
  while (last >= 0 && bytes[last] === 0) last--;
  if (last < 0) return [];
  const top = bytes[last]!;
  const length = last * 8 + (31 - Math.clz32(top));
  const out: number[] = [];
  for (let i = 0; i < length; i++) if ((bytes[i >> 3]! >> (i & 7)) & 1) out.push(i);
  return out;
}

/** A decimal string with thousands separators ("1000000" → "1,000,000"); anything else as is. */
export function amount(value: string): string {
  return /^\d+$/.test(value) ? value.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : value;
}

/** Unix milliseconds (a decimal string) as "2024-01-02 03:04:05 UTC". */
export function utcTime(ms: string | number): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n <= 0) return "–";
  return `${new Date(n).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "3 s ago", "5 min ago", from unix milliseconds and the current time. */
export function ago(ms: string | number, now: number): string {
  const seconds = Math.max(0, Math.round((now - Number(ms)) / 1000));
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
