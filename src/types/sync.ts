import { ByteListType, ContainerType, ListBasicType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { BlockHeader, FinalityCertificate, MAX_BLOCK_TXS } from "./block.js";
import { MAX_TX_BYTES } from "./limits.js";
import { Digest, UintNum64 } from "./primitives.js";

/**
 * Messages of block sync (`/mass/blocks/1.0.0`) and of the consensus checkpoint
 * (`/mass/checkpoint/1.0.0`): how a validator that fell behind its peers' garbage-collection window
 * catches up from finalized blocks instead of from the DAG.
 */

/** Blocks one response may carry (the server also stops at a byte budget, see blockServer.ts). */
export const MAX_SYNC_BLOCKS = 64;
/**
 * Committed certificates one checkpoint may list: a committee of 26 at the devnet's gc depth of
 * 10,000 rounds. A committee whose gc window holds more cannot serve checkpoints (typed error).
 */
export const MAX_CHECKPOINT_CERTIFICATES = 1 << 18;

/** Ask for finalized blocks from `fromHeight` on; `maxBlocks` 0 asks only for the peer's status. */
export const BlocksRequest = new ContainerType(
  { fromHeight: UintNum64, maxBlocks: UintNum64 },
  { typeName: "BlocksRequest" },
);
export type BlocksRequest = ValueOf<typeof BlocksRequest>;

/** Where the answering validator stands: what decides whether the asker is behind its gc window. */
export const SyncStatus = new ContainerType(
  {
    /** Its highest block with a finality certificate. */
    finalizedHeight: UintNum64,
    /** Its last committed leader round (0 while its consensus is not running). */
    lastCommittedRound: UintNum64,
    /** Rounds at or below this are pruned from its DAG: it cannot serve them. */
    gcRound: UintNum64,
  },
  { typeName: "SyncStatus" },
);
export type SyncStatus = ValueOf<typeof SyncStatus>;

/** One finalized block: its header, its ordered encoded transactions, its finality certificate. */
export const SyncedBlock = new ContainerType(
  {
    header: BlockHeader,
    transactions: new ListCompositeType(new ByteListType(MAX_TX_BYTES), MAX_BLOCK_TXS),
    finality: FinalityCertificate,
  },
  { typeName: "SyncedBlock" },
);
export type SyncedBlock = ValueOf<typeof SyncedBlock>;

/** Consecutive finalized blocks from the requested height (possibly none) and the peer's status. */
export const BlocksResponse = new ContainerType(
  { status: SyncStatus, blocks: new ListCompositeType(SyncedBlock, MAX_SYNC_BLOCKS) },
  { typeName: "BlocksResponse" },
);
export type BlocksResponse = ValueOf<typeof BlocksResponse>;

/** Ask for the peer's consensus checkpoint; it answers only if its last commit index is at least `minIndex`. */
export const CheckpointRequest = new ContainerType(
  { minIndex: UintNum64 },
  { typeName: "CheckpointRequest" },
);
export type CheckpointRequest = ValueOf<typeof CheckpointRequest>;

/** A committed certificate above the gc round, with its round (for pruning). */
export const CommittedCertificate = new ContainerType(
  { round: UintNum64, digest: Digest },
  { typeName: "CommittedCertificate" },
);
export type CommittedCertificate = ValueOf<typeof CommittedCertificate>;

/**
 * Bullshark's state right after one commit: the commit (index, leader round, leader certificate
 * digest) and every certificate committed so far whose round is above leaderRound − gcDepth,
 * ascending by (round, digest). Every honest validator at that commit holds the same one, byte for byte.
 */
export const Checkpoint = new ContainerType(
  {
    index: UintNum64,
    leaderRound: UintNum64,
    leader: Digest,
    committed: new ListCompositeType(CommittedCertificate, MAX_CHECKPOINT_CERTIFICATES),
  },
  { typeName: "Checkpoint" },
);
export type Checkpoint = ValueOf<typeof Checkpoint>;

/**
 * Finality certificates one response may carry: a committee of 256 signs 64 bytes each, so 256
 * certificates stay under 5 MiB while a validator that missed minutes of blocks backfills in a few requests.
 */
export const MAX_FINALITY_CERTIFICATES = 256;

/** Ask for the finality certificates of `heights` (`/mass/finality-certificates/1.0.0`). */
export const FinalityRequest = new ContainerType(
  { heights: new ListBasicType(UintNum64, MAX_FINALITY_CERTIFICATES) },
  { typeName: "FinalityRequest" },
);
export type FinalityRequest = ValueOf<typeof FinalityRequest>;

/** The certificates the peer holds of those asked for (in any order; missing ones left out). */
export const FinalityResponse = new ContainerType(
  { certificates: new ListCompositeType(FinalityCertificate, MAX_FINALITY_CERTIFICATES) },
  { typeName: "FinalityResponse" },
);
export type FinalityResponse = ValueOf<typeof FinalityResponse>;
