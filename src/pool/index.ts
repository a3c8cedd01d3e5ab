// The mempool: admission, per-sender nonce order, the journal that survives a restart.

export { BatchDecoder, MAX_DECODED_TRANSACTIONS } from "./batchDecoder.js";
export { TxRejectCode, TxRejectedError } from "./errors.js";
export { type BatchWorker, PoolFeeder } from "./feeder.js";
export { LevelPoolJournal } from "./journal.js";
export { openPool } from "./open.js";
export { TxSignatureCache, type TxVerifier, verifyTxSignature } from "./signatureCache.js";
export {
  type AccountSource,
  DEFAULT_TX_POOL_LIMITS,
  type ExecutedTxRef,
  MIN_FEE,
  type PooledTx,
  TxPool,
  type TxPoolJournal,
  type TxPoolLimits,
  type TxPoolOptions,
} from "./txPool.js";
