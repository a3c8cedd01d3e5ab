/**
 * Size limits of wire objects. Every list in the SSZ schema is bounded by one of these, so a decoder
 * rejects an oversized message before allocating for it.
 */

/** Largest transaction payload: room for a 64 KiB SAVM program plus metadata, well under a batch. */
export const MAX_TX_PAYLOAD_BYTES = 128 * 1024;
/** Largest encoded signed transaction: payload plus the fixed fields and offsets. */
export const MAX_TX_BYTES = MAX_TX_PAYLOAD_BYTES + 512;
/** Transactions in one worker batch: 512-byte transactions fill ~1 MB (SPEC appendix C block size). */
export const MAX_BATCH_TXS = 4096;
/** Bytes of one encoded batch (the worker seals sooner, at its configured size). */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Batch references in one header: bounds header size at ~40 KiB. */
export const MAX_HEADER_BATCHES = 1024;
/** Largest SAVM program stored with an asset. */
export const MAX_BYTECODE_BYTES = 64 * 1024;
/** Asset metadata (name, symbol, document digests) as canonical JSON bytes. */
export const MAX_METADATA_BYTES = 4 * 1024;
/** Call input of a SAVM call. */
export const MAX_CALL_INPUT_BYTES = 16 * 1024;
/** Harbors one genesis may define (SPEC appendix C: harbor shards 1-256). */
export const MAX_HARBORS = 256;
/**
 * Corridors one genesis may declare: one per unordered pair of distinct harbors (validateGenesis
 * refuses a pair declared twice), so a full mesh of MAX_HARBORS harbors fits and no genesis that
 * validation accepts can exceed it: 256·255/2 = 32,640.
 */
export const MAX_CORRIDORS = (MAX_HARBORS * (MAX_HARBORS - 1)) / 2;
/** Accounts funded at genesis. */
export const MAX_GENESIS_ACCOUNTS = 65_536;
/** Network address strings in a validator record (multiaddr text). */
export const MAX_ADDRESS_BYTES = 256;
