import { isPassing } from "../compliance/state.js";
import { sha256 } from "../crypto/hash.js";
import { verifyMerkleProof } from "../crypto/merkle.js";
import { ExecutionOutcome, MAX_RECEIPT_LOGS } from "../types/execution.js";
import type { ExecutionEnv, Frame } from "./env.js";
import { Fault, FaultCode } from "./errors.js";
import * as G from "./gas.js";
import { MAX_CALL_DEPTH, MAX_MEMORY_BYTES, MAX_STACK } from "./limits.js";
import { OP_INFO, Op } from "./opcodes.js";
import { argDomain, argHarbor, argId, argJurisdiction, argState, argU64 } from "./precompiles/args.js";
import { attest, tensorRead, tensorSet } from "./precompiles/compliance.js";
import { MAX_MERKLE_SIBLINGS, verifySignature } from "./precompiles/crypto.js";
import { lock, settle, transit, unlock } from "./precompiles/migration.js";
import { GAS_ZK_MIN } from "./precompiles/zkGas.js";
import type { AssetState } from "./state/world.js";
import type { Word } from "./word.js";
import * as W from "./word.js";

/** How a frame ended. `pc` is the byte offset of the instruction that ended it (0 when it ran off the end). */
export interface FrameResult {
  outcome: ExecutionOutcome.Success | ExecutionOutcome.Revert | ExecutionOutcome.OutOfGas;
  gasLeft: number;
  /** RETURN's top word, or REVERT's reason word; undefined when the stack was empty. */
  returnWord: Word | undefined;
  /** Revert reason or fault description; "" on success. */
  reason: string;
  pc: number;
}

// Per-opcode tables the loop indexes directly (faster than reading OpInfo objects).
const STATIC_GAS = new Int32Array(256);
const MIN_STACK = new Int32Array(256);
const GROWTH = new Int32Array(256);
for (const info of OP_INFO) {
  if (info === undefined) continue;
  STATIC_GAS[info.op] = info.gas;
  MIN_STACK[info.op] = info.pops;
  GROWTH[info.op] = info.pushes - info.pops;
}
// SLOAD's price depends on whether the slot is warm: charged in its case.
STATIC_GAS[Op.SLOAD] = 0;

const WORD = 32;

function ensureMemory(frame: Frame, offset: Word, length: number): number {
  if (typeof offset !== "number" || offset + length > MAX_MEMORY_BYTES) {
    throw new Fault(FaultCode.MemoryLimit, `memory is limited to ${MAX_MEMORY_BYTES} bytes`);
  }
  const end = offset + length;
  if (end > frame.memorySize) {
    const size = Math.ceil(end / WORD) * WORD;
    if (size > frame.memory.length) {
      const grown = new Uint8Array(Math.min(MAX_MEMORY_BYTES, Math.max(size, frame.memory.length * 2)));
      grown.set(frame.memory);
      frame.memory = grown;
    }
    frame.memorySize = size;
  }
  return offset;
}

function inputWord(input: Uint8Array, offset: Word): Word {
  if (typeof offset !== "number" || offset >= input.length) return 0;
  if (offset + WORD <= input.length) return W.bytesToWord(input, offset, offset + WORD);
  const chunk = new Uint8Array(WORD);
  chunk.set(input.subarray(offset, offset + WORD));
  return W.bytesToWord(chunk);
}

/** A revert reason word as text: its ASCII when it is a short string, else the number. */
export function reasonText(w: Word | undefined): string {
  if (w === undefined) return "";
  return W.wordToAscii(w) ?? W.wordToJson(w);
}

/**
 * Runs one frame of `asset`'s code. Writes go through the world's journal; a frame that does not
 * succeed rolls back everything it (and its callees) wrote, keeping the gas it used charged.
 */
export function runFrame(
  env: ExecutionEnv,
  asset: AssetState,
  caller: Uint8Array,
  callerWord: Word,
  input: Uint8Array,
  gasLimit: number,
  depth: number,
): FrameResult {
  const checkpoint = env.world.checkpoint();
  const frame: Frame = {
    asset,
    caller,
    callerWord,
    input,
    depth,
    memory: new Uint8Array(0),
    memorySize: 0,
    readings: [],
    firstFailure: undefined,
  };
  const result = interpret(env, frame, gasLimit);
  if (result.outcome !== ExecutionOutcome.Success) env.world.rollback(checkpoint);
  return result;
}

/**
 * One stack buffer per call depth, reused across executions: frames at one depth never overlap in
 * time, and allocating 1024 slots per call was a measurable share of a short transaction.
 */
const stacks: Word[][] = [];

function stackFor(depth: number): Word[] {
  let stack = stacks[depth];
  if (stack === undefined) {
    stack = new Array<Word>(MAX_STACK).fill(0);
    stacks[depth] = stack;
  }
  return stack;
}

function interpret(env: ExecutionEnv, frame: Frame, gasLimit: number): FrameResult {
  const world = env.world;
  const asset = frame.asset;
  const program = asset.program;
  const ops = program.ops;
  const imms = program.immediates;
  const n = program.length;
  const stack = stackFor(frame.depth);
  let sp = 0;
  let i = 0;
  let gas = gasLimit;

  try {
    while (i < n) {
      const op = ops[i]!;
      const cost = STATIC_GAS[op]!;
      if (gas < cost) throw new Fault(FaultCode.OutOfGas, "");
      gas -= cost;
      if (sp < MIN_STACK[op]!)
        throw new Fault(FaultCode.StackUnderflow, `${Op[op]} needs ${MIN_STACK[op]} words`);
      if (sp + GROWTH[op]! > MAX_STACK)
        throw new Fault(FaultCode.StackOverflow, `more than ${MAX_STACK} words`);
      switch (op) {
        case Op.PUSH:
          stack[sp++] = imms[i]!;
          break;
        case Op.POP:
          sp--;
          break;
        case Op.DUP: {
          const k = imms[i] as number;
          if (sp < k) throw new Fault(FaultCode.StackUnderflow, `DUP ${k} needs ${k} words`);
          stack[sp] = stack[sp - k]!;
          sp++;
          break;
        }
        case Op.SWAP: {
          const k = imms[i] as number;
          if (sp < k + 1) throw new Fault(FaultCode.StackUnderflow, `SWAP ${k} needs ${k + 1} words`);
          const top = stack[sp - 1]!;
          stack[sp - 1] = stack[sp - 1 - k]!;
          stack[sp - 1 - k] = top;
          break;
        }
        case Op.ADD: {
          const b = stack[--sp]!;
          stack[sp - 1] = W.add(stack[sp - 1]!, b);
          break;
        }
        case Op.SUB: {
          const b = stack[--sp]!;
          stack[sp - 1] = W.sub(stack[sp - 1]!, b);
          break;
        }
        case Op.MUL: {
          const b = stack[--sp]!;
          stack[sp - 1] = W.mul(stack[sp - 1]!, b);
          break;
        }
        case Op.DIV:
        case Op.MOD: {
          const b = stack[--sp]!;
          if (b === 0) throw new Fault(FaultCode.DivisionByZero, "");
          stack[sp - 1] = op === Op.DIV ? W.div(stack[sp - 1]!, b) : W.mod(stack[sp - 1]!, b);
          break;
        }
        case Op.EQ: {
          const b = stack[--sp]!;
          stack[sp - 1] = stack[sp - 1] === b ? 1 : 0;
          break;
        }
        case Op.LT: {
          const b = stack[--sp]!;
          stack[sp - 1] = W.lt(stack[sp - 1]!, b) ? 1 : 0;
          break;
        }
        case Op.GT: {
          const b = stack[--sp]!;
          stack[sp - 1] = W.lt(b, stack[sp - 1]!) ? 1 : 0;
          break;
        }
        case Op.AND: {
          const b = stack[--sp]!;
          stack[sp - 1] = stack[sp - 1] !== 0 && b !== 0 ? 1 : 0;
          break;
        }
        case Op.OR: {
          const b = stack[--sp]!;
          stack[sp - 1] = stack[sp - 1] !== 0 || b !== 0 ? 1 : 0;
          break;
        }
        case Op.NOT:
          stack[sp - 1] = stack[sp - 1] === 0 ? 1 : 0;
          break;
        case Op.MLOAD: {
          const at = ensureMemory(frame, stack[sp - 1]!, WORD);
          stack[sp - 1] = W.bytesToWord(frame.memory, at, at + WORD);
          break;
        }
        case Op.MSTORE: {
          const value = stack[--sp]!;
          const at = ensureMemory(frame, stack[--sp]!, WORD);
          W.wordToBytes(value, frame.memory, at);
          break;
        }
        case Op.MSIZE:
          stack[sp++] = frame.memorySize;
          break;
        case Op.SLOAD: {
          const key = stack[sp - 1]!;
          const extra = world.isWarm(asset, key) ? G.GAS_SLOAD_WARM : G.GAS_SLOAD_COLD;
          if (gas < extra) throw new Fault(FaultCode.OutOfGas, "");
          gas -= extra;
          stack[sp - 1] = world.sload(asset, key);
          break;
        }
        case Op.SSTORE: {
          const value = stack[--sp]!;
          const prev = world.sstore(asset, stack[--sp]!, value);
          if (value === 0 && prev !== 0) world.effects.refund += G.GAS_SDELETE_REFUND;
          break;
        }
        case Op.SDELETE: {
          const prev = world.sstore(asset, stack[--sp]!, 0);
          if (prev !== 0) world.effects.refund += G.GAS_SDELETE_REFUND;
          break;
        }
        case Op.JUMP:
        case Op.JUMPI: {
          const dest = stack[--sp]!;
          if (op === Op.JUMPI && stack[--sp] === 0) break;
          const target =
            typeof dest === "number" && dest < program.code.length ? program.indexOfPc[dest]! : -1;
          if (target < 0) throw new Fault(FaultCode.InvalidJump, `${W.wordToJson(dest)}`);
          i = target;
          continue;
        }
        case Op.CALL: {
          const requested = stack[--sp]!;
          const callInput = stack[--sp]!;
          const callee = world.getAsset(argId(stack[--sp]!));
          const forwarded = typeof requested === "number" && requested < gas ? requested : gas;
          if (callee === undefined || frame.depth + 1 >= MAX_CALL_DEPTH) {
            stack[sp++] = 0;
            stack[sp++] = 0;
            break;
          }
          gas -= forwarded;
          const result = runFrame(
            env,
            callee,
            asset.id,
            asset.idWord,
            W.wordToBytes(callInput),
            forwarded,
            frame.depth + 1,
          );
          gas += result.gasLeft;
          stack[sp++] = result.returnWord ?? 0;
          stack[sp++] = result.outcome === ExecutionOutcome.Success ? 1 : 0;
          break;
        }
        case Op.RETURN:
          return end(ExecutionOutcome.Success, gas, sp > 0 ? stack[sp - 1] : undefined, "", program.pcs[i]!);
        case Op.REVERT: {
          const reason = sp > 0 ? stack[sp - 1] : undefined;
          return end(ExecutionOutcome.Revert, gas, reason, reasonText(reason), program.pcs[i]!);
        }
        case Op.CALLER:
          stack[sp++] = frame.callerWord;
          break;
        case Op.ORIGIN:
          stack[sp++] = env.originWord;
          break;
        case Op.JURISDICTION:
          stack[sp++] = env.jurisdictionWord;
          break;
        case Op.TIMESTAMP:
          stack[sp++] = env.timestamp;
          break;
        case Op.SELF:
          stack[sp++] = asset.idWord;
          break;
        case Op.INPUT:
          stack[sp - 1] = inputWord(frame.input, stack[sp - 1]!);
          break;
        case Op.INPUTSIZE:
          stack[sp++] = frame.input.length;
          break;
        case Op.GAS:
          stack[sp++] = gas;
          break;
        case Op.TENSOR_GET:
        case Op.TENSOR_STATE: {
          const domain = argDomain(stack[--sp]!);
          const jurisdiction = argJurisdiction(stack[--sp]!);
          const state = tensorRead(env, frame, argId(stack[sp - 1]!), jurisdiction, domain);
          stack[sp - 1] = op === Op.TENSOR_STATE ? state : isPassing(state) ? 1 : 0;
          break;
        }
        case Op.TENSOR_SET: {
          const ref = argId(stack[--sp]!);
          const expiresAt = Number(argU64(stack[--sp]!, "expiresAt"));
          const state = argState(stack[--sp]!);
          const domain = argDomain(stack[--sp]!);
          const jurisdiction = argJurisdiction(stack[--sp]!);
          const subject = argId(stack[--sp]!);
          tensorSet(env, frame.caller, subject, jurisdiction, domain, state, expiresAt, ref);
          break;
        }
        case Op.ATTEST:
          attest(env, frame, stack[--sp] !== 0);
          break;
        case Op.VERIFY_ZK: {
          const length = stack[--sp]!;
          const offset = stack[--sp]!;
          const publicInput = stack[--sp]!;
          const typeId = stack[sp - 1]!;
          const type = typeof typeId === "number" ? env.proofs.get(typeId) : undefined;
          if (type === undefined) {
            const extra = GAS_ZK_MIN;
            if (gas < extra) throw new Fault(FaultCode.OutOfGas, "");
            gas -= extra;
            throw new Fault(FaultCode.InvalidArgument, `unknown proof type ${W.wordToJson(typeId)}`);
          }
          const extra = type.gas;
          if (gas < extra) throw new Fault(FaultCode.OutOfGas, "");
          gas -= extra;
          const proofLength = typeof length === "number" ? length : MAX_MEMORY_BYTES + 1;
          const at = ensureMemory(frame, offset, proofLength);
          const ok =
            type.verify?.(W.wordToBytes(publicInput), frame.memory.slice(at, at + proofLength)) ?? false;
          if (!ok && frame.firstFailure === undefined) {
            frame.firstFailure =
              type.verify === undefined
                ? `${type.name} proof not verified (no verifier registered)`
                : `${type.name} proof did not verify`;
          }
          stack[sp - 1] = ok ? 1 : 0;
          break;
        }
        case Op.LOCK:
          stack[sp - 1] = W.bytesToWord(lock(env, frame, argU64(stack[sp - 1]!, "amount")));
          break;
        case Op.UNLOCK:
          stack[sp - 1] = W.wordOf(unlock(env, frame, argId(stack[sp - 1]!)));
          break;
        case Op.TRANSIT: {
          const recipient = argId(stack[--sp]!);
          const destinationAsset = argId(stack[--sp]!);
          const harbor = argHarbor(stack[--sp]!);
          transit(env, frame, argId(stack[--sp]!), harbor, destinationAsset, recipient);
          break;
        }
        case Op.SETTLE: {
          const message = settle(env, frame, argId(stack[sp - 1]!));
          stack[sp - 1] = W.bytesToWord(message.recipient);
          stack[sp++] = W.wordOf(message.amount);
          stack[sp++] = W.bytesToWord(message.sourceHarbor);
          stack[sp++] = W.bytesToWord(message.sourceAsset);
          break;
        }
        case Op.HASH: {
          const length = stack[--sp]!;
          const byteLength = typeof length === "number" ? length : MAX_MEMORY_BYTES + 1;
          const extra = G.GAS_HASH_PER_WORD * Math.ceil(Math.min(byteLength, MAX_MEMORY_BYTES + 1) / WORD);
          if (gas < extra) throw new Fault(FaultCode.OutOfGas, "");
          gas -= extra;
          const at = ensureMemory(frame, stack[sp - 1]!, byteLength);
          stack[sp - 1] = W.bytesToWord(sha256(frame.memory.subarray(at, at + byteLength)));
          break;
        }
        case Op.VERIFY_SIG: {
          const low = W.wordToBytes(stack[--sp]!);
          const high = W.wordToBytes(stack[--sp]!);
          const message = W.wordToBytes(stack[--sp]!);
          const ok = verifySignature(W.wordToBytes(stack[sp - 1]!), message, high, low);
          stack[sp - 1] = ok ? 1 : 0;
          break;
        }
        case Op.MERKLE_VERIFY: {
          const count = stack[--sp]!;
          const offset = stack[--sp]!;
          const size = stack[--sp]!;
          const index = stack[--sp]!;
          const leaf = W.wordToBytes(stack[--sp]!);
          const root = W.wordToBytes(stack[sp - 1]!);
          if (typeof count !== "number" || count > MAX_MERKLE_SIBLINGS) {
            throw new Fault(FaultCode.InvalidArgument, `at most ${MAX_MERKLE_SIBLINGS} siblings`);
          }
          const extra = G.GAS_MERKLE_PER_SIBLING * count;
          if (gas < extra) throw new Fault(FaultCode.OutOfGas, "");
          gas -= extra;
          const at = ensureMemory(frame, offset, count * WORD);
          const siblings: Uint8Array[] = [];
          for (let s = 0; s < count; s++)
            siblings.push(frame.memory.slice(at + s * WORD, at + (s + 1) * WORD));
          const ok =
            typeof index === "number" &&
            typeof size === "number" &&
            verifyMerkleProof(root, leaf, { leafIndex: index, treeSize: size, siblings });
          stack[sp - 1] = ok ? 1 : 0;
          break;
        }
        case Op.HALT:
          return end(ExecutionOutcome.Success, gas, undefined, "", program.pcs[i]!);
        case Op.LOG: {
          const data = stack[--sp]!;
          const topic = stack[--sp]!;
          const logs = world.effects.logs;
          if (logs.length >= MAX_RECEIPT_LOGS) throw new Fault(FaultCode.ReceiptLimit, "too many logs");
          logs.push({ asset: asset.id, topic: W.wordToBytes(topic), data: W.wordToBytes(data) });
          break;
        }
        case Op.DEBUG:
          env.trace?.(
            `pc ${program.pcs[i]} depth ${frame.depth} gas ${gas} top ${sp > 0 ? W.wordToJson(stack[sp - 1]!) : "(empty)"}`,
          );
          break;
      }
      i++;
    }
    return end(ExecutionOutcome.Success, gas, undefined, "", 0);
  } catch (err) {
    if (!(err instanceof Fault)) throw err;
    const pc = program.pcs[i]!;
    if (err.code === FaultCode.OutOfGas)
      return end(ExecutionOutcome.OutOfGas, 0, undefined, `out of gas at pc ${pc}`, pc);
    return end(ExecutionOutcome.Revert, gas, undefined, `${err.message} at pc ${pc}`, pc);
  }
}

function end(
  outcome: FrameResult["outcome"],
  gasLeft: number,
  returnWord: Word | undefined,
  reason: string,
  pc: number,
): FrameResult {
  return { outcome, gasLeft, returnWord, reason, pc };
}
