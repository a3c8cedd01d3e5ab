import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { parseDomain } from "../compliance/domains.js";
import { loadRulePackDir, loadRulePackFile, type RulePack } from "../compliance/rulePack.js";
import { complianceStateName, parseComplianceState } from "../compliance/state.js";
import { ExecutionOutcome } from "../types/execution.js";
import { asciiString } from "../types/primitives.js";
import { fromHex, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { assemble } from "../vm/assembler.js";
import { formatDisassembly } from "../vm/disassembler.js";
import { VmError, VmErrorCode } from "../vm/errors.js";
import { type CellInput, type RunResult, runProgram } from "../vm/run.js";

/** Gas limit of `vm run` when none is given: far above any test program, far below a runaway loop's cost. */
const DEFAULT_GAS_LIMIT = 10_000_000;
/** The devnet rule packs shipped with the node (dist/src/cli -> repository root). */
const GENESIS_RULEPACKS = fileURLToPath(new URL("../../../genesis/rulepacks/", import.meta.url));

function bad(message: string): never {
  throw new VmError(VmErrorCode.InvalidInput, message);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    bad(`cannot read ${what} ${path}: ${errorMessage(err)}`);
  }
}

/** A program file: raw bytes (.bin), 0x-hex bytecode, or SAVM assembly. */
export function loadProgram(path: string): Uint8Array {
  if (path.endsWith(".bin")) {
    try {
      return new Uint8Array(readFileSync(path));
    } catch (err) {
      bad(`cannot read program ${path}: ${errorMessage(err)}`);
    }
  }
  const text = readText(path, "program");
  const trimmed = text.trim();
  if (/^0x[0-9a-fA-F]*$/.test(trimmed)) return hexArg(trimmed, "bytecode");
  return assemble(text).bytecode;
}

function hexArg(value: string, what: string, length?: number): Uint8Array {
  const hex = value.startsWith("0x") ? value : `0x${value}`;
  try {
    return fromHex(hex, length);
  } catch (err) {
    bad(`${what}: ${errorMessage(err)}`);
  }
}

function parseGas(value: string): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected a whole number of gas");
  }
  return Number(value);
}

function parseTime(value: string): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("expected unix milliseconds");
  }
  return Number(value);
}

/** The rule pack for --jurisdiction: a devnet pack with that code, or an empty one. */
function rulePackFor(jurisdiction: string, file: string | undefined): RulePack {
  if (file !== undefined) {
    const pack = loadRulePackFile(file);
    if (pack.jurisdiction !== jurisdiction)
      bad(`rule pack ${file} is for ${pack.jurisdiction}, not ${jurisdiction}`);
    return pack;
  }
  const found = loadRulePackDir(GENESIS_RULEPACKS).find((p) => p.jurisdiction === jurisdiction);
  if (found !== undefined) return found;
  return {
    harbor: "local",
    jurisdiction,
    name: `local ${jurisdiction}`,
    version: 1,
    operations: {
      transfer: { export: [], import: [] },
      migrate: { export: [], import: [] },
      deploy: { export: [], import: [] },
      call: { export: [], import: [] },
    },
    attesters: [],
    maxTransferAmount: undefined,
    transferWithholdingBps: 0n,
    treasury: `0x${"00".repeat(32)}`,
  };
}

/**
 * --tensor file: a JSON list (or {"cells": [...]}) of cells:
 * {subject: hex32, jurisdiction: "PAK", domain: "aml" | 0, state: "COMPLIANT" | 5,
 *  expiresAt?: ms (0 = never), evaluatedAt?: ms, attestationRef?: hex32, attester?: hex32}
 */
export function loadTensorFile(path: string): CellInput[] {
  let json: unknown;
  try {
    json = JSON.parse(readText(path, "tensor file"));
  } catch (err) {
    if (err instanceof VmError) throw err;
    bad(`tensor file ${path} is not JSON: ${errorMessage(err)}`);
  }
  const list = Array.isArray(json) ? json : (json as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(list)) bad(`tensor file ${path}: expected a list of cells`);
  return list.map((raw, i) => {
    const where = `tensor file ${path}, cell ${i}`;
    if (typeof raw !== "object" || raw === null) bad(`${where}: expected an object`);
    const c = raw as Record<string, unknown>;
    const str = (k: string): string => {
      if (typeof c[k] !== "string") bad(`${where}: "${k}" must be a string`);
      return c[k] as string;
    };
    const ms = (k: string): number => {
      const v = c[k] ?? 0;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
        bad(`${where}: "${k}" must be unix milliseconds`);
      return v;
    };
    const id = (k: string): Uint8Array =>
      c[k] === undefined ? new Uint8Array(32) : hexArg(str(k), `${where}: "${k}"`, 32);
    let domain: number;
    let state: number;
    try {
      domain = parseDomain(c.domain as string | number);
      state = parseComplianceState(c.state as string | number);
    } catch (err) {
      bad(`${where}: ${errorMessage(err)}`);
    }
    const jurisdiction = str("jurisdiction");
    if (!/^[A-Z]{2,8}$/.test(jurisdiction)) bad(`${where}: jurisdiction must be a code like "PAK"`);
    return {
      subject: hexArg(str("subject"), `${where}: "subject"`, 32),
      jurisdiction,
      domain,
      cell: {
        state,
        attestationRef: id("attestationRef"),
        evaluatedAt: ms("evaluatedAt"),
        expiresAt: ms("expiresAt"),
        attester: id("attester"),
      },
    };
  });
}

const OUTCOME_NAMES: Record<ExecutionOutcome, string> = {
  [ExecutionOutcome.Success]: "success",
  [ExecutionOutcome.Revert]: "revert",
  [ExecutionOutcome.OutOfGas]: "out_of_gas",
  [ExecutionOutcome.Invalid]: "invalid",
};

/** The JSON form `vm run --json` prints. */
export function runResultJson(r: RunResult): Record<string, unknown> {
  return {
    outcome: OUTCOME_NAMES[r.outcome],
    gasUsed: r.gasUsed,
    returnData: toHex(r.returnData),
    reason: r.reason,
    pc: r.pc,
    logs: r.logs.map((l) => ({ asset: toHex(l.asset), topic: toHex(l.topic), data: toHex(l.data) })),
    tensorUpdates: r.tensorUpdates.map((u) => ({
      subject: toHex(u.key.subject),
      jurisdiction: asciiString(u.key.jurisdiction),
      domain: u.key.domain,
      state: complianceStateName(u.cell.state),
      attestationRef: toHex(u.cell.attestationRef),
      evaluatedAt: u.cell.evaluatedAt,
      expiresAt: u.cell.expiresAt,
      attester: toHex(u.cell.attester),
    })),
    storageMutations: r.storageMutations.map((m) => ({
      asset: toHex(m.asset),
      key: toHex(m.key),
      old: toHex(m.old),
      new: toHex(m.new),
    })),
    attestations: r.attestations.map(toHex),
    messages: r.messages.map((m) => ({
      kind: m.kind,
      transitId: toHex(m.transitId),
      destinationHarbor: asciiString(m.destinationHarbor),
      destinationAsset: toHex(m.destinationAsset),
      recipient: toHex(m.recipient),
      amount: m.amount.toString(),
    })),
    asset: toHex(r.asset),
  };
}

function printHuman(r: RunResult): void {
  const j = runResultJson(r);
  const lines = [`outcome: ${j.outcome}`, `gasUsed: ${r.gasUsed}`];
  if (r.outcome !== ExecutionOutcome.Success) lines.push(`reason: ${r.reason}`, `pc: ${r.pc}`);
  lines.push(`returnData: ${j.returnData}`);
  for (const m of j.storageMutations as { key: string; old: string; new: string }[]) {
    lines.push(`storage ${m.key}: ${m.old} -> ${m.new}`);
  }
  for (const u of j.tensorUpdates as {
    subject: string;
    jurisdiction: string;
    domain: number;
    state: string;
  }[]) {
    lines.push(`tensor (${u.subject}, ${u.jurisdiction}, ${u.domain}) = ${u.state}`);
  }
  for (const l of j.logs as { topic: string; data: string }[]) lines.push(`log ${l.topic} ${l.data}`);
  for (const a of j.attestations as string[]) lines.push(`attestation ${a}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

interface RunFlags {
  caller?: string;
  jurisdiction: string;
  tensor?: string;
  gasLimit: number;
  input?: string;
  timestamp?: number;
  rulePack?: string;
  json?: boolean;
  trace?: boolean;
}

/** `mass vm …`: run, assemble and disassemble SAVM programs locally. */
export function vmCommand(): Command {
  const vm = new Command("vm").description("Smart Asset VM tools: run, assemble and disassemble programs");

  vm.command("run")
    .description("run a SAVM program (assembly, 0x-hex or .bin bytecode) against a local harbor")
    .argument("<file>", "program file")
    .option("--caller <hex>", "32-byte caller public key (default all zero)")
    .option("--jurisdiction <code>", "harbor jurisdiction; its devnet rule pack applies", "PAK")
    .option("--tensor <cells.json>", "tensor cells to preload (see docs/savm.md)")
    .option("--gas-limit <n>", "gas limit", parseGas, DEFAULT_GAS_LIMIT)
    .option("--input <hex>", "call input bytes")
    .option("--timestamp <ms>", "block time in unix ms (default: now)", parseTime)
    .option("--rule-pack <file>", "rule pack JSON to use instead of the devnet pack")
    .option("--json", "print the result as JSON")
    .option("--trace", "print DEBUG lines to stderr")
    .action((file: string, flags: RunFlags) => {
      const jurisdiction = flags.jurisdiction.toUpperCase();
      if (!/^[A-Z]{2,8}$/.test(jurisdiction))
        bad(`--jurisdiction must be a code like PAK, got "${flags.jurisdiction}"`);
      const result = runProgram({
        code: loadProgram(file),
        caller: flags.caller === undefined ? new Uint8Array(32) : hexArg(flags.caller, "--caller", 32),
        rulePack: rulePackFor(jurisdiction, flags.rulePack),
        cells: flags.tensor === undefined ? [] : loadTensorFile(flags.tensor),
        gasLimit: flags.gasLimit,
        input: flags.input === undefined ? new Uint8Array(0) : hexArg(flags.input, "--input"),
        // The CLI's default clock is the wall clock (expiry as a user expects); consensus never reads it.
        timestamp: flags.timestamp ?? Date.now(),
        trace: flags.trace ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined,
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(runResultJson(result), null, 2)}\n`);
      else printHuman(result);
    });

  vm.command("asm")
    .description("assemble SAVM text to 0x-hex bytecode")
    .argument("<file>", "assembly file")
    .action((file: string) => {
      process.stdout.write(`${toHex(assemble(readText(file, "assembly file")).bytecode)}\n`);
    });

  vm.command("disasm")
    .description("disassemble bytecode (0x-hex text or .bin) to SAVM text")
    .argument("<file>", "bytecode file")
    .action((file: string) => {
      process.stdout.write(`${formatDisassembly(loadProgram(file))}\n`);
    });

  return vm;
}
