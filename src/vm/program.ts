import { VmError, VmErrorCode } from "./errors.js";
import { Immediate, MAX_PUSH_BYTES, MAX_STACK_INDEX, OP_INFO } from "./opcodes.js";
import { bytesToWord, type Word } from "./word.js";

/**
 * Bytecode decoded once into instruction arrays, so the interpreter never re-parses immediates. A
 * jump destination is valid exactly when it is the byte offset of an instruction (never inside a
 * PUSH's data); `indexOfPc` maps it to the instruction index, -1 elsewhere.
 */
export interface Program {
  readonly code: Uint8Array;
  readonly ops: Uint8Array;
  /** Byte offset of each instruction. */
  readonly pcs: Uint32Array;
  /** PUSH value, or DUP/SWAP index, per instruction (0 for the rest). */
  readonly immediates: readonly Word[];
  readonly indexOfPc: Int32Array;
  readonly length: number;
}

function invalid(message: string, pc: number): never {
  throw new VmError(VmErrorCode.InvalidBytecode, `${message} at byte ${pc}`, { pc });
}

/** Decodes and validates bytecode: every byte an opcode or its immediate, no truncated immediate. */
export function decodeProgram(code: Uint8Array): Program {
  const ops: number[] = [];
  const pcs: number[] = [];
  const immediates: Word[] = [];
  const indexOfPc = new Int32Array(code.length).fill(-1);
  let pc = 0;
  while (pc < code.length) {
    const byte = code[pc]!;
    const info = OP_INFO[byte];
    if (info === undefined) invalid(`unknown opcode 0x${byte.toString(16).padStart(2, "0")}`, pc);
    indexOfPc[pc] = ops.length;
    ops.push(byte);
    pcs.push(pc);
    if (info.immediate === Immediate.Push) {
      const length = code[pc + 1];
      if (length === undefined || length < 1 || length > MAX_PUSH_BYTES) {
        invalid(`PUSH needs a length byte of 1..${MAX_PUSH_BYTES}`, pc);
      }
      if (pc + 2 + length > code.length) invalid(`PUSH data runs past the end`, pc);
      immediates.push(bytesToWord(code, pc + 2, pc + 2 + length));
      pc += 2 + length;
    } else if (info.immediate === Immediate.Index) {
      const n = code[pc + 1];
      if (n === undefined || n < 1 || n > MAX_STACK_INDEX)
        invalid(`${info.name} needs an index of 1..16`, pc);
      immediates.push(n);
      pc += 2;
    } else {
      immediates.push(0);
      pc += 1;
    }
  }
  return {
    code,
    ops: Uint8Array.from(ops),
    pcs: Uint32Array.from(pcs),
    immediates,
    indexOfPc,
    length: ops.length,
  };
}

const cache = new WeakMap<Uint8Array, Program>();

/** decodeProgram, memoised per bytecode buffer (an asset's code is decoded once per harbor task). */
export function programOf(code: Uint8Array): Program {
  let program = cache.get(code);
  if (program === undefined) {
    program = decodeProgram(code);
    cache.set(code, program);
  }
  return program;
}
