import type { Chain } from "../chain/chain.js";
import { BlockHeader, FinalityCertificate, type StoredBlock } from "../types/block.js";
import { blockHash } from "../types/signing.js";
import { toHex } from "../util/bytes.js";

/** A block as the block methods answer it: hash, header, transaction hashes and its finality certificate. */
export async function blockJson(chain: Chain, block: StoredBlock) {
  const finality = await chain.store.finalityAt(block.header.height);
  return {
    hash: toHex(blockHash(block.header)),
    header: BlockHeader.toJson(block.header),
    transactions: block.txHashes.map(toHex),
    finality: finality === undefined ? null : FinalityCertificate.toJson(finality),
  };
}
