import type { Cluster } from "../helpers/cluster.js";
import type { Prng, Range } from "./prng.js";
import { quorumOf } from "./rpc.js";

export type FaultKind = "sigkill" | "sigstop" | "quorum-loss";

export interface FaultPlan {
  kind: FaultKind;
  validators: number[];
  holdMs: number;
  /** Quiet time after the fault (once its recovery is measured) before the next one. */
  gapMs: number;
}

/** What happened to one fault, as the run reports it. */
export interface FaultRecord {
  index: number;
  kind: FaultKind;
  validators: number[];
  holdSeconds: number;
  /** Seconds from the start of the load to the injection. */
  atSeconds: number;
  /** When the recovery clock started: at injection if a quorum was left running, else at restoration. */
  recoveryFrom: "injection" | "restore";
  /** Until a transaction sent after that moment was final on a quorum; null if not within the cap. */
  recoverySeconds: number | null;
  /** From restoration until the restored validators reached the others' height; null if they did not. */
  catchUpSeconds: number | null;
}

/** One validator frozen or killed this long: long enough to miss rounds, short of the gc window. */
const SINGLE_HOLD_MS: Range = { min: 3_000, max: 15_000 };
/** The quorum loss lasts this long: many leader timeouts, so the survivors' DAG moves on without a commit. */
const QUORUM_LOSS_HOLD_MS: Range = { min: 20_000, max: 40_000 };
/** Where in a timed run the quorum loss falls, as fractions of its length: not at the start or the end. */
const QUORUM_LOSS_WINDOW = { from: 0.3, span: 0.4 };

export function singleFault(rng: Prng, kind: "sigkill" | "sigstop", n: number, gap: Range): FaultPlan {
  return {
    kind,
    validators: rng.distinct(n, 1),
    holdMs: rng.between(SINGLE_HOLD_MS),
    gapMs: rng.between(gap),
  };
}

/** SIGKILLs the fewest validators that leave the rest short of a quorum (2 of 4). */
export function quorumLoss(rng: Prng, n: number, gap: Range): FaultPlan {
  const victims = rng.distinct(n, n - quorumOf(n) + 1).sort((a, b) => a - b);
  return {
    kind: "quorum-loss",
    validators: victims,
    holdMs: rng.between(QUORUM_LOSS_HOLD_MS),
    gapMs: rng.between(gap),
  };
}

/** Whether the validators the fault leaves running still hold a quorum. */
export function leavesQuorum(plan: FaultPlan, n: number): boolean {
  return n - plan.validators.length >= quorumOf(n);
}

/** The bounded schedule: one SIGKILL+restart, one SIGSTOP+SIGCONT and one quorum loss, in seeded order. */
export function ciSchedule(rng: Prng, n: number, gap: Range): FaultPlan[] {
  return rng.shuffle([
    singleFault(rng, "sigkill", n, gap),
    singleFault(rng, "sigstop", n, gap),
    quorumLoss(rng, n, gap),
  ]);
}

/**
 * Random single-validator faults until `durationMs` has passed, with one quorum loss at a seeded
 * point in the middle. The faults are drawn in seeded order; which of them precede the quorum loss
 * depends on how long each recovery takes.
 */
export function* timedSchedule(rng: Prng, n: number, durationMs: number, gap: Range): Generator<FaultPlan> {
  const start = Date.now();
  const end = start + durationMs;
  const quorumLossAt = start + durationMs * (QUORUM_LOSS_WINDOW.from + QUORUM_LOSS_WINDOW.span * rng.next());
  const lossPlan = quorumLoss(rng, n, gap);
  let lossDone = false;
  while (Date.now() < end) {
    if (!lossDone && Date.now() >= quorumLossAt) {
      lossDone = true;
      yield lossPlan;
    } else {
      yield singleFault(rng, rng.next() < 0.5 ? "sigkill" : "sigstop", n, gap);
    }
  }
  // A run too short to reach its quorum-loss point still loses quorum once.
  if (!lossDone) yield lossPlan;
}

export async function inject(cluster: Cluster, plan: FaultPlan): Promise<void> {
  if (plan.kind === "sigstop") for (const v of plan.validators) cluster.signal(v, "SIGSTOP");
  else await Promise.all(plan.validators.map((v) => cluster.kill(v, "SIGKILL")));
}

/** SIGCONT for a frozen validator; a killed one restarts from its database. */
export function restore(cluster: Cluster, plan: FaultPlan): void {
  for (const v of plan.validators) {
    if (plan.kind === "sigstop") cluster.signal(v, "SIGCONT");
    else cluster.start(v);
  }
}
