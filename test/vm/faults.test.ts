import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExecutionOutcome } from "../../src/types/execution.js";
import { run } from "./helpers.js";

describe("SAVM faults, out of gas and revert", () => {
  it("stack underflow reverts at the faulting pc, charging the gas used", () => {
    const r = run("PUSH 1\nADD");
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, /^stack underflow/);
    assert.equal(r.pc, 3);
    assert.equal(r.gasUsed, 3 + 5);
  });

  it("DUP and SWAP beyond the stack underflow", () => {
    assert.match(run("PUSH 1\nDUP 2").reason, /stack underflow/);
    assert.match(run("PUSH 1\nSWAP 1").reason, /stack underflow/);
  });

  it("stack overflow past 1024 words", () => {
    const r = run("loop:\nPUSH 1\nPUSH loop\nJUMP");
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, /^stack overflow/);
    // The 1024th iteration's label PUSH would make 1025 words.
    assert.equal(r.gasUsed, 1023 * (3 + 3 + 8) + 3 + 3);
  });

  it("jumps only to instruction boundaries", () => {
    // Offset 1 is inside the first PUSH's immediate.
    const r = run("PUSH 1\nJUMP");
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, /^invalid jump destination: 1 at pc 3/);
    assert.match(run("PUSH 1000\nJUMP").reason, /invalid jump destination/);
    assert.match(run(`PUSH ${2n ** 100n}\nJUMP`).reason, /invalid jump destination/);
  });

  it("division and modulo by zero fault", () => {
    const r = run("PUSH 1\nPUSH 0\nDIV");
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, /^division by zero at pc 6/);
    assert.equal(r.gasUsed, 3 + 3 + 8);
    assert.match(run("PUSH 1\nPUSH 0\nMOD").reason, /division by zero/);
  });

  it("memory beyond 64 KiB faults", () => {
    assert.match(run("PUSH 65505\nMLOAD").reason, /^memory limit exceeded/);
    assert.equal(run("PUSH 65504\nMLOAD\nHALT").outcome, ExecutionOutcome.Success);
  });

  it("out of gas stops at the right pc and charges the whole limit", () => {
    // PUSH(3) PUSH(3) ADD(5) = 11; a limit of 10 runs out on ADD at byte 4.
    const r = run("PUSH 1\nPUSH 2\nADD\nRETURN", { gasLimit: 10 });
    assert.equal(r.outcome, ExecutionOutcome.OutOfGas);
    assert.equal(r.pc, 6);
    assert.equal(r.gasUsed, 10);
    const loop = run("loop:\nPUSH loop\nJUMP", { gasLimit: 1000 });
    assert.equal(loop.outcome, ExecutionOutcome.OutOfGas);
    assert.equal(loop.gasUsed, 1000);
    // 1000 = 90 * 11 + 10: the 91st PUSH (3) fits, its JUMP (8) does not.
    assert.equal(loop.pc, 4);
  });

  it("REVERT rolls back storage, logs and tensor writes, keeps the reason and charges the gas", () => {
    const r = run('PUSH 1\nPUSH 9\nSSTORE\nPUSH 1\nPUSH 2\nLOG\nPUSH "no funds"\nREVERT');
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.equal(r.reason, "no funds");
    assert.equal(r.gasUsed, 3 + 3 + 5000 + 3 + 3 + 375 + 3);
    assert.deepEqual(r.storageMutations, []);
    assert.deepEqual(r.logs, []);
    assert.equal(Buffer.from(r.returnData).toString("latin1").replace(/^\0+/, ""), "no funds");
  });

  it("a failing callee rolls back only its own writes; SDELETE refunds vanish with a revert", () => {
    const src = `
      INPUTSIZE
      PUSH callee
      JUMPI
      PUSH 1
      PUSH 11
      SSTORE          ; caller write survives
      SELF
      PUSH 1
      PUSH 100000
      CALL            ; callee reverts -> ret "nope", success 0
      RETURN          ; returns success flag 0
    callee:
      PUSH 2
      PUSH 22
      SSTORE          ; rolled back
      PUSH "nope"
      REVERT`;
    const r = run(src);
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    assert.equal(r.returnData[31], 0);
    assert.equal(r.storageMutations.length, 1);
    assert.equal(r.storageMutations[0]!.new[31], 11);
  });

  it("CALL beyond the depth limit fails instead of recursing", () => {
    // Each frame calls itself and returns 1 + the callee's word: 63 nested frames succeed, the 64th CALL fails.
    const src = `
      SELF
      PUSH 1
      GAS
      CALL        ; ret, success
      POP
      PUSH 1
      ADD
      RETURN`;
    const r = run(src, { gasLimit: 10_000_000 });
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    assert.equal(r.returnData[31], 64);
  });
});
