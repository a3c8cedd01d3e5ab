import { ByteListType, ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { MAX_BATCH_TXS, MAX_HEADER_BATCHES, MAX_TX_BYTES } from "./limits.js";
import {
  Digest,
  MAX_COMMITTEE_SIZE,
  Signature,
  SignerBitmap,
  Uint16,
  Uint32,
  UintNum64,
} from "./primitives.js";

/** A validator's position in the committee (genesis order). Headers and votes name authors by index. */
export const AuthorityIndex = Uint16;

/**
 * A Narwhal worker batch: transactions as opaque encoded bytes. Consensus never decodes them; the
 * chain does, when a committed batch is executed. Referenced by its digest (see docs/protocol.md).
 */
export const Batch = new ContainerType(
  { transactions: new ListCompositeType(new ByteListType(MAX_TX_BYTES), MAX_BATCH_TXS) },
  { typeName: "Batch" },
);
export type Batch = ValueOf<typeof Batch>;

export const BatchRef = new ContainerType({ digest: Digest, workerId: Uint32 }, { typeName: "BatchRef" });
export type BatchRef = ValueOf<typeof BatchRef>;

/** A primary's proposal for one round: the batches it makes available and its parent certificates. */
export const Header = new ContainerType(
  {
    author: AuthorityIndex,
    round: UintNum64,
    epoch: UintNum64,
    /** Proposer's clock, unix milliseconds; informative only (block time is the leader's). */
    createdAt: UintNum64,
    payload: new ListCompositeType(BatchRef, MAX_HEADER_BATCHES),
    /** Digests of round-1 certificates holding a quorum of stake (empty at round 1, whose parents are the implicit genesis). */
    parents: new ListCompositeType(Digest, MAX_COMMITTEE_SIZE),
  },
  { typeName: "Header" },
);
export type Header = ValueOf<typeof Header>;

/** A header with its author's signature over the header digest. */
export const SignedHeader = new ContainerType(
  { header: Header, signature: Signature },
  { typeName: "SignedHeader" },
);
export type SignedHeader = ValueOf<typeof SignedHeader>;

/** One validator's vote for a header; the signature is over the vote signing digest of the header. */
export const Vote = new ContainerType(
  {
    headerDigest: Digest,
    round: UintNum64,
    /** The author of the header voted for. */
    origin: AuthorityIndex,
    voter: AuthorityIndex,
    signature: Signature,
  },
  { typeName: "Vote" },
);
export type Vote = ValueOf<typeof Vote>;

/**
 * A header with votes from a quorum of stake. `signers` marks the voters by committee index and
 * `signatures` holds their vote signatures in ascending index order.
 */
export const Certificate = new ContainerType(
  {
    header: Header,
    signers: SignerBitmap,
    signatures: new ListCompositeType(Signature, MAX_COMMITTEE_SIZE),
  },
  { typeName: "Certificate" },
);
export type Certificate = ValueOf<typeof Certificate>;
