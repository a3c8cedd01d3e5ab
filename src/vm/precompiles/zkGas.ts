/** SPEC: VERIFY_ZK costs 50,000 - 500,000 gas by proof type. */
export const GAS_ZK_MIN = 50_000;
export const GAS_ZK_MAX = 500_000;
/** SPEC example 11.1: a BBS+ selective-disclosure proof costs 75,000. */
export const GAS_ZK_BBS_PLUS = 75_000;
/** Groth16: three pairings, constant size. */
export const GAS_ZK_GROTH16 = 150_000;
/** PLONK: more pairing-side work than Groth16. */
export const GAS_ZK_PLONK = 250_000;
/** STARK: hash-heavy, largest proofs: the SPEC's top price. */
export const GAS_ZK_STARK = GAS_ZK_MAX;
