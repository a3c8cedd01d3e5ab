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

/**
 * Retry a fetch of committed batches after this long. Sooner than FETCH_RETRY_MS: every later
 * output waits behind the sub-DAG that lacks them. Such a fetch never gives up: a certificate
 * proves a quorum stored its batches, so some honest peer can answer.
 */
export const COMMITTED_BATCH_RETRY_MS = 200;

/**
 * Requests for committed batches sent to their header's author alone before asking every peer:
 * the author surely holds them, and a few silent tries (it crashed, it is cut off) are cheaper
 * than every peer sending the same batches.
 */
export const COMMITTED_BATCH_AUTHOR_ATTEMPTS = 3;

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

/** Sealed batch references waiting for a header; beyond this the worker stops sealing. */
export const MAX_PENDING_BATCH_REFS = 16 * 1024;

/*
 * Admission (worker/worker.ts, AdmissionWindow). A worker admits a client transaction only while
 * its own bytes in flight (admitted, not yet committed by a leader) stay within a window of
 *   own bytes committed per second × latency budget,
 * the budget corrected by how far the measured latency is from it (ADMISSION_LATENCY_CORRECTION),
 * the window kept within [ADMISSION_MIN_WINDOW_BYTES, ADMISSION_MAX_WINDOW_BYTES]. By Little's law
 * bytes in flight are throughput × latency: at capacity the window holds the latency of what is
 * admitted near the budget, and an overload is refused at once (SubmitResult.Busy) instead of
 * queueing in front of consensus. The window follows what actually commits, so a stall shrinks it
 * to the floor, and load below capacity keeps it ahead of what is offered.
 */

/**
 * Latency (admission to commit) the window aims at. Above the unloaded commit latency (seal ≤ 50 ms,
 * acks, a header every 100 ms, 2–4 rounds to a commit: 300–700 ms on this machine's 4-validator
 * cluster), since the gap between the two is the window's room to grow; beyond that it is what an
 * overload costs the latency of admitted transactions.
 */
export const ADMISSION_LATENCY_BUDGET_MS = 1_000;

/**
 * Where even the fastest commits are slower than the budget (a loaded machine, a WAN committee),
 * the window aims at this many times the fastest own commit of the last
 * ADMISSION_BASE_LATENCY_WINDOW_MS instead, up to ADMISSION_MAX_LATENCY_BUDGET_MS; else it would
 * shrink to the floor although nothing queues. Under a sustained overload the fastest commit
 * includes some queueing too; the gain stays under the usual spread of commit latencies (a batch of
 * a leader's round commits a round or two before one of the round after) so this rarely feeds on
 * itself, and the cap bounds it when it does.
 */
export const ADMISSION_BASE_LATENCY_GAIN = 1.25;
export const ADMISSION_MAX_LATENCY_BUDGET_MS = 4 * ADMISSION_LATENCY_BUDGET_MS;

/** The fastest commit is taken over this long: many commits, and it forgets a change of conditions. */
export const ADMISSION_BASE_LATENCY_WINDOW_MS = 10_000;

/**
 * How strongly the window corrects towards the budget: it aims at budget + k × (budget − latency),
 * within [budget ÷ 2, 2 × budget], k being ADMISSION_GROWTH_CORRECTION while the latency is under
 * the budget and ADMISSION_LATENCY_CORRECTION above it. Growing faster than budget ÷ latency brings
 * a window from the floor to capacity within ~3 s (the bench's warmup) instead of ~8 s; draining an
 * overshoot gently avoids overshooting back. In a model of the devnet cluster
 * (test/consensus/admission.test.ts; k = 0, 1, 2/1) goodput at 2× over 8 s after a 3 s warmup was
 * 0.85, 0.92 and 0.98 of capacity, at the same latency.
 */
export const ADMISSION_GROWTH_CORRECTION = 2;
export const ADMISSION_LATENCY_CORRECTION = 1;

/**
 * Smallest admission window: admitted even when nothing committed lately (start, after idling, a
 * stall), so the window can learn the rate. Two full batches of the devnet's 500 kB: one seals while
 * the other gathers acks. Small on purpose: at a stall this is all that queues, and where the
 * committee's capacity is low (a loaded machine: ~1k tx/s per validator) it is still ~2 s of it.
 */
export const ADMISSION_MIN_WINDOW_BYTES = 1024 * 1024;

/**
 * Largest admission window: 4 s of the devnet cluster's capacity per validator (46k tx/s of 512 B
 * over 4 validators ≈ 6 MB/s each), and below the network's 32 MiB outbound queue per peer
 * (DEFAULT_MAX_QUEUED_BYTES_PER_PEER), so own batches alone never overflow a peer's queue (a batch
 * dropped there waits for acks that never come).
 */
export const ADMISSION_MAX_WINDOW_BYTES = 24 * 1024 * 1024;

/**
 * The commit rate is measured over this long, or the budget if longer (the window must span the
 * loop's own delay, or it chases its own echo). Commits come one per leader (every 2 rounds,
 * ~200–500 ms); each commit's bytes are spread over the time since the one before, so the rate is
 * smooth across bursts.
 */
export const ADMISSION_RATE_WINDOW_MS = 1_000;

/**
 * Commits may pause this long (a leader timeout is 1 s) before the measured rate starts to decay
 * towards zero: after a stall of this plus the rate window the window is back at the floor.
 */
export const ADMISSION_COMMIT_GAP_MS = 1_000;

/** The window is resized this often (and the fastest commit kept per step of this length). */
export const ADMISSION_STEP_MS = 250;

/**
 * Own batches still uncommitted this many rounds after they were sealed leave the admission count
 * (their bytes are no longer held against new submissions): such a batch is lost (never acknowledged
 * by a quorum, or its certificate orphaned without a report, as after a restart). A batch commits
 * within ~6 rounds normally and ORPHAN_AFTER_ROUNDS below the last commit at worst; rounds advance
 * only with progress, so a stall expires nothing.
 */
export const ADMISSION_EXPIRY_ROUNDS = 20;

/**
 * Batches are filed this many rounds above the local round they arrive in: a certificate claims a
 * batch a round or two after it is sealed, so its batch then outlives it without being moved. A
 * batch claimed later than that is moved up to the claiming certificate's round (gc deletes a batch
 * with the round it is filed under, and it must live as long as any certificate referencing it).
 */
export const BATCH_FILING_LEAD_ROUNDS = 8;

/**
 * An own batch short of a quorum of acknowledgements is sent again this often to the workers that
 * have not acknowledged it: a peer that was down or disconnected when it was sealed gets it, and
 * batches sealed behind it are not held back for good.
 */
export const BATCH_RESEND_INTERVAL_MS = 1_000;
