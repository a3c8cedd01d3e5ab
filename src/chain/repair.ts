import { CORRIDOR_BUCKETS } from "../sharding/index.js";
import { Bucket } from "../state/db/index.js";
import type { Logger } from "../util/logger.js";
import { Chain, type ChainOptions } from "./chain.js";

/** What a repair discards: every block-derived bucket; block sync brings them back, certified. */
export const REPAIR_BUCKETS = [
  Bucket.ChainBlocks,
  Bucket.ChainBlockHeights,
  Bucket.ChainTransactions,
  Bucket.ChainTxLocations,
  Bucket.ChainReceipts,
  Bucket.ChainFinality,
  Bucket.ChainHead,
  Bucket.ChainReceiptDigests,
  Bucket.StateEntries,
  ...CORRIDOR_BUCKETS,
];

/**
 * Opens the chain; with `repair`, first discards its blocks and state (kept: consensus votes and
 * DAG, the pool journal) so block sync rebuilds them from certified blocks: the remedy for a node
 * that reports itself diverged.
 */
export async function openChain(options: ChainOptions, repair: boolean, log: Logger): Promise<Chain> {
  const chain = await Chain.open(options);
  if (!repair) return chain;
  log.warn("repair: discarding the chain and state, to rebuild them by block sync", { height: chain.height });
  await options.db.clearBuckets(REPAIR_BUCKETS);
  return Chain.open(options);
}
