import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalDigest, canonicalJson, normalizeTimestamp } from "../../src/crypto/canonicalJson.js";
import { CryptoErrorCode } from "../../src/crypto/errors.js";
import { toHex } from "../../src/util/bytes.js";

// Expected text and digests produced by Python's json.dumps(sort_keys=True, separators=(",", ":"),
// ensure_ascii=False), the reference canonicalisation of the MSEZ stack.
const VECTORS: [unknown, string, string][] = [
  [
    { b: 1, a: { z: [3, 1, 2], y: 'Dubaï ✓ \u0007\t"\\\\' } },
    '{"a":{"y":"Dubaï ✓ \\u0007\\t\\"\\\\\\\\","z":[3,1,2]},"b":1}',
    "5a7ca3d24627f0e6799600b3491e1dfe5a0c094fb2be394388b22ce5e7ccd585",
  ],
  [
    { receipt: { seq: 42, corridor: "pk-sifc↔ae-difc", amount: "250000.00", ok: true, memo: null } },
    '{"receipt":{"amount":"250000.00","corridor":"pk-sifc↔ae-difc","memo":null,"ok":true,"seq":42}}',
    "a249cb4d4287297d1bc6fb028fc05c36b8cb05a67f77ed9ae0ddaff4c73be633",
  ],
  // Keys sort by code point: U+FFFF before U+1F600, unlike UTF-16 order.
  [
    { "\u{1F600}": 1, "\uFFFF": 2, a: 3 },
    '{"a":3,"\uFFFF":2,"\u{1F600}":1}',
    "48f8c136ce1b1fb6cc384c2a496fcab8d870f137c9ef71a97d7c4475f6d0eb5d",
  ],
  [[], "[]", "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"],
];

describe("canonical JSON", () => {
  it("matches the reference text and digests", () => {
    for (const [value, text, digest] of VECTORS) {
      assert.equal(canonicalJson(value), text);
      assert.equal(toHex(canonicalDigest(value)), `0x${digest}`);
    }
  });

  it("writes big integers in plain decimal and -0 as 0", () => {
    assert.equal(
      canonicalJson({ a: 1e21, b: -0, c: 12345678901234567890n }),
      '{"a":1000000000000000000000,"b":0,"c":12345678901234567890}',
    );
  });

  it("rewrites RFC 3339 date-times to UTC seconds", () => {
    assert.equal(normalizeTimestamp("2026-01-01T05:30:00.987+05:30"), "2026-01-01T00:00:00Z");
    assert.equal(normalizeTimestamp("2025-12-31T22:15:09-03:00"), "2026-01-01T01:15:09Z");
    assert.equal(normalizeTimestamp("2026-02-15t00:00:00z"), "2026-02-15T00:00:00Z");
    assert.equal(normalizeTimestamp("2026-02-15"), "2026-02-15", "dates stay as they are");
    assert.equal(normalizeTimestamp("2026-02-30T00:00:00Z"), "2026-02-30T00:00:00Z", "not a real date-time");
    assert.equal(
      canonicalJson({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) }),
      '{"at":"2026-01-02T03:04:05Z"}',
    );
    assert.equal(canonicalJson(["2026-06-01T12:00:00+01:00"]), '["2026-06-01T11:00:00Z"]');
  });

  it("rejects floats with a typed error naming the path", () => {
    assert.throws(
      () => canonicalJson({ a: [1, { b: 2.5 }] }),
      (err: { code: string; message: string }) => {
        assert.equal(err.code, CryptoErrorCode.NonIntegerNumber);
        assert.match(err.message, /\$\.a\[1\]\.b/);
        return true;
      },
    );
    assert.throws(() => canonicalJson(Number.NaN), { code: CryptoErrorCode.NonIntegerNumber });
    assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY), { code: CryptoErrorCode.NonIntegerNumber });
  });

  it("rejects values JSON cannot represent", () => {
    for (const bad of [
      [undefined],
      new Map(),
      new Uint8Array(2),
      () => 1,
      Symbol("x"),
      "\uD800",
      new Date(Number.NaN),
    ]) {
      assert.throws(() => canonicalJson(bad), { code: CryptoErrorCode.UnsupportedJsonValue });
    }
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  });
});
