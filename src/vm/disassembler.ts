import { Immediate, OP_INFO } from "./opcodes.js";
import { decodeProgram } from "./program.js";
import { wordToAscii, wordToJson } from "./word.js";

/** Immediates that print as strings: plain words, no quotes or escapes to get wrong. */
const READABLE = /^[A-Za-z][A-Za-z0-9 _.:-]*$/;

export interface DisassembledLine {
  pc: number;
  text: string;
}

/**
 * Bytecode to assembly that reassembles to the same bytes: PUSH keeps its width (`PUSH2 300`),
 * ASCII-looking values print as strings, and each line carries its byte offset (the jump target).
 */
export function disassemble(code: Uint8Array): DisassembledLine[] {
  const program = decodeProgram(code);
  const out: DisassembledLine[] = [];
  for (let i = 0; i < program.length; i++) {
    const pc = program.pcs[i]!;
    const info = OP_INFO[program.ops[i]!]!;
    const imm = program.immediates[i]!;
    let text = info.name;
    if (info.immediate === Immediate.Push) {
      const width = code[pc + 1]!;
      const ascii = width >= 2 && code[pc + 2] !== 0 ? wordToAscii(imm) : undefined;
      const value =
        ascii !== undefined && ascii.length === width && READABLE.test(ascii)
          ? `"${ascii}"`
          : wordToJson(imm);
      text = `PUSH${width} ${value}`;
    } else if (info.immediate === Immediate.Index) {
      text = `${info.name} ${imm}`;
    }
    out.push({ pc, text });
  }
  return out;
}

/** The listing as text: `0000: PUSH1 42` per line. */
export function formatDisassembly(code: Uint8Array): string {
  return disassemble(code)
    .map((l) => `${l.pc.toString().padStart(4, "0")}: ${l.text}`)
    .join("\n");
}
