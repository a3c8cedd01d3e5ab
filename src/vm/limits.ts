/** Hard limits of the SAVM (docs/savm.md). Consensus-critical: changing one changes outcomes. */

/** Stack depth in words (as the EVM): deep enough for any sane program, bounded memory per frame. */
export const MAX_STACK = 1024;
/** Nested CALL frames; CALL beyond it fails (pushes 0, 0) instead of recursing. Keeps the JS stack shallow. */
export const MAX_CALL_DEPTH = 64;
/** Memory per frame; with the depth limit this bounds an execution to 4 MiB of memory. */
export const MAX_MEMORY_BYTES = 64 * 1024;
