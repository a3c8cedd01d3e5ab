import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toHex } from "../../src/util/bytes.js";
import { assemble } from "../../src/vm/assembler.js";
import { disassemble, formatDisassembly } from "../../src/vm/disassembler.js";
import { TOKEN_SOURCE } from "../../src/vm/examples/token.js";
import { runProgram } from "../../src/vm/run.js";
import { NOW, pack } from "./helpers.js";

describe("assembler", () => {
  it("encodes PUSH with a length byte and minimal width, DUP/SWAP with an index", () => {
    assert.equal(
      toHex(assemble("PUSH 0\nPUSH 255\nPUSH 256\nDUP 3\nSWAP\nADD").bytecode),
      "0x" + "000100" + "0001ff" + "00020100" + "0203" + "0301" + "10",
    );
  });

  it("supports labels, constants, comments, strings, built-in names and forced widths", () => {
    const src = `
      # comment
      .const TEN 10        ; trailing comment
      LIMIT = TEN
      start: PUSH LIMIT    // another comment
      PUSH2 1
      PUSH "PAK"
      PUSH sanctions
      PUSH EXPIRED
      PUSH start
      JUMPI end
      end:`;
    const { bytecode, labels } = assemble(src);
    assert.equal(labels.get("start"), 0);
    assert.equal(labels.get("end"), bytecode.length);
    assert.deepEqual(
      disassemble(bytecode).map((l) => l.text),
      [
        "PUSH1 10",
        "PUSH2 1",
        'PUSH3 "PAK"',
        "PUSH1 2",
        "PUSH1 1",
        "PUSH2 0",
        `PUSH2 ${String(bytecode.length)}`,
        "JUMPI",
      ],
    );
  });

  it("operands of other instructions are pushed first", () => {
    assert.deepEqual(assemble("SSTORE 1, 2").bytecode, assemble("PUSH 1\nPUSH 2\nSSTORE").bytecode);
  });

  it("names the line of every error", () => {
    const cases: [string, RegExp][] = [
      ["PUSH 1\nFROB", /^line 2: unknown instruction "FROB"/],
      ["PUSH nothing", /^line 1: unknown name "nothing"/],
      ["a:\na:", /^line 2: "a" is defined twice/],
      ["\n\nPUSH1 256", /^line 3: value does not fit in 1 bytes/],
      ["DUP 17", /^line 1: DUP index must be 1..16/],
      [`PUSH 0x1${"0".repeat(64)}`, /^line 1: bad number/],
      ['PUSH "this string is far longer than thirty-two bytes"', /^line 1: .*longer than 32 bytes/],
      ["PUSH 1, 2", /^line 1: PUSH takes exactly one value/],
    ];
    for (const [src, re] of cases) {
      assert.throws(
        () => assemble(src),
        (e: Error & { code?: string }) => re.test(e.message) && e.code === "ASSEMBLY_ERROR",
        src,
      );
    }
  });

  it("disassembly reassembles to the same bytes", () => {
    const code = assemble(TOKEN_SOURCE).bytecode;
    const text = disassemble(code)
      .map((l) => l.text)
      .join("\n");
    assert.deepEqual(assemble(text).bytecode, code);
    assert.match(formatDisassembly(code), /^0000: CALLER\n0001: DUP 1\n/);
  });

  it("refuses invalid bytecode naming the byte", () => {
    const run = (code: Uint8Array) =>
      runProgram({
        code,
        caller: new Uint8Array(32),
        rulePack: pack("pk-sifc"),
        cells: [],
        gasLimit: 10,
        input: new Uint8Array(0),
        timestamp: NOW,
      });
    assert.throws(() => run(Uint8Array.of(0x10, 0x0f)), /unknown opcode 0x0f at byte 1/);
    assert.throws(() => run(Uint8Array.of(0x00, 0x02, 0x01)), /PUSH data runs past the end at byte 0/);
  });
});
