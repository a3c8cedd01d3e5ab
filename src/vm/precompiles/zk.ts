import { GAS_ZK_BBS_PLUS, GAS_ZK_GROTH16, GAS_ZK_PLONK, GAS_ZK_STARK } from "./zkGas.js";

/**
 * VERIFY_ZK dispatches on a proof-type registry. A type without a verifier still charges its gas and
 * yields false: the VM never pretends a proof verified. Verifiers must be deterministic.
 */
export interface ProofType {
  readonly id: number;
  readonly name: string;
  /** Gas charged whether or not the proof verifies (SPEC: 50,000 - 500,000 by type). */
  readonly gas: number;
  readonly verify: ((publicInput: Uint8Array, proof: Uint8Array) => boolean) | undefined;
}

export type ProofRegistry = ReadonlyMap<number, ProofType>;

/** Wire ids of the proof types; never renumber. */
export enum ProofTypeId {
  BbsPlus = 1,
  Groth16 = 2,
  Plonk = 3,
  Stark = 4,
}

/** The node's registry: no verifier is registered yet, so every proof reads as false. */
export function defaultProofRegistry(): ProofRegistry {
  const types: ProofType[] = [
    { id: ProofTypeId.BbsPlus, name: "BBS+", gas: GAS_ZK_BBS_PLUS, verify: undefined },
    { id: ProofTypeId.Groth16, name: "Groth16", gas: GAS_ZK_GROTH16, verify: undefined },
    { id: ProofTypeId.Plonk, name: "PLONK", gas: GAS_ZK_PLONK, verify: undefined },
    { id: ProofTypeId.Stark, name: "STARK", gas: GAS_ZK_STARK, verify: undefined },
  ];
  return new Map(types.map((t) => [t.id, t]));
}
