import type { ConsensusCommittee } from "../consensus/committee.js";
import { merkleRoot } from "../crypto/merkle.js";
import { finalityCertificateFault } from "../finality/collector.js";
import type { ChainHead } from "../types/block.js";
import { blockHash, txHashOfBytes } from "../types/signing.js";
import type { SyncedBlock } from "../types/sync.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { SyncError, SyncErrorCode } from "./errors.js";

/**
 * Checks a block a peer served before anything executes it: it extends `head`, a quorum of the
 * committee signed its hash, and its transactions are the ones its header commits to. Returns the
 * certified hash; throws a SyncError naming the fault. What passes can only be the committee's
 * block, so re-executing it must reproduce that hash.
 */
export function checkSyncedBlock(
  committee: ConsensusCommittee,
  chainId: Uint8Array,
  head: Pick<ChainHead, "height" | "blockHash">,
  block: SyncedBlock,
): Uint8Array {
  const { header, finality, transactions } = block;
  if (!bytesEqual(header.chainId, chainId)) {
    throw new SyncError(SyncErrorCode.WrongParent, `block ${header.height} belongs to another chain`);
  }
  if (header.height !== head.height + 1) {
    throw new SyncError(
      SyncErrorCode.WrongParent,
      `expected block ${head.height + 1}, got block ${header.height}`,
    );
  }
  if (!bytesEqual(header.parentHash, head.blockHash)) {
    throw new SyncError(
      SyncErrorCode.WrongParent,
      `block ${header.height} has parent ${toHex(header.parentHash)}, but the head is ${toHex(head.blockHash)}`,
    );
  }
  const hash = blockHash(header);
  if (finality.height !== header.height || !bytesEqual(finality.blockHash, hash)) {
    throw new SyncError(
      SyncErrorCode.BadFinality,
      `the finality certificate is for block ${finality.height} ${toHex(finality.blockHash)}, not ${header.height} ${toHex(hash)}`,
    );
  }
  const fault = finalityCertificateFault(committee, chainId, finality);
  if (fault !== null) {
    throw new SyncError(SyncErrorCode.BadFinality, `block ${header.height}: ${fault}`);
  }
  if (!bytesEqual(merkleRoot(transactions.map(txHashOfBytes)), header.txRoot)) {
    throw new SyncError(
      SyncErrorCode.WrongTransactions,
      `block ${header.height}: the transactions do not match the header's transaction root`,
    );
  }
  return hash;
}
