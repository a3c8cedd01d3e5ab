// The chain: a committed sub-DAG becomes a block, is executed and stored.
export {
  Chain,
  type ChainOptions,
  type ExecutableSubDag,
  type ExecutedBlock,
  POOL_MIN_TXS,
  receiptOutcome,
} from "./chain.js";
export { type BlockWrite, ChainStore } from "./chainStore.js";
export { CommitExecutor } from "./commitExecutor.js";
export { ChainError, ChainErrorCode } from "./errors.js";
export { openChain, REPAIR_BUCKETS } from "./repair.js";
