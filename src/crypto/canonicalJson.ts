import { CryptoError, CryptoErrorCode } from "./errors.js";
import { sha256 } from "./hash.js";

/**
 * Canonical JSON of the MSEZ stack (SPEC "Receipt chains, MMR, anchoring"), byte-identical to the
 * reference `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` after its
 * type coercion:
 * - object keys sorted by Unicode code point; compact separators; non-ASCII kept as is (UTF-8);
 * - strings escape only `"`, `\` and control characters (\b \f \n \r \t, others as \u00xx);
 * - numbers must be integers (bigint allowed); floats, NaN and infinities are rejected;
 * - RFC 3339 date-times (Date objects, and strings that are full RFC 3339 date-times) are rewritten
 *   to UTC `YYYY-MM-DDTHH:MM:SSZ` with any fraction dropped;
 * - object properties whose value is `undefined` are omitted (as JSON.stringify does); anything
 *   else that JSON cannot represent (functions, symbols, Maps, typed arrays, lone surrogates,
 *   undefined in arrays) is rejected with a typed error naming the path.
 */

const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(code: CryptoErrorCode, path: string, message: string): never {
  throw new CryptoError(code, `canonical JSON: ${path}: ${message}`, { path });
}

/** Rewrites an RFC 3339 date-time string to UTC seconds with `Z`; other strings are returned unchanged. */
export function normalizeTimestamp(value: string): string {
  const m = RFC3339_DATE_TIME.exec(value);
  if (m === null) return value;
  const [, year, month, day, hour, minute, second, , offset] = m;
  // Validate calendar fields by round-tripping through Date.UTC (rejects e.g. month 13, Feb 30).
  const utcMs = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const check = new Date(utcMs);
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    check.getUTCHours() !== Number(hour) ||
    check.getUTCMinutes() !== Number(minute)
  ) {
    return value;
  }
  let offsetMinutes = 0;
  if (offset !== undefined && offset.toUpperCase() !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  }
  return formatUtcSeconds(utcMs - offsetMinutes * 60_000);
}

function formatUtcSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** Sort by Unicode code point (Python's str order), not UTF-16 code units as Array.sort does. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const diff = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
}

function encodeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value))
    fail(CryptoErrorCode.UnsupportedJsonValue, path, "string has a lone surrogate");
  // JSON.stringify escapes exactly `"`, `\` and U+0000-U+001F (short forms where they exist,
  // lowercase \u00xx otherwise), like Python's json with ensure_ascii=False.
  return JSON.stringify(value);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encode(value: unknown, path: string, out: string[]): void {
  switch (typeof value) {
    case "string":
      out.push(encodeString(normalizeTimestamp(value), path));
      return;
    case "number":
      if (!Number.isFinite(value) || !Number.isInteger(value)) {
        fail(
          CryptoErrorCode.NonIntegerNumber,
          path,
          `${value} is not an integer (encode amounts as strings)`,
        );
      }
      // BigInt prints integers in plain decimal (1e21 → "1000000000000000000000"), and -0 as "0".
      out.push(BigInt(value).toString());
      return;
    case "bigint":
      out.push(value.toString());
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      fail(CryptoErrorCode.UnsupportedJsonValue, path, `${typeof value} has no JSON form`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(CryptoErrorCode.UnsupportedJsonValue, path, "invalid Date");
    out.push(`"${formatUtcSeconds(value.getTime())}"`);
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(",");
      if (item === undefined)
        fail(CryptoErrorCode.UnsupportedJsonValue, `${path}[${i}]`, "undefined in an array");
      encode(item, `${path}[${i}]`, out);
    });
    out.push("]");
    return;
  }
  if (!isPlainObject(value)) {
    fail(
      CryptoErrorCode.UnsupportedJsonValue,
      path,
      `${value.constructor?.name ?? "object"} is not a plain object`,
    );
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort(compareCodePoints);
  out.push("{");
  keys.forEach((key, i) => {
    if (i > 0) out.push(",");
    out.push(encodeString(key, `${path}.${key}`), ":");
    encode(record[key], `${path}.${key}`, out);
  });
  out.push("}");
}

/** The canonical JSON text of `value`; throws a CryptoError on any value canonical JSON rejects. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  encode(value, "$", out);
  return out.join("");
}

export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** SHA-256 of the canonical JSON bytes. */
export function canonicalDigest(value: unknown): Uint8Array {
  return sha256(canonicalJsonBytes(value));
}
