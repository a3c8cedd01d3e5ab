/**
 * Every key in the node's one LevelDB starts with a bucket byte. A number, once used, is never
 * reused for something else (old databases may still hold its keys): retire it with a comment instead.
 * Ranges: 1-19 consensus, 20-39 chain and blocks, 40-59 execution state, 60-79 sharding, 80-99 node.
 */
export enum Bucket {
  /** Last round this validator voted in, per header author (safety: never vote twice). */
  ConsensusVotes = 1,
  /** Certificates by digest. */
  ConsensusCertificates = 2,
  /** Index (round ‖ author) → certificate digest, for recovery, sync by round range and GC. */
  ConsensusCertificatesByRound = 3,
  /** Worker batches, keyed round ‖ digest (the round they were stored in, for GC). */
  ConsensusBatches = 4,
  /** This validator's own headers by round (to re-broadcast after a restart). */
  ConsensusOwnHeaders = 5,
  /** Bullshark commit log: one CommitRecord per committed leader, keyed by commit index. */
  ConsensusCommitState = 6,
  /** Equivocation evidence: two signed headers from one author in one round. */
  ConsensusEvidence = 7,
  /** Certificates already output in the commit sequence, keyed round ‖ digest (never output twice). */
  ConsensusCommitted = 8,
  /** The round consensus last pruned at (one key: the round; gc below it is complete). */
  ConsensusGcRound = 9,
  /** height (u64) → StoredBlock. */
  ChainBlocks = 20,
  /** block hash → height (u64 key bytes as value). */
  ChainBlockHeights = 21,
  /** tx hash → encoded SignedTransaction. */
  ChainTransactions = 22,
  /** tx hash → TxLocation. */
  ChainTxLocations = 23,
  /** tx hash → ExecutionReceipt. */
  ChainReceipts = 24,
  /** height (u64) → FinalityCertificate. */
  ChainFinality = 25,
  /** single key → ChainHead. */
  ChainHead = 26,
  /**
   * Retired: single key → the whole pending corridor message list, rewritten every block. Read once
   * at open and moved to CorridorPendingQueue (sharding/ledgerStore.ts). Never reuse 27.
   */
  LegacyPendingMessages = 27,
  /** tx hash → encoded transaction the pool accepted and the chain has not executed yet. */
  ChainPoolJournal = 28,
  /** height (u64) → the block's receipt digests in receiptRoot order (receipt inclusion proofs). */
  ChainReceiptDigests = 29,
  /** harbor id ‖ 0x00 ‖ state key → value: every harbor's state entries. */
  StateEntries = 40,
  /** corridor id (ASCII) → CorridorRecord: lifecycle, parameters, receipt count (sharding/ledgerStore.ts). */
  CorridorRecords = 60,
  /** corridor id ‖ 0x00 ‖ sequence (u64) → CorridorReceipt. */
  CorridorReceipts = 61,
  /** corridor id ‖ 0x00 ‖ sequence (u64) → {digest, height}: rebuilds the MMRs at open without decoding receipts. */
  CorridorLeaves = 62,
  /** transit id → TransferRecord of every transfer that departed (sharding/transfers.ts). */
  CorridorTransfers = 63,
  /** transit id → TransferRecord of the transfers still in transit; deleted when one ends. */
  CorridorOpenTransfers = 64,
  /** queue position (u64) → a corridor message waiting for delivery, in delivery order (sharding/pendingQueue.ts). */
  CorridorPendingQueue = 65,
  /** Node-level metadata: schema version, genesis hash. */
  NodeMeta = 80,
}
