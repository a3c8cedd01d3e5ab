import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { ChainId, Digest, MAX_COMMITTEE_SIZE, Signature, SignerBitmap, UintNum64 } from "./primitives.js";

/** The header of an executed block: one per committed Bullshark leader. */
export const BlockHeader = new ContainerType(
  {
    chainId: ChainId,
    height: UintNum64,
    parentHash: Digest,
    leaderRound: UintNum64,
    leaderCertificate: Digest,
    /** Unix milliseconds: the leader header's creation time, never below the parent's. */
    timestamp: UintNum64,
    txRoot: Digest,
    receiptRoot: Digest,
    stateRoot: Digest,
    corridorRoot: Digest,
    anchorRoot: Digest,
  },
  { typeName: "BlockHeader" },
);
export type BlockHeader = ValueOf<typeof BlockHeader>;

/** Signatures of a quorum of stake over a block header's hash: the block is final. */
export const FinalityCertificate = new ContainerType(
  {
    height: UintNum64,
    blockHash: Digest,
    signers: SignerBitmap,
    signatures: new ListCompositeType(Signature, MAX_COMMITTEE_SIZE),
  },
  { typeName: "FinalityCertificate" },
);
export type FinalityCertificate = ValueOf<typeof FinalityCertificate>;
