import {
  ADMISSION_BASE_LATENCY_GAIN,
  ADMISSION_BASE_LATENCY_WINDOW_MS,
  ADMISSION_COMMIT_GAP_MS,
  ADMISSION_GROWTH_CORRECTION,
  ADMISSION_LATENCY_BUDGET_MS,
  ADMISSION_LATENCY_CORRECTION,
  ADMISSION_MAX_LATENCY_BUDGET_MS,
  ADMISSION_MAX_WINDOW_BYTES,
  ADMISSION_MIN_WINDOW_BYTES,
  ADMISSION_RATE_WINDOW_MS,
  ADMISSION_STEP_MS,
} from "../constants.js";

/** What the admission window holds and allows, for metrics and diagnostics. */
export interface AdmissionStatus {
  /** Bytes admitted and not yet committed (nor given up). */
  inFlightBytes: number;
  /** The current bound on inFlightBytes. */
  windowBytes: number;
  /** Own bytes committed per second, over the last max(ADMISSION_RATE_WINDOW_MS, budget). */
  committedBytesPerSec: number;
  /** Admission to commit of those bytes, on average (null before any commit). */
  latencyMs: number | null;
  /** The latency the window aims at: the budget, or more when even the fastest commits are slower. */
  latencyBudgetMs: number;
  /** The fastest admission to commit over the last ADMISSION_BASE_LATENCY_WINDOW_MS. */
  baseLatencyMs: number | null;
}

/** Own bytes one commit carried, spread over the time since the commit before (for a smooth rate). */
interface CommitSample {
  at: number;
  since: number;
  bytes: number;
  latencyMs: number;
}

/**
 * Admission tied to consensus progress (the ADMISSION_* constants say why each bound is what it is).
 * Bytes admitted and not yet committed stay within a window of
 *   own bytes committed per second × latency budget,
 * corrected by how far the measured latency is from the budget, within a floor and a ceiling.
 * Excess is refused at once, so an overload costs a refused call, not a queue in front of
 * consensus. By Little's law bytes in flight are throughput × latency: below capacity the latency
 * is under the budget and the window runs ahead of the load (room to grow, faster the further
 * below); at capacity the latency rises to the budget and the window stops there, so what is
 * admitted commits at about the budget's latency while the DAG carries all it can. A stall
 * (nothing commits) shrinks the window to the floor. Pure bookkeeping over the times it is given
 * (deterministic in the simulator and in tests).
 */
export class AdmissionWindow {
  private inFlightBytes = 0;
  private windowBytes = ADMISSION_MIN_WINDOW_BYTES;
  private budgetMs = ADMISSION_LATENCY_BUDGET_MS;
  private ratePerSec = 0;
  private latencyMs = Number.NaN;
  private baseLatencyMs = Number.POSITIVE_INFINITY;
  /** Own commits of the current rate window (and the one straddling its start), oldest first. */
  private readonly commits: CommitSample[] = [];
  /** The fastest commit of each whole step of the base-latency window, oldest first. */
  private readonly stepFastest: number[] = [];
  private stepStart: number;
  private currentFastest = Number.POSITIVE_INFINITY;
  private lastCommitAt = Number.NEGATIVE_INFINITY;

  constructor(now: number) {
    this.stepStart = now;
  }

  status(): AdmissionStatus {
    const finite = (v: number) => (Number.isFinite(v) ? Math.round(v) : null);
    return {
      inFlightBytes: this.inFlightBytes,
      windowBytes: Math.round(this.windowBytes),
      committedBytesPerSec: Math.round(this.ratePerSec),
      latencyMs: finite(this.latencyMs),
      latencyBudgetMs: Math.round(this.budgetMs),
      baseLatencyMs: finite(this.baseLatencyMs),
    };
  }

  /**
   * Whether `bytes` more fit in the window; if so they count as in flight until `committed` or
   * `release`. Something always fits an empty window, whatever its size.
   */
  admit(bytes: number, now: number): boolean {
    this.advance(now);
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > this.windowBytes) return false;
    this.inFlightBytes += bytes;
    return true;
  }

  /**
   * Admitted bytes a leader committed, the earliest of them admitted at `admittedAt`: they leave the
   * window and measure progress (rate and latency).
   */
  committed(bytes: number, admittedAt: number, now: number): void {
    this.advance(now);
    this.release(bytes);
    const latencyMs = Math.max(0, now - admittedAt);
    this.currentFastest = Math.min(this.currentFastest, latencyMs);
    const last = this.commits.at(-1);
    if (last !== undefined && last.at === now) {
      // More batches of the same commit.
      last.latencyMs = (last.latencyMs * last.bytes + latencyMs * bytes) / (last.bytes + bytes);
      last.bytes += bytes;
    } else {
      const since = Math.max(this.lastCommitAt, now - Math.max(ADMISSION_RATE_WINDOW_MS, this.budgetMs));
      this.commits.push({ at: now, since, bytes, latencyMs });
    }
    this.lastCommitAt = now;
  }

  /** Admitted bytes that will not commit (lost or handed back): they leave the window uncounted. */
  release(bytes: number): void {
    this.inFlightBytes = Math.max(0, this.inFlightBytes - bytes);
  }

  /** Closes the steps that ended by `now` and resizes the window from what committed before. */
  private advance(now: number): void {
    const passed = Math.floor((now - this.stepStart) / ADMISSION_STEP_MS);
    if (passed < 1) return;
    this.stepStart += passed * ADMISSION_STEP_MS;
    const baseSteps = Math.max(1, Math.round(ADMISSION_BASE_LATENCY_WINDOW_MS / ADMISSION_STEP_MS));
    this.stepFastest.push(this.currentFastest);
    // Steps with no call at all committed nothing.
    for (let i = 1; i < Math.min(passed, baseSteps); i++) this.stepFastest.push(Number.POSITIVE_INFINITY);
    if (this.stepFastest.length > baseSteps) this.stepFastest.splice(0, this.stepFastest.length - baseSteps);
    this.currentFastest = Number.POSITIVE_INFINITY;
    this.baseLatencyMs = Math.min(...this.stepFastest);

    this.budgetMs = Number.isFinite(this.baseLatencyMs)
      ? Math.min(
          ADMISSION_MAX_LATENCY_BUDGET_MS,
          Math.max(ADMISSION_LATENCY_BUDGET_MS, ADMISSION_BASE_LATENCY_GAIN * this.baseLatencyMs),
        )
      : ADMISSION_LATENCY_BUDGET_MS;
    // The rate over the span that ends at the last commit (no sawtooth between commits) unless
    // commits stopped for longer than ADMISSION_COMMIT_GAP_MS: then the span moves on and the rate decays.
    const span = Math.max(ADMISSION_RATE_WINDOW_MS, this.budgetMs);
    const end = Math.max(this.lastCommitAt, now - ADMISSION_COMMIT_GAP_MS);
    const start = end - span;
    let drop = 0;
    while (drop < this.commits.length && this.commits[drop]!.at <= start) drop++;
    if (drop > 0) this.commits.splice(0, drop);
    let bytes = 0;
    let weighted = 0;
    for (const c of this.commits) {
      const share = c.since >= start ? c.bytes : (c.bytes * (c.at - start)) / (c.at - c.since);
      bytes += share;
      weighted += share * c.latencyMs;
    }
    this.ratePerSec = (bytes * 1000) / span;
    this.latencyMs = bytes > 0 ? weighted / bytes : Number.NaN;
    // Little's law aims the window at the budget; the correction closes the gap to it faster (and
    // grows the window quickly while far below it).
    const aim = Number.isNaN(this.latencyMs)
      ? this.budgetMs
      : Math.min(
          2 * this.budgetMs,
          Math.max(
            this.budgetMs / 2,
            this.budgetMs +
              (this.latencyMs < this.budgetMs ? ADMISSION_GROWTH_CORRECTION : ADMISSION_LATENCY_CORRECTION) *
                (this.budgetMs - this.latencyMs),
          ),
        );
    const wanted = (this.ratePerSec * aim) / 1000;
    this.windowBytes = Math.min(ADMISSION_MAX_WINDOW_BYTES, Math.max(ADMISSION_MIN_WINDOW_BYTES, wanted));
  }
}
