import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import {
  ChainId,
  Digest,
  MAX_COMMITTEE_SIZE,
  Signature,
  SignerBitmap,
  Uint16,
  Uint32,
  UintNum64,
} from "./primitives.js";

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

/** Most transactions one block may order: a committed sub-DAG of a full committee at max batch sizes. */
export const MAX_BLOCK_TXS = 1 << 20;

/** A block as stored and served: the header and its transactions' hashes in execution order. */
export const StoredBlock = new ContainerType(
  { header: BlockHeader, txHashes: new ListCompositeType(Digest, MAX_BLOCK_TXS) },
  { typeName: "StoredBlock" },
);
export type StoredBlock = ValueOf<typeof StoredBlock>;

/** One validator's signature over an executed block header, gossiped to form the finality certificate. */
export const BlockSignature = new ContainerType(
  { height: UintNum64, blockHash: Digest, signer: Uint16, signature: Signature },
  { typeName: "BlockSignature" },
);
export type BlockSignature = ValueOf<typeof BlockSignature>;

/** Where an executed transaction is: its block and position. */
export const TxLocation = new ContainerType(
  { height: UintNum64, index: Uint32, blockHash: Digest },
  { typeName: "TxLocation" },
);
export type TxLocation = ValueOf<typeof TxLocation>;

/** The chain's progress, written atomically with each block. */
export const ChainHead = new ContainerType(
  {
    height: UintNum64,
    blockHash: Digest,
    timestamp: UintNum64,
    /** Position of the block's leader in the consensus commit sequence (restart resumes after it). */
    commitIndex: UintNum64,
  },
  { typeName: "ChainHead" },
);
export type ChainHead = ValueOf<typeof ChainHead>;
