import type { BitArray } from "@chainsafe/ssz";
import type { ConsensusCommittee } from "./committee.js";
import type { SignatureVerifier } from "./verifier.js";

/** Signatures of a set of committee members over one message: a DAG certificate's votes, a block's finality. */
export interface QuorumSignatures {
  /** One bit per committee member, set for each signer: a set, so no member is counted twice. */
  signers: BitArray;
  /** One signature per signer, in ascending signer order. */
  signatures: readonly Uint8Array[];
}

export enum QuorumFaultCode {
  /** The signer bitmap does not have one bit per committee member. */
  BitmapSize = "bitmap_size",
  /** The number of signatures is not the number of signers. */
  SignatureCount = "signature_count",
  /** The signers hold less than the quorum of stake. */
  BelowQuorum = "below_quorum",
  /** A signer's signature does not verify over the message. */
  BadSignature = "bad_signature",
}

export type QuorumFault =
  | { code: QuorumFaultCode.BitmapSize; bits: number; committeeSize: number }
  | { code: QuorumFaultCode.SignatureCount; signers: number; signatures: number }
  | { code: QuorumFaultCode.BelowQuorum; stake: number; quorum: number }
  | { code: QuorumFaultCode.BadSignature; signer: number };

/**
 * Why `signed` does not prove that a quorum of the committee signed `message`; null when it does.
 * Stake is counted before any signature is verified, so a set that cannot reach the quorum costs
 * no signature checks.
 */
export function quorumFault(
  committee: ConsensusCommittee,
  message: Uint8Array,
  signed: QuorumSignatures,
  verifier: SignatureVerifier,
): QuorumFault | null {
  if (signed.signers.bitLen !== committee.size) {
    return { code: QuorumFaultCode.BitmapSize, bits: signed.signers.bitLen, committeeSize: committee.size };
  }
  const signers = signed.signers.getTrueBitIndexes();
  if (signers.length !== signed.signatures.length) {
    return {
      code: QuorumFaultCode.SignatureCount,
      signers: signers.length,
      signatures: signed.signatures.length,
    };
  }
  let stake = 0;
  for (const s of signers) stake += committee.stake(s);
  if (stake < committee.quorumThreshold) {
    return { code: QuorumFaultCode.BelowQuorum, stake, quorum: committee.quorumThreshold };
  }
  for (let i = 0; i < signers.length; i++) {
    const signer = signers[i]!;
    if (!verifier.verify(committee.publicKey(signer), message, signed.signatures[i]!)) {
      return { code: QuorumFaultCode.BadSignature, signer };
    }
  }
  return null;
}

export function describeQuorumFault(fault: QuorumFault): string {
  switch (fault.code) {
    case QuorumFaultCode.BitmapSize:
      return `signer bitmap has ${fault.bits} bits for a committee of ${fault.committeeSize}`;
    case QuorumFaultCode.SignatureCount:
      return `${fault.signers} signers but ${fault.signatures} signatures`;
    case QuorumFaultCode.BelowQuorum:
      return `signers hold stake ${fault.stake}, below the quorum of ${fault.quorum}`;
    case QuorumFaultCode.BadSignature:
      return `validator ${fault.signer}'s signature does not verify`;
  }
}
