/**
 * SAVM gas prices. SPEC fixes the stack, arithmetic, storage, compliance, zero-knowledge and migration
 * prices; the rest are the project's, chosen relative to those (docs/savm.md has the full table).
 */

/** SPEC: stack operations (PUSH, POP, DUP, SWAP). */
export const GAS_STACK = 3;
/** SPEC: ADD, SUB, MUL. */
export const GAS_ARITH = 5;
/** SPEC: DIV, MOD. */
export const GAS_DIV = 8;
/** SPEC example 11.1 prices AND at 5; the whole comparison/logic group shares it. */
export const GAS_LOGIC = 5;
/** Memory is capped per frame (MAX_MEMORY_BYTES), so a flat price like the stack's suffices. */
export const GAS_MEMORY = 3;
/** SPEC: SLOAD of a slot not yet touched in this transaction. */
export const GAS_SLOAD_COLD = 200;
/** SPEC: SLOAD of a slot already read or written in this transaction. */
export const GAS_SLOAD_WARM = 100;
/** SPEC: SSTORE; SDELETE costs the same. */
export const GAS_SSTORE = 5000;
/** SPEC: refunded when SDELETE removes a slot that held a value (credited on success only). */
export const GAS_SDELETE_REFUND = 4800;
/** Unconditional jump: a little more than a stack op, for the destination check (EVM's price). */
export const GAS_JUMP = 8;
/** Conditional jump (EVM's price). */
export const GAS_JUMPI = 10;
/** CALL's own price, on top of the gas it forwards: loading the callee's code and a new frame. */
export const GAS_CALL = 700;
/** HALT, RETURN, REVERT end the frame and cost nothing themselves. */
export const GAS_ZERO = 0;
/** Context reads (CALLER, ORIGIN, JURISDICTION, TIMESTAMP, SELF, INPUTSIZE, GAS). */
export const GAS_CONTEXT = 2;
/** INPUT copies a word out of the call input. */
export const GAS_INPUT = 3;
/** SPEC: TENSOR_GET and TENSOR_SET (TENSOR_STATE is a TENSOR_GET that returns the state itself). */
export const GAS_TENSOR = 10_000;
/** SPEC: ATTEST. */
export const GAS_ATTEST = 10_000;
/** SPEC: LOCK, UNLOCK, TRANSIT, SETTLE. */
export const GAS_MIGRATION = 100_000;
/** HASH: SHA-256 over memory, priced like the EVM's SHA-256 precompile (60 + 12 per 32-byte word). */
export const GAS_HASH_BASE = 60;
export const GAS_HASH_PER_WORD = 12;
/** VERIFY_SIG: one Ed25519 verification (~110 us) against ~1 us per 100 gas of plain ops. */
export const GAS_VERIFY_SIG = 3000;
/** MERKLE_VERIFY: a fixed part plus one SHA-256 per sibling. */
export const GAS_MERKLE_BASE = 1000;
export const GAS_MERKLE_PER_SIBLING = 100;
/** LOG: an entry that every validator stores with the receipt (EVM's LOG base price). */
export const GAS_LOG = 375;
/** DEBUG: a trace line for `mass vm run`; consensus execution discards it. */
export const GAS_DEBUG = 2;

/** Intrinsic gas of every transaction: decoding, nonce and fee handling, the receipt. */
export const GAS_TX_BASE = 2000;
/** Deploying an asset: the account-like record plus each stored bytecode byte. */
export const GAS_DEPLOY_BASE = 32_000;
export const GAS_DEPLOY_PER_BYTE = 200;
