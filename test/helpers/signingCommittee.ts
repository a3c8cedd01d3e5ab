import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { publicKeyOf } from "../../src/crypto/ed25519.js";
import { asciiBytes } from "../../src/types/primitives.js";

/** A 4-member committee of equal stake whose secret keys tests sign with (finality, certificates). */
export const chainId = asciiBytes("mass-devnet");
export const secrets = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(i));
export const committee = new ConsensusCommittee({
  epoch: 0,
  validators: secrets.map((s, i) => ({
    name: asciiBytes(`v${i}`),
    publicKey: publicKeyOf(s),
    stake: 100,
    address: asciiBytes(""),
  })),
});
