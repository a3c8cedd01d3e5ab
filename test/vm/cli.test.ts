import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Command } from "commander";
import { vmCommand } from "../../src/cli/vm.js";

const dir = mkdtempSync(join(tmpdir(), "savm-cli-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `mass vm ...` in-process, returning stdout; errors propagate as thrown. */
async function mass(...args: string[]): Promise<string> {
  const program = new Command("mass").exitOverride().addCommand(vmCommand());
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "mass", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe("mass vm run", () => {
  it("prints the result as JSON: a loop summing 1..10 into storage", async () => {
    const prog = file(
      "sum.savm",
      `
      PUSH 0            ; sum
      PUSH 10           ; i
    loop:
      DUP 1
      NOT
      JUMPI done
      SWAP 1            ; i sum
      DUP 2             ; i sum i
      ADD               ; i sum+i
      SWAP 1
      PUSH 1
      SUB               ; sum i-1
      JUMP loop
    done:
      POP
      PUSH 0
      SWAP 1
      SSTORE 
      PUSH 0
      SLOAD
      RETURN`,
    );
    const json = JSON.parse(await mass("vm", "run", prog, "--json"));
    assert.equal(json.outcome, "success");
    assert.equal(BigInt(json.returnData), 55n);
    // setup 6; 10 iterations of 3+5+3+10 + 3+3+5+3+3+5+3+8 = 54; exit 3+5+3+10; tail 3+3+3+5000+3+100
    assert.equal(json.gasUsed, 6 + 10 * 54 + 21 + 5112);
    assert.equal(json.storageMutations.length, 1);
    assert.deepEqual(Object.keys(json).slice(0, 7), [
      "outcome",
      "gasUsed",
      "returnData",
      "reason",
      "pc",
      "logs",
      "tensorUpdates",
    ]);
  });

  it("applies --tensor, --caller, --jurisdiction, --gas-limit and --input", async () => {
    const subject = `0x${"ab".repeat(32)}`;
    const tensor = file(
      "cells.json",
      JSON.stringify([{ subject, jurisdiction: "ARE", domain: "payments", state: "EXEMPT" }]),
    );
    const prog = file("check.savm", "PUSH 0\nINPUT\nJURISDICTION\nPUSH payments\nTENSOR_GET\nRETURN");
    const args = [
      "vm",
      "run",
      prog,
      "--tensor",
      tensor,
      "--jurisdiction",
      "ARE",
      "--input",
      subject,
      "--json",
    ];
    const ok = JSON.parse(await mass(...args));
    assert.equal(ok.outcome, "success");
    assert.equal(BigInt(ok.returnData), 1n);
    const oog = JSON.parse(await mass(...args, "--gas-limit", "100"));
    assert.equal(oog.outcome, "out_of_gas");
    assert.equal(oog.gasUsed, 100);
    assert.equal(oog.pc, 8);
  });

  it("reports a revert with its reason", async () => {
    const prog = file("revert.savm", 'PUSH "denied"\nREVERT');
    const json = JSON.parse(await mass("vm", "run", prog, "--json"));
    assert.equal(json.outcome, "revert");
    assert.equal(json.reason, "denied");
    assert.equal(json.gasUsed, 3);
  });

  it("rejects bad input with a typed error naming the problem", async () => {
    await assert.rejects(mass("vm", "run", file("bad.savm", "PUSH 1\nPUSHX 2")), {
      code: "ASSEMBLY_ERROR",
      message: 'line 2: unknown instruction "PUSHX"',
    });
    await assert.rejects(mass("vm", "run", join(dir, "missing.savm")), { code: "INVALID_VM_INPUT" });
    await assert.rejects(mass("vm", "run", file("ok.savm", "HALT"), "--caller", "0x12"), {
      code: "INVALID_VM_INPUT",
    });
    await assert.rejects(
      mass("vm", "run", file("ok2.savm", "HALT"), "--tensor", file("t.json", '[{"subject":1}]')),
      {
        code: "INVALID_VM_INPUT",
      },
    );
  });

  it("assembles and disassembles", async () => {
    const src = file("asm.savm", "PUSH 2\nPUSH 3\nADD");
    const hex = (await mass("vm", "asm", src)).trim();
    assert.equal(hex, "0x00010200010310");
    const dis = await mass("vm", "disasm", file("code.hex", hex));
    assert.equal(dis, "0000: PUSH1 2\n0003: PUSH1 3\n0006: ADD\n");
  });
});
