export { type AssembleResult, assemble } from "./assembler.js";
export { type DisassembledLine, disassemble, formatDisassembly } from "./disassembler.js";
export { FaultCode, VmError, VmErrorCode } from "./errors.js";
export { TOKEN_SOURCE, tokenTransferInput } from "./examples/token.js";
export type { ExecutionResult } from "./execute.js";
export {
  type BlockInput,
  type BlockResult,
  DEFAULT_EXECUTION_THREADS,
  executeBlock,
  type HarborInput,
  type HarborRunner,
  inlineRunner,
  poolRunner,
  type Unroutable,
} from "./executor/block.js";
export { executeHarbor, type HarborResult, type HarborTask } from "./executor/task.js";
export * as SavmGas from "./gas.js";
export { MAX_CALL_DEPTH, MAX_MEMORY_BYTES, MAX_STACK } from "./limits.js";
export { allOps, Immediate, OP_INFO, Op, type OpInfo, opByName } from "./opcodes.js";
export { defaultProofRegistry, type ProofRegistry, type ProofType, ProofTypeId } from "./precompiles/zk.js";
export { decodeProgram, type Program } from "./program.js";
export { receiptDigest, type SealedReceipt } from "./receipt.js";
export { type CellInput, type RunOptions, type RunResult, runProgram } from "./run.js";
export {
  accountKey,
  arrivalKey,
  assetKey,
  lockKey,
  NATIVE_CHAIN_KEY,
  StateKind,
  storageKey,
  tensorKey,
} from "./state/keys.js";
export { type HarborSnapshot, type StateReader, snapshotReader } from "./state/reader.js";
export { assetIdOf } from "./tx/deploy.js";
export {
  type AdmissionPolicy,
  checkTransaction,
  type EnvelopeRules,
  type TxCheck,
  type TxFault,
  TxFaultCode,
  type ValidTx,
} from "./tx/validity.js";
export { bytesToWord, type Word, wordToBytes } from "./word.js";
