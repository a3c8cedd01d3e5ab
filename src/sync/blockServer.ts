import type { ChainStore } from "../chain/chainStore.js";
import type { FinalityCertificate } from "../types/block.js";
import {
  type BlocksRequest,
  type BlocksResponse,
  MAX_SYNC_BLOCKS,
  type SyncedBlock,
  type SyncStatus,
} from "../types/sync.js";

/**
 * Bytes of blocks one response gathers before it stops (it always carries at least one block): a
 * few round trips' worth on a LAN, small enough that a request never holds much memory.
 */
export const SYNC_RESPONSE_BUDGET_BYTES = 4 * 1024 * 1024;
/**
 * Largest encoded response: one block of a full-size sub-DAG must still fit (the budget can be
 * overshot by one block), while a peer never makes us buffer more than this per request.
 */
export const MAX_SYNC_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Per-block encoding overhead besides the transactions: header, offsets, certificate of a full committee. */
const BLOCK_OVERHEAD_BYTES = 512 + 256 * 68;

/**
 * Answers a block-sync request from the store: consecutive finalized blocks from `fromHeight`, each
 * with its transactions in block order and its finality certificate, up to `maxBlocks`, the
 * protocol's cap and the byte budget. Stops early at the first block it cannot serve whole.
 */
export async function serveBlocks(
  store: ChainStore,
  status: SyncStatus,
  request: BlocksRequest,
): Promise<BlocksResponse> {
  const blocks: SyncedBlock[] = [];
  const count = Math.min(request.maxBlocks, MAX_SYNC_BLOCKS);
  let bytes = 0;
  for (let height = request.fromHeight; height < request.fromHeight + count; height++) {
    if (height > status.finalizedHeight || bytes >= SYNC_RESPONSE_BUDGET_BYTES) break;
    const [stored, finality] = await Promise.all([store.blockByHeight(height), store.finalityAt(height)]);
    if (stored === undefined || finality === undefined) break;
    const transactions = await store.transactionsOf(stored.txHashes);
    if (transactions.includes(undefined)) break;
    const txs = transactions as Uint8Array[];
    bytes += BLOCK_OVERHEAD_BYTES + txs.reduce((sum, tx) => sum + tx.length + 4, 0);
    blocks.push({ header: stored.header, transactions: txs, finality: finality as FinalityCertificate });
  }
  return { status, blocks };
}
