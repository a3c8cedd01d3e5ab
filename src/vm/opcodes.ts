import * as G from "./gas.js";

/**
 * SAVM instruction set. Byte values sit in SPEC's ranges (0x00 stack, 0x10 arithmetic, ... 0xF0 system);
 * they are consensus-critical: never renumber.
 */
export enum Op {
  PUSH = 0x00,
  POP = 0x01,
  DUP = 0x02,
  SWAP = 0x03,
  ADD = 0x10,
  SUB = 0x11,
  MUL = 0x12,
  DIV = 0x13,
  MOD = 0x14,
  EQ = 0x20,
  LT = 0x21,
  GT = 0x22,
  AND = 0x23,
  OR = 0x24,
  NOT = 0x25,
  MLOAD = 0x30,
  MSTORE = 0x31,
  MSIZE = 0x32,
  SLOAD = 0x40,
  SSTORE = 0x41,
  SDELETE = 0x42,
  JUMP = 0x50,
  JUMPI = 0x51,
  CALL = 0x52,
  RETURN = 0x53,
  REVERT = 0x54,
  CALLER = 0x60,
  ORIGIN = 0x61,
  JURISDICTION = 0x62,
  TIMESTAMP = 0x63,
  SELF = 0x64,
  INPUT = 0x65,
  INPUTSIZE = 0x66,
  GAS = 0x67,
  TENSOR_GET = 0x70,
  TENSOR_SET = 0x71,
  ATTEST = 0x72,
  VERIFY_ZK = 0x73,
  TENSOR_STATE = 0x74,
  LOCK = 0x80,
  UNLOCK = 0x81,
  TRANSIT = 0x82,
  SETTLE = 0x83,
  HASH = 0x90,
  VERIFY_SIG = 0x91,
  MERKLE_VERIFY = 0x92,
  HALT = 0xf0,
  LOG = 0xf1,
  DEBUG = 0xf2,
}

/** What follows the opcode byte in the bytecode. */
export enum Immediate {
  None = 0,
  /** PUSH: one length byte L (1..32), then L big-endian value bytes. */
  Push = 1,
  /** DUP n / SWAP n: one byte n (1..16). */
  Index = 2,
}

export interface OpInfo {
  op: Op;
  name: string;
  /** Static gas charged before the instruction runs; dynamic parts are documented per opcode. */
  gas: number;
  /** Stack words consumed and produced (DUP/SWAP: as for n = 1; they need n + 1 words). */
  pops: number;
  pushes: number;
  immediate: Immediate;
  /** One-line description, also printed by the documentation table. */
  doc: string;
}

/** Largest DUP/SWAP index. */
export const MAX_STACK_INDEX = 16;
/** Longest PUSH immediate: one word. */
export const MAX_PUSH_BYTES = 32;

function info(
  op: Op,
  gas: number,
  pops: number,
  pushes: number,
  doc: string,
  immediate: Immediate = Immediate.None,
): OpInfo {
  return { op, name: Op[op], gas, pops, pushes, immediate, doc };
}

const TABLE: readonly OpInfo[] = [
  info(Op.PUSH, G.GAS_STACK, 0, 1, "push the immediate value", Immediate.Push),
  info(Op.POP, G.GAS_STACK, 1, 0, "drop the top word"),
  info(Op.DUP, G.GAS_STACK, 1, 2, "push a copy of the n-th word (DUP 1 = top)", Immediate.Index),
  info(Op.SWAP, G.GAS_STACK, 2, 2, "swap the top with the (n+1)-th word", Immediate.Index),
  info(Op.ADD, G.GAS_ARITH, 2, 1, "a + b mod 2^256"),
  info(Op.SUB, G.GAS_ARITH, 2, 1, "a - b mod 2^256"),
  info(Op.MUL, G.GAS_ARITH, 2, 1, "a * b mod 2^256"),
  info(Op.DIV, G.GAS_DIV, 2, 1, "floor(a / b); b = 0 faults"),
  info(Op.MOD, G.GAS_DIV, 2, 1, "a mod b; b = 0 faults"),
  info(Op.EQ, G.GAS_LOGIC, 2, 1, "a == b ? 1 : 0"),
  info(Op.LT, G.GAS_LOGIC, 2, 1, "a < b ? 1 : 0"),
  info(Op.GT, G.GAS_LOGIC, 2, 1, "a > b ? 1 : 0"),
  info(Op.AND, G.GAS_LOGIC, 2, 1, "logical and: a != 0 && b != 0 ? 1 : 0"),
  info(Op.OR, G.GAS_LOGIC, 2, 1, "logical or: a != 0 || b != 0 ? 1 : 0"),
  info(Op.NOT, G.GAS_LOGIC, 1, 1, "logical not: a == 0 ? 1 : 0"),
  info(Op.MLOAD, G.GAS_MEMORY, 1, 1, "the word at memory[offset .. offset+32]"),
  info(Op.MSTORE, G.GAS_MEMORY, 2, 0, "memory[offset .. offset+32] = value (offset, value)"),
  info(Op.MSIZE, G.GAS_MEMORY, 0, 1, "bytes of memory in use (a multiple of 32)"),
  info(Op.SLOAD, G.GAS_SLOAD_COLD, 1, 1, "storage[key] (0 if absent); 100 gas when warm"),
  info(Op.SSTORE, G.GAS_SSTORE, 2, 0, "storage[key] = value (key, value); value 0 deletes"),
  info(Op.SDELETE, G.GAS_SSTORE, 1, 0, "delete storage[key]; refunds 4800 if it held a value"),
  info(Op.JUMP, G.GAS_JUMP, 1, 0, "jump to an instruction offset"),
  info(Op.JUMPI, G.GAS_JUMPI, 2, 0, "(cond, dest): jump if cond != 0"),
  info(Op.CALL, G.GAS_CALL, 3, 2, "(asset, input, gas): call; pushes return word, then success"),
  info(Op.RETURN, G.GAS_ZERO, 0, 0, "stop with success; return data = top word if any"),
  info(Op.REVERT, G.GAS_ZERO, 0, 0, "stop and roll back; reason = top word if any"),
  info(Op.CALLER, G.GAS_CONTEXT, 0, 1, "the frame's caller (public key or calling asset)"),
  info(Op.ORIGIN, G.GAS_CONTEXT, 0, 1, "the transaction's sender"),
  info(Op.JURISDICTION, G.GAS_CONTEXT, 0, 1, "the harbor's jurisdiction code as ASCII"),
  info(Op.TIMESTAMP, G.GAS_CONTEXT, 0, 1, "block time, unix milliseconds"),
  info(Op.SELF, G.GAS_CONTEXT, 0, 1, "this asset's id"),
  info(Op.INPUT, G.GAS_INPUT, 1, 1, "the word at input[offset .. offset+32], zero-padded"),
  info(Op.INPUTSIZE, G.GAS_CONTEXT, 0, 1, "length of the call input in bytes"),
  info(Op.GAS, G.GAS_CONTEXT, 0, 1, "gas left after this instruction"),
  info(Op.TENSOR_GET, G.GAS_TENSOR, 3, 1, "(subject, jurisdiction, domain): 1 if COMPLIANT or EXEMPT"),
  info(
    Op.TENSOR_SET,
    G.GAS_TENSOR,
    6,
    0,
    "(subject, jurisdiction, domain, state, expiresAt, attestationRef): attester-only cell write",
  ),
  info(Op.ATTEST, G.GAS_ATTEST, 1, 0, "(result): record the attestation; result 0 reverts naming the cell"),
  info(Op.VERIFY_ZK, 0, 4, 1, "(proofType, publicInput, offset, length): 1 if the proof verifies"),
  info(Op.TENSOR_STATE, G.GAS_TENSOR, 3, 1, "(subject, jurisdiction, domain): the cell's state code"),
  info(Op.LOCK, G.GAS_MIGRATION, 1, 1, "(amount): lock units for migration; pushes the lock id"),
  info(Op.UNLOCK, G.GAS_MIGRATION, 1, 1, "(lockId): release a held or refused lock; pushes its amount"),
  info(Op.TRANSIT, G.GAS_MIGRATION, 4, 0, "(lockId, harbor, destAsset, recipient): depart"),
  info(
    Op.SETTLE,
    G.GAS_MIGRATION,
    1,
    4,
    "(transitId): claim an arrival, crediting its recipient; pushes recipient, amount, source harbor, source asset",
  ),
  info(Op.HASH, G.GAS_HASH_BASE, 2, 1, "(offset, length): SHA-256 of memory; +12 gas per word"),
  info(Op.VERIFY_SIG, G.GAS_VERIFY_SIG, 4, 1, "(publicKey, message, sigHigh, sigLow): Ed25519 check"),
  info(
    Op.MERKLE_VERIFY,
    G.GAS_MERKLE_BASE,
    6,
    1,
    "(root, leaf, index, size, offset, count): RFC 9162 inclusion; +100 gas per sibling",
  ),
  info(Op.HALT, G.GAS_ZERO, 0, 0, "stop with success and no return data"),
  info(Op.LOG, G.GAS_LOG, 2, 0, "(topic, data): append a log entry"),
  info(Op.DEBUG, G.GAS_DEBUG, 0, 0, "trace the top word (vm run only; no effect on state)"),
];

/** Opcode byte -> info; undefined for bytes that are not instructions. */
export const OP_INFO: readonly (OpInfo | undefined)[] = (() => {
  const out: (OpInfo | undefined)[] = new Array(256).fill(undefined);
  for (const i of TABLE) out[i.op] = i;
  return out;
})();

const BY_NAME = new Map<string, OpInfo>(TABLE.map((i) => [i.name, i]));

export function opByName(name: string): OpInfo | undefined {
  return BY_NAME.get(name.toUpperCase());
}

export function allOps(): readonly OpInfo[] {
  return TABLE;
}
