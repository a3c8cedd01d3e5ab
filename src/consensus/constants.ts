/**
 * Tuning constants of the consensus core that are local policy, not protocol (protocol parameters
 * every validator must share live in genesis ConsensusParams). Each bound says why it is what it is.
 */

/**
 * Highest round ahead of our DAG a header may be for us to consider voting. An honest peer is never
 * more than a couple of rounds ahead of a live validator; further means we must catch up first.
 */
export const MAX_HEADER_ROUNDS_AHEAD = 4;

/**
 * Highest round ahead of our DAG a certificate may be for us to hold it while its parents are
 * fetched. Beyond this we drop it and catch up by round range instead, so a peer cannot make us
 * buffer an unbounded DAG.
 */
export const MAX_CERTIFICATE_ROUNDS_AHEAD = 8;

/** Rounds one range request asks for: a committee of 10 fits in one response with room to spare. */
export const SYNC_RANGE_ROUNDS = 24;

/** Certificates held while their ancestry is fetched, per committee member (bounds memory). */
export const SUSPENDED_CERTIFICATES_PER_AUTHORITY = 2 * MAX_CERTIFICATE_ROUNDS_AHEAD + 4;

/** Headers held while their parents or batches are fetched, per committee member. */
export const SUSPENDED_HEADERS_PER_AUTHORITY = MAX_HEADER_ROUNDS_AHEAD + 2;

/** Missing digests tracked at once before new fetches are refused (recovers on the next retry). */
export const MAX_OUTSTANDING_FETCHES = 4096;

/** Retry a certificate or batch fetch after this long, asking the next peer in committee order. */
export const FETCH_RETRY_MS = 500;

/** Give up on a fetch after this many peers asked (the item is requested again when referenced again). */
export const MAX_FETCH_ATTEMPTS = 8;

/** Re-broadcast our latest header (uncertified) or certificate this often, to recover from lost messages. */
export const RESEND_INTERVAL_MS = 1000;

/** A range request with no answer is abandoned after this long, so another can be sent. */
export const RANGE_SYNC_TIMEOUT_MS = 1000;

/**
 * How long a proposer with a quorum of parents waits for the rest from authors that were live the
 * round before. A certificate left out of every next-round header is orphaned (its batches go again,
 * rounds later); a few tens of ms usually brings it, and a crashed author costs nothing (it has no
 * certificate the round before).
 */
export const PARENT_GRACE_MS = 30;
/**
 * Own certificates still uncommitted this many rounds below the last committed leader are taken as
 * orphans: every header references the round before its own only, so once the next rounds' headers
 * left a certificate out, no later leader reaches it. Its batches are handed back to be sent again.
 * In the simulator (40 runs with drops, delays to 300 ms, crashes and Byzantine peers) 5 rounds
 * reported 951 orphans and none that a leader committed later; 4 rounds got 3 wrong, 3 rounds 45.
 * A wrong guess costs only a duplicate in a batch (a block executes a transaction once).
 */
export const ORPHAN_AFTER_ROUNDS = 5;
/**
 * Batches no certificate references yet, held per author (ours included), before more are refused
 * until certificates claim them or gc frees room: a few seconds of batches at the fastest sealing.
 */
export const MAX_BATCHES_PER_AUTHOR = 4096;

/** Transaction bytes a worker buffers before refusing new submissions (back-pressure to RPC). */
export const MAX_PENDING_TRANSACTION_BYTES = 64 * 1024 * 1024;

/** Sealed batch references waiting for a header; beyond this the worker stops sealing. */
export const MAX_PENDING_BATCH_REFS = 16 * 1024;
