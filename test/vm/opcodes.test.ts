import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExecutionOutcome } from "../../src/types/execution.js";
import { ret, run } from "./helpers.js";

const MAX = (1n << 256n) - 1n;

/** [name, program, expected return value, expected gas] */
const CASES: [string, string, bigint, number][] = [
  ["PUSH", "PUSH 42\nRETURN", 42n, 3],
  ["PUSH32", `PUSH ${MAX}\nRETURN`, MAX, 3],
  ["POP", "PUSH 1\nPUSH 2\nPOP\nRETURN", 1n, 9],
  ["DUP 2", "PUSH 7\nPUSH 8\nDUP 2\nRETURN", 7n, 9],
  ["SWAP 1", "PUSH 7\nPUSH 8\nSWAP 1\nRETURN", 7n, 9],
  ["SWAP 2", "PUSH 7\nPUSH 8\nPUSH 9\nSWAP 2\nRETURN", 7n, 12],
  ["ADD", "PUSH 2\nPUSH 3\nADD\nRETURN", 5n, 11],
  ["ADD wraps", `PUSH ${MAX}\nPUSH 2\nADD\nRETURN`, 1n, 11],
  ["ADD past 2^53", `PUSH ${2 ** 53 - 1}\nPUSH 1\nADD\nRETURN`, 2n ** 53n, 11],
  ["SUB", "PUSH 10\nPUSH 3\nSUB\nRETURN", 7n, 11],
  ["SUB wraps", "PUSH 0\nPUSH 1\nSUB\nRETURN", MAX, 11],
  ["MUL", "PUSH 6\nPUSH 7\nMUL\nRETURN", 42n, 11],
  ["MUL big", `PUSH ${2n ** 128n}\nPUSH ${2n ** 128n + 3n}\nMUL\nRETURN`, (3n * 2n ** 128n) & MAX, 11],
  ["DIV", "PUSH 43\nPUSH 7\nDIV\nRETURN", 6n, 14],
  ["DIV big", `PUSH ${MAX}\nPUSH ${2n ** 200n}\nDIV\nRETURN`, MAX / 2n ** 200n, 14],
  ["MOD", "PUSH 43\nPUSH 7\nMOD\nRETURN", 1n, 14],
  ["EQ", "PUSH 5\nPUSH 5\nEQ\nRETURN", 1n, 11],
  ["EQ big/small", `PUSH ${MAX}\nPUSH 5\nEQ\nRETURN`, 0n, 11],
  ["LT", "PUSH 1\nPUSH 2\nLT\nRETURN", 1n, 11],
  ["LT mixed", `PUSH ${MAX}\nPUSH 2\nLT\nRETURN`, 0n, 11],
  ["GT", "PUSH 1\nPUSH 2\nGT\nRETURN", 0n, 11],
  ["AND", "PUSH 5\nPUSH 6\nAND\nRETURN", 1n, 11],
  ["AND false", "PUSH 5\nPUSH 0\nAND\nRETURN", 0n, 11],
  ["OR", "PUSH 0\nPUSH 6\nOR\nRETURN", 1n, 11],
  ["NOT", "PUSH 0\nNOT\nRETURN", 1n, 8],
  ["MSTORE/MLOAD", "PUSH 64\nPUSH 99\nMSTORE\nPUSH 64\nMLOAD\nRETURN", 99n, 15],
  ["MSIZE", "PUSH 40\nPUSH 1\nMSTORE\nMSIZE\nRETURN", 96n, 12],
  ["SSTORE/SLOAD warm", "PUSH 1\nPUSH 9\nSSTORE\nPUSH 1\nSLOAD\nRETURN", 9n, 5000 + 9 + 100],
  ["SLOAD cold", "PUSH 1\nSLOAD\nRETURN", 0n, 203],
  ["SLOAD twice", "PUSH 1\nSLOAD\nPOP\nPUSH 1\nSLOAD\nRETURN", 0n, 3 + 200 + 3 + 3 + 100],
  ["JUMP", "PUSH skip\nJUMP\nPUSH 1\nRETURN\nskip:\nPUSH 2\nRETURN", 2n, 3 + 8 + 3],
  ["JUMPI taken", "PUSH 1\nPUSH skip\nJUMPI\nPUSH 1\nRETURN\nskip:\nPUSH 2\nRETURN", 2n, 3 + 3 + 10 + 3],
  ["JUMPI not taken", "PUSH 0\nPUSH skip\nJUMPI\nPUSH 1\nRETURN\nskip:\nPUSH 2\nRETURN", 1n, 3 + 3 + 10 + 3],
  ["JURISDICTION", "JURISDICTION\nRETURN", 0x50414bn, 2],
  ["TIMESTAMP", "TIMESTAMP\nRETURN", 1_700_000_000_000n, 2],
  ["CALLER", "CALLER\nRETURN", BigInt(`0x${"cc".repeat(32)}`), 2],
  ["ORIGIN", "ORIGIN\nRETURN", BigInt(`0x${"cc".repeat(32)}`), 2],
  ["INPUTSIZE", "INPUTSIZE\nRETURN", 0n, 2],
  ["INPUT past end", "PUSH 0\nINPUT\nRETURN", 0n, 6],
  ["GAS", "GAS\nRETURN", 1_000_000n - 2n, 2],
  [
    "HASH",
    "PUSH 0\nPUSH 0\nHASH\nRETURN",
    0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855n,
    66,
  ],
  ["HASH one word", "PUSH 0\nPUSH 32\nHASH\nPOP\nPUSH 1\nRETURN", 1n, 3 + 3 + 60 + 12 + 3 + 3],
  ["LOG", "PUSH 1\nPUSH 2\nLOG\nHALT", 0n, 381],
  ["DEBUG", "PUSH 1\nDEBUG\nRETURN", 1n, 5],
  ["HALT", "HALT\nPUSH 1", 0n, 0],
  ["run off the end", "PUSH 1\nPOP", 0n, 6],
];

describe("SAVM opcodes: effect and exact gas", () => {
  for (const [name, source, expected, gas] of CASES) {
    it(name, () => {
      const r = run(source);
      assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
      assert.equal(ret(r), expected);
      assert.equal(r.gasUsed, gas);
    });
  }

  it("SELF is the running asset's id (vm run: SHA-256 of the code)", () => {
    const r = run("SELF\nRETURN");
    assert.deepEqual(r.returnData, new Uint8Array(r.asset));
    assert.equal(r.gasUsed, 2);
  });

  it("INPUT reads 32-byte words of the call input", () => {
    const input = new Uint8Array(40);
    input[31] = 7;
    input[39] = 1;
    const r = run("PUSH 8\nINPUT\nRETURN", { input });
    assert.equal(ret(r), (7n << 64n) | 1n);
    assert.equal(run("PUSH 0\nINPUT\nRETURN", { input }).returnData[31], 7);
  });

  it("SSTORE records the mutation; SDELETE refunds 4800 on success", () => {
    const r = run("PUSH 1\nPUSH 9\nSSTORE\nPUSH 1\nSDELETE\nPUSH 2\nPUSH 5\nSSTORE\nHALT");
    assert.equal(r.gasUsed, 3 + 3 + 5000 + 3 + 5000 - 4800 + 3 + 3 + 5000);
    assert.equal(r.storageMutations.length, 1);
    assert.equal(r.storageMutations[0]!.key[31], 2);
    assert.equal(r.storageMutations[0]!.new[31], 5);
  });

  it("LOG appends an entry", () => {
    const r = run("PUSH 1\nPUSH 2\nLOG\nHALT");
    assert.equal(r.logs.length, 1);
    assert.equal(r.logs[0]!.topic[31], 1);
    assert.equal(r.logs[0]!.data[31], 2);
  });

  it("CALL runs another asset (here itself) with a depth-1 frame", () => {
    // Depth 0 calls itself with input 1; the callee sees INPUTSIZE 32 and returns 77.
    const src = `
      INPUTSIZE
      PUSH callee
      JUMPI
      SELF
      PUSH 1
      PUSH 50000
      CALL        ; -> ret, success
      SWAP 1
      RETURN      ; returns the callee's word
    callee:
      PUSH 77
      RETURN`;
    const r = run(src);
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    assert.equal(ret(r), 77n);
    // caller: INPUTSIZE 2 + PUSH 3 + JUMPI 10 + SELF 2 + PUSH 3 + PUSH 3 + CALL 700 + SWAP 3 = 726;
    // callee: INPUTSIZE 2 + PUSH 3 + JUMPI 10 + PUSH 3 = 18
    assert.equal(r.gasUsed, 726 + 18);
  });

  it("CALL to a missing asset pushes 0, 0", () => {
    const r = run("PUSH 5\nPUSH 0\nPUSH 1000\nCALL\nRETURN");
    assert.equal(ret(r), 0n);
    assert.equal(r.gasUsed, 9 + 700);
  });
});
