import { DOMAINS } from "../compliance/domains.js";
import { ComplianceState } from "../compliance/state.js";
import { VmError, VmErrorCode } from "./errors.js";
import { Immediate, MAX_PUSH_BYTES, MAX_STACK_INDEX, Op, type OpInfo, opByName } from "./opcodes.js";
import { asciiToWord, toBig, type Word, wordOf } from "./word.js";

/**
 * SAVM assembly (docs/savm.md, "Assembly"): one instruction per line; `;`, `#` or `//` start a comment;
 * `name:` defines a label (its byte offset); `.const NAME value` (or `NAME = value`) a constant.
 * Values: decimal, 0x-hex, "ASCII" (up to 32 bytes, right-aligned), labels, constants, and the
 * built-in names of the compliance domains (aml = 0 ...) and states (COMPLIANT = 5 ...).
 * `PUSH v` uses the fewest bytes; `PUSHn v` forces n bytes; a label always takes 2 bytes.
 * Any other instruction may take operands, which are pushed first: `JUMPI loop` = `PUSH loop; JUMPI`.
 */

/** Bytes a label's PUSH takes: enough for any offset in a 64 KiB program. */
const LABEL_BYTES = 2;
const IDENT_RE = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

interface Operand {
  text: string;
  /** Fixed width in bytes, or undefined for the minimal width. */
  width: number | undefined;
}

type Item =
  | { kind: "push"; operand: Operand; line: number }
  | { kind: "index"; op: Op; n: number; line: number }
  | { kind: "op"; op: Op; line: number };

function fail(line: number, message: string): never {
  throw new VmError(VmErrorCode.AssemblyError, `line ${line}: ${message}`, { line });
}

function builtins(): Map<string, Word> {
  const out = new Map<string, Word>();
  DOMAINS.forEach((d, i) => {
    out.set(d, i);
  });
  for (const [name, value] of Object.entries(ComplianceState)) {
    if (typeof value === "number") out.set(name, value);
  }
  return out;
}
const BUILTINS = builtins();

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inString = !inString;
    if (inString) continue;
    if (c === ";" || c === "#" || (c === "/" && line[i + 1] === "/")) return line.slice(0, i);
  }
  return line;
}

/** Splits operands on commas and whitespace, keeping quoted strings whole. */
function splitOperands(text: string, line: number): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[^\s,"]+)\s*,?/gy;
  let consumed = 0;
  while (consumed < text.length) {
    const m = re.exec(text);
    if (m === null) break;
    out.push(m[1]!);
    consumed = re.lastIndex;
  }
  if (text.slice(consumed).trim() !== "") fail(line, `cannot read operands "${text.trim()}"`);
  return out;
}

function byteLength(w: Word): number {
  if (w === 0) return 1;
  return Math.ceil(toBig(w).toString(16).length / 2);
}

function parseNumber(text: string): Word | undefined {
  if (/^0x[0-9a-fA-F]+$/.test(text)) {
    const v = BigInt(text);
    return v > (1n << 256n) - 1n ? undefined : wordOf(v);
  }
  if (/^[0-9]+$/.test(text)) {
    const v = BigInt(text);
    return v > (1n << 256n) - 1n ? undefined : wordOf(v);
  }
  return undefined;
}

function parseString(text: string, line: number): Word {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(line, `bad string ${text}`);
  }
  try {
    return asciiToWord(value as string);
  } catch (err) {
    fail(line, (err as Error).message);
  }
}

export interface AssembleResult {
  bytecode: Uint8Array;
  labels: Map<string, number>;
}

/** Assembles SAVM text; every error names its line. */
export function assemble(source: string): AssembleResult {
  const items: Item[] = [];
  const constants = new Map<string, string>();
  const labelLines = new Map<string, number>();
  const labelAt = new Map<string, number>();
  const pendingLabels: string[] = [];
  const lines = source.split(/\r?\n/);

  for (let idx = 0; idx < lines.length; idx++) {
    const line = idx + 1;
    let text = stripComment(lines[idx]!).trim();
    if (text === "") continue;
    const labelMatch = /^([A-Za-z_.$][A-Za-z0-9_.$]*):\s*/.exec(text);
    if (labelMatch) {
      const name = labelMatch[1]!;
      if (labelLines.has(name) || constants.has(name)) fail(line, `"${name}" is defined twice`);
      labelLines.set(name, line);
      pendingLabels.push(name);
      text = text.slice(labelMatch[0].length).trim();
      if (text === "") continue;
    }
    const constMatch =
      /^(?:\.const|\.equ|\.define)\s+(\S+)\s*,?\s*(.+)$/i.exec(text) ?? /^(\S+)\s*=\s*(.+)$/.exec(text);
    if (constMatch) {
      const name = constMatch[1]!;
      if (!IDENT_RE.test(name)) fail(line, `bad constant name "${name}"`);
      if (labelLines.has(name) || constants.has(name)) fail(line, `"${name}" is defined twice`);
      constants.set(name, constMatch[2]!.trim());
      continue;
    }
    const mnemonic = text.split(/\s+/)[0] ?? "";
    const operands = splitOperands(text.slice(mnemonic.length), line);
    const upper = mnemonic.toUpperCase();
    const start = items.length;
    const pushMatch = /^PUSH([0-9]+)?$/.exec(upper);
    const indexMatch = /^(DUP|SWAP)([0-9]+)?$/.exec(upper);
    if (pushMatch) {
      const width = pushMatch[1] === undefined ? undefined : Number(pushMatch[1]);
      if (width !== undefined && (width < 1 || width > MAX_PUSH_BYTES))
        fail(line, `PUSH width must be 1..32`);
      if (operands.length !== 1) fail(line, `PUSH takes exactly one value`);
      items.push({ kind: "push", operand: { text: operands[0]!, width }, line });
    } else if (indexMatch) {
      const op = indexMatch[1] === "DUP" ? Op.DUP : Op.SWAP;
      let n: number;
      if (indexMatch[2] !== undefined) {
        if (operands.length > 0) fail(line, `${upper} takes no operand`);
        n = Number(indexMatch[2]);
      } else if (operands.length === 0) {
        n = 1;
      } else if (operands.length === 1 && /^[0-9]+$/.test(operands[0]!)) {
        n = Number(operands[0]);
      } else {
        fail(line, `${upper} takes one index 1..${MAX_STACK_INDEX}`);
      }
      if (n < 1 || n > MAX_STACK_INDEX) fail(line, `${indexMatch[1]} index must be 1..${MAX_STACK_INDEX}`);
      items.push({ kind: "index", op, n, line });
    } else {
      const info: OpInfo | undefined = opByName(upper);
      if (info === undefined || info.immediate !== Immediate.None)
        fail(line, `unknown instruction "${mnemonic}"`);
      for (const operand of operands)
        items.push({ kind: "push", operand: { text: operand, width: undefined }, line });
      items.push({ kind: "op", op: info.op, line });
    }
    for (const name of pendingLabels) labelAt.set(name, start);
    pendingLabels.length = 0;
  }
  for (const name of pendingLabels) labelAt.set(name, items.length);

  // Resolve values (labels have a fixed width, so offsets are known after one layout pass).
  const resolving = new Set<string>();
  const resolve = (text: string, line: number): Word | { label: string } => {
    if (text.startsWith('"')) return parseString(text, line);
    const n = parseNumber(text);
    if (n !== undefined) return n;
    if (/^[0-9]/.test(text) || text.startsWith("0x")) fail(line, `bad number "${text}" (at most 2^256 - 1)`);
    if (labelAt.has(text)) return { label: text };
    const constant = constants.get(text);
    if (constant !== undefined) {
      if (resolving.has(text)) fail(line, `constant "${text}" refers to itself`);
      resolving.add(text);
      const v = resolve(constant, line);
      resolving.delete(text);
      return v;
    }
    const builtin = BUILTINS.get(text) ?? BUILTINS.get(text.toLowerCase());
    if (builtin !== undefined) return builtin;
    fail(line, `unknown name "${text}"`);
  };

  const values: (Word | string)[] = [];
  const offsets: number[] = [];
  let pc = 0;
  for (const item of items) {
    offsets.push(pc);
    if (item.kind === "push") {
      const v = resolve(item.operand.text, item.line);
      if (typeof v === "object") {
        if (item.operand.width !== undefined && item.operand.width < LABEL_BYTES) {
          fail(item.line, `a label needs PUSH${LABEL_BYTES} or wider`);
        }
        values.push(v.label);
        pc += 2 + (item.operand.width ?? LABEL_BYTES);
      } else {
        const width = item.operand.width ?? byteLength(v);
        if (byteLength(v) > width) fail(item.line, `value does not fit in ${width} bytes`);
        values.push(v);
        pc += 2 + width;
      }
    } else {
      values.push(0);
      pc += item.kind === "index" ? 2 : 1;
    }
  }
  const labels = new Map<string, number>();
  for (const [name, index] of labelAt) labels.set(name, index < offsets.length ? offsets[index]! : pc);

  const out = new Uint8Array(pc);
  items.forEach((item, k) => {
    const at = offsets[k]!;
    if (item.kind === "op") {
      out[at] = item.op;
    } else if (item.kind === "index") {
      out[at] = item.op;
      out[at + 1] = item.n;
    } else {
      const raw = values[k]!;
      const value = typeof raw === "string" ? labels.get(raw)! : raw;
      const width = item.operand.width ?? (typeof raw === "string" ? LABEL_BYTES : byteLength(value));
      out[at] = Op.PUSH;
      out[at + 1] = width;
      let big = toBig(value);
      for (let b = width - 1; b >= 0; b--) {
        out[at + 2 + b] = Number(big & 0xffn);
        big >>= 8n;
      }
    }
  });
  return { bytecode: out, labels };
}
