import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import * as browserHash from "../../src/client/browser/hash.js";
import * as browserCodec from "../../src/client/browser/hexCodec.js";
import * as hash from "../../src/crypto/hash.js";
import * as primitives from "../../src/types/primitives.js";
import { DecodeErrorCode } from "../../src/util/errors.js";
import * as codec from "../../src/util/hexCodec.js";

// package.json "browser" swaps two Node-fast modules for src/client/browser/*. Each pair must
// export the same names and give the same results, or a browser would build different bytes.

const names = (m: object) => Object.keys(m).sort();
/** Same outcome: equal results, or errors of the same class and code. */
function sameOutcome(f: () => unknown, g: () => unknown) {
  let a: unknown;
  let b: unknown;
  try {
    a = f();
  } catch (e) {
    a = { error: (e as Error).constructor.name, code: (e as { code?: unknown }).code };
  }
  try {
    b = g();
  } catch (e) {
    b = { error: (e as Error).constructor.name, code: (e as { code?: unknown }).code };
  }
  assert.deepEqual(
    a instanceof Uint8Array ? new Uint8Array(a) : a,
    b instanceof Uint8Array ? new Uint8Array(b) : b,
  );
}

describe("browser builds of Node-fast modules", () => {
  it("export the same names as the originals", () => {
    assert.deepEqual(names(browserHash), names(hash));
    assert.deepEqual(names(browserCodec), names(codec));
  });

  it("hash alike (crypto/hash)", () => {
    for (const size of [0, 1, 32, 65, 4096, 5000, 70_000]) {
      const data = randomBytes(size);
      sameOutcome(
        () => hash.sha256(data),
        () => browserHash.sha256(data),
      );
      const parts = [data.subarray(0, size >> 1), new Uint8Array(0), data.subarray(size >> 1)];
      sameOutcome(
        () => hash.sha256Concat(...parts),
        () => browserHash.sha256Concat(...parts),
      );
    }
  });

  it("encode and compare alike (util/hexCodec, under util/bytes)", () => {
    for (const size of [0, 1, 31, 32, 257]) {
      const data = new Uint8Array(randomBytes(size));
      assert.equal(browserCodec.hexOfBytes(data), codec.hexOfBytes(data));
      assert.equal(browserCodec.hexOfBytes(data.subarray(1)), codec.hexOfBytes(data.subarray(1)));
      const hex = codec.hexOfBytes(data);
      assert.deepEqual(browserCodec.bytesOfHex(hex), codec.bytesOfHex(hex));
      assert.deepEqual(browserCodec.bytesOfHex(hex.toUpperCase()), codec.bytesOfHex(hex.toUpperCase()));
      const other = new Uint8Array(randomBytes(size));
      assert.equal(
        Math.sign(browserCodec.compareByteArrays(data, other)),
        Math.sign(codec.compareByteArrays(data, other)),
      );
      assert.equal(
        Math.sign(browserCodec.compareByteArrays(data, data.subarray(1))),
        Math.sign(codec.compareByteArrays(data, data.subarray(1))),
      );
    }
  });

  it("primitives need no Buffer: ASCII ids encode and decode by the printable-ASCII rule", () => {
    assert.deepEqual(
      primitives.asciiBytes(" ~mass-devnet"),
      new Uint8Array(Buffer.from(" ~mass-devnet", "latin1")),
    );
    assert.equal(primitives.asciiString(Uint8Array.of(0x41, 0x7e)), "A~");
    assert.equal(primitives.asciiString(new Uint8Array(0)), "");
    for (const text of ["é", "a\n"])
      assert.throws(() => primitives.asciiBytes(text), { code: DecodeErrorCode.InvalidString });
    for (const raw of [[0x80], [0x0a], [0x41, 0x00]]) {
      assert.throws(() => primitives.asciiString(Uint8Array.from(raw)), {
        code: DecodeErrorCode.InvalidString,
      });
    }
  });
});
