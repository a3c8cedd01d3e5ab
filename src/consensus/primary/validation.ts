import type { Certificate, Header } from "../../types/consensus.js";
import { consensusSigningMessage, SigningDomain } from "../../types/signing.js";
import type { ConsensusCommittee } from "../committee.js";
import type { Vertex } from "../dag.js";
import { DropReason } from "../dropReason.js";
import { QuorumFaultCode, quorumFault } from "../quorum.js";
import type { SignatureVerifier } from "../verifier.js";

/** Workers per validator. Batch references naming another worker are invalid. */
export const WORKERS_PER_VALIDATOR = 1;

export function headerSigningMessage(chainId: Uint8Array, digest: Uint8Array): Uint8Array {
  return consensusSigningMessage(SigningDomain.Header, chainId, digest);
}

export function voteSigningMessage(chainId: Uint8Array, digest: Uint8Array): Uint8Array {
  return consensusSigningMessage(SigningDomain.Vote, chainId, digest);
}

/** Structural checks of a header that need nothing but the header: null when it is well formed. */
export function checkHeaderShape(header: Header, committee: ConsensusCommittee): DropReason | null {
  if (!committee.isMember(header.author)) return DropReason.UnknownAuthor;
  if (header.epoch !== committee.epoch) return DropReason.WrongEpoch;
  if (header.round < 1) return DropReason.InvalidHeader;
  const parents = header.parents.length;
  if (header.round === 1 ? parents !== 0 : parents === 0 || parents > committee.size) {
    return DropReason.InvalidHeader;
  }
  if (parents > 1 && new Set(header.parents.map((p) => Buffer.from(p).toString("hex"))).size !== parents) {
    return DropReason.InvalidHeader;
  }
  for (const ref of header.payload)
    if (ref.workerId >= WORKERS_PER_VALIDATOR) return DropReason.InvalidHeader;
  return null;
}

/** Parents of a round-r header or certificate: all of round r-1, distinct authors, a quorum of stake. */
export function parentsValid(
  round: number,
  parents: readonly Vertex[],
  committee: ConsensusCommittee,
): boolean {
  const authors = new Set<number>();
  let stake = 0;
  for (const p of parents) {
    if (p.round !== round - 1 || authors.has(p.author)) return false;
    authors.add(p.author);
    stake += committee.stake(p.author);
  }
  return stake >= committee.quorumThreshold;
}

/**
 * A certificate's votes: a signer set over the committee holding a quorum of stake, and one valid
 * vote signature per signer, in ascending signer order.
 */
export function checkCertificateVotes(
  certificate: Certificate,
  digest: Uint8Array,
  committee: ConsensusCommittee,
  chainId: Uint8Array,
  verifier: SignatureVerifier,
): DropReason | null {
  const fault = quorumFault(committee, voteSigningMessage(chainId, digest), certificate, verifier);
  if (fault === null) return null;
  return fault.code === QuorumFaultCode.BadSignature
    ? DropReason.BadSignature
    : DropReason.InvalidCertificate;
}
