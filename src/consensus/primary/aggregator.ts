import { BitArray } from "@chainsafe/ssz";
import type { Certificate, SignedHeader } from "../../types/consensus.js";
import type { ConsensusCommittee } from "../committee.js";

/** Collects votes for this validator's current header until they hold a quorum of stake. */
export class VoteAggregator {
  private readonly signatures = new Map<number, Uint8Array>();
  private stake = 0;
  certificate: Certificate | null = null;

  constructor(
    readonly signed: SignedHeader,
    readonly digest: Uint8Array,
    private readonly committee: ConsensusCommittee,
  ) {}

  get round(): number {
    return this.signed.header.round;
  }

  has(voter: number): boolean {
    return this.signatures.has(voter);
  }

  /** Adds a verified vote; returns the certificate when this vote completes the quorum. */
  add(voter: number, signature: Uint8Array): Certificate | null {
    if (this.certificate !== null || this.signatures.has(voter)) return null;
    this.signatures.set(voter, signature);
    this.stake += this.committee.stake(voter);
    if (this.stake < this.committee.quorumThreshold) return null;
    const voters = [...this.signatures.keys()].sort((a, b) => a - b);
    const signers = BitArray.fromBitLen(this.committee.size);
    for (const v of voters) signers.set(v, true);
    this.certificate = {
      header: this.signed.header,
      signers,
      signatures: voters.map((v) => this.signatures.get(v)!),
    };
    return this.certificate;
  }
}
