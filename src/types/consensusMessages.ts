import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { Certificate, SignedHeader } from "./consensus.js";
import { Digest, Uint8, UintNum64 } from "./primitives.js";

/**
 * Consensus wire messages beyond the core objects of consensus.ts (headers, votes, certificates,
 * batches travel as those types), and the records the consensus store keeps on disk.
 */

/** Digests one sync request may name: a header's parents plus slack, or a header's missing batches. */
export const MAX_SYNC_DIGESTS = 1024;
/** Certificates in one sync response: a range request of MAX_SYNC_ROUNDS rounds of a full committee fits. */
export const MAX_SYNC_CERTIFICATES = 4096;
/** Certificates one committed sub-DAG may order (gc depth × committee size, with a wide margin). */
export const MAX_SUBDAG_CERTIFICATES = 1 << 20;

/** Ask a peer for certificates by digest (missing parents). */
export const CertificatesRequest = new ContainerType(
  { digests: new ListCompositeType(Digest, MAX_SYNC_DIGESTS) },
  { typeName: "CertificatesRequest" },
);
export type CertificatesRequest = ValueOf<typeof CertificatesRequest>;

/** Ask a peer for every certificate it holds in rounds [fromRound, toRound] (catching up). */
export const CertificateRangeRequest = new ContainerType(
  { fromRound: UintNum64, toRound: UintNum64 },
  { typeName: "CertificateRangeRequest" },
);
export type CertificateRangeRequest = ValueOf<typeof CertificateRangeRequest>;

/** Certificates answering either request, in ascending round order (parents first). */
export const CertificatesResponse = new ContainerType(
  { certificates: new ListCompositeType(Certificate, MAX_SYNC_CERTIFICATES) },
  { typeName: "CertificatesResponse" },
);
export type CertificatesResponse = ValueOf<typeof CertificatesResponse>;

/** A worker's acknowledgement that it stored the batch with this digest. */
export const BatchAck = new ContainerType({ digest: Digest }, { typeName: "BatchAck" });
export type BatchAck = ValueOf<typeof BatchAck>;

/** Ask a peer's worker for batches by digest (a header's payload we do not hold). */
export const BatchesRequest = new ContainerType(
  { digests: new ListCompositeType(Digest, MAX_SYNC_DIGESTS) },
  { typeName: "BatchesRequest" },
);
export type BatchesRequest = ValueOf<typeof BatchesRequest>;

// ---- records of the consensus store ----

/** The header a validator last voted for, per header author: never vote twice in a round. */
export const VoteRecord = new ContainerType(
  { round: UintNum64, headerDigest: Digest },
  { typeName: "VoteRecord" },
);
export type VoteRecord = ValueOf<typeof VoteRecord>;

/** One committed leader and the certificates its commit ordered (leader last), by digest. */
export const CommitRecord = new ContainerType(
  {
    /** Position in the commit sequence, from 0. */
    index: UintNum64,
    leaderRound: UintNum64,
    leader: Digest,
    certificates: new ListCompositeType(Digest, MAX_SUBDAG_CERTIFICATES),
  },
  { typeName: "CommitRecord" },
);
export type CommitRecord = ValueOf<typeof CommitRecord>;

/** Two different signed headers from one author for one round: proof of equivocation. */
export const EquivocationEvidence = new ContainerType(
  { first: SignedHeader, second: SignedHeader },
  { typeName: "EquivocationEvidence" },
);
export type EquivocationEvidence = ValueOf<typeof EquivocationEvidence>;

/** A marker value for index buckets whose key says everything. */
export const Marker = Uint8;
