import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NetworkErrorCode } from "../../src/network/errors.js";
import {
  encodeFrame,
  encodeFrames,
  FrameDecoder,
  framedLength,
  varintLength,
} from "../../src/network/framing.js";

function decodeAll(decoder: FrameDecoder): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let m = decoder.next(); m !== undefined; m = decoder.next()) out.push(m);
  return out;
}

describe("framing", () => {
  const messages = [0, 1, 127, 128, 300, 16_384, 70_000].map((n) =>
    Uint8Array.from({ length: n }, (_, i) => i * 7),
  );
  const total = messages.reduce((sum, m) => sum + framedLength(m), 0);
  const wire = encodeFrames(messages, 0, messages.length, total);

  it("encodes varint lengths", () => {
    assert.deepEqual([0, 127, 128, 16_383, 16_384, 2 ** 32 - 1].map(varintLength), [1, 1, 2, 2, 3, 5]);
    assert.deepEqual([...encodeFrame(new Uint8Array(300)).subarray(0, 2)], [0xac, 0x02]);
  });

  it("decodes frames whatever the chunking", () => {
    for (const chunkSize of [1, 2, 3, 100, 4096, wire.length]) {
      const decoder = new FrameDecoder(100_000);
      const out: Uint8Array[] = [];
      for (let at = 0; at < wire.length; at += chunkSize) {
        decoder.push(wire.subarray(at, at + chunkSize));
        out.push(...decodeAll(decoder));
      }
      assert.deepEqual(out, messages, `chunk size ${chunkSize}`);
      assert.equal(decoder.bufferedBytes, 0);
    }
  });

  it("rejects an oversize length before buffering its body", () => {
    const decoder = new FrameDecoder(1_000);
    decoder.push(encodeFrame(new Uint8Array(900)));
    assert.equal(decoder.next()?.length, 900);
    decoder.push(encodeFrame(new Uint8Array(1_001)).subarray(0, 2));
    assert.throws(() => decoder.next(), { code: NetworkErrorCode.FrameTooLarge });
  });

  it("rejects a length prefix of more than five bytes", () => {
    const decoder = new FrameDecoder(2 ** 32);
    decoder.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    assert.throws(() => decoder.next(), { code: NetworkErrorCode.MalformedFrame });
  });
});
