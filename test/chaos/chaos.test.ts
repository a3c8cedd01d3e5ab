import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tempDir } from "../helpers/tempDir.js";
import { CHECKS, type CheckId } from "./checks.js";
import { ciSchedule } from "./faults.js";
import { parseSeed } from "./prng.js";
import { ChaosScenario, type ScenarioReport } from "./scenario.js";

/** The CI run's seed; CHAOS_SEED=N replays another schedule. */
const SEED = process.env.CHAOS_SEED ? parseSeed(process.env.CHAOS_SEED, "CHAOS_SEED") : 1;
/** Quiet time between faults: short, so the three faults fit in a few minutes. */
const GAP_MS = { min: 2_000, max: 4_000 };
/** Recovery is measured a little past its 30 s limit, so an overshoot shows its size without costing minutes. */
const RECOVERY_CAP_MS = 35_000;
/** A restored validator normally catches up in seconds; past this the next fault goes ahead anyway. */
const CATCH_UP_LIMIT_MS = 30_000;
/**
 * Worst case (nothing recovers; recovery and catch-up are measured side by side): 2 × (15 s hold +
 * 35 s cap + gap) + (40 s hold + 35 s cap + gap) for the quorum loss, 30 s start-up and warm-up,
 * 15 s drain, 60 s settle and the checks: about 5 min. A healthy run takes under 2 min.
 */
const SCENARIO_TIMEOUT_MS = 7 * 60_000;
/** A throughput line this often, to see where a slow run spent its time. */
const PROGRESS_INTERVAL_MS = 30_000;
/** Log tail printed per validator when a check fails: the last few hundred lines. */
const LOG_PRINT_CHARS = 6_000;

describe(`chaos: 4 validators under SIGKILL, SIGSTOP and quorum loss (seed ${SEED})`, {
  timeout: SCENARIO_TIMEOUT_MS + 60_000,
}, () => {
  let scenario: ChaosScenario | undefined;
  let report: ScenarioReport | undefined;
  // Registered before tempDir's own hook: the validators stop before their directory is removed.
  after(async () => {
    await scenario?.dispose();
    if (report?.passed !== true) {
      for (const [i, log] of (scenario?.logs() ?? []).entries())
        process.stderr.write(`--- validator ${i} log tail ---\n${log.slice(-LOG_PRINT_CHARS)}\n`);
    }
  });
  const dir = tempDir("mass-chaos-");

  before(
    async () => {
      scenario = new ChaosScenario({
        dir,
        seed: SEED,
        schedule: (rng, n) => ciSchedule(rng, n, GAP_MS),
        recoveryCapMs: RECOVERY_CAP_MS,
        catchUpLimitMs: CATCH_UP_LIMIT_MS,
        progressIntervalMs: PROGRESS_INTERVAL_MS,
        onEvent: (event) => console.log(JSON.stringify(event)),
      });
      report = await scenario.run();
      const { seed, durationSeconds, load, finalizedTxs, settle, checkedHeight } = report;
      console.log(JSON.stringify({ seed, durationSeconds, load, finalizedTxs, settle, checkedHeight }));
    },
    { timeout: SCENARIO_TIMEOUT_MS },
  );

  for (const id of Object.keys(CHECKS) as CheckId[]) {
    it(`(${id}) ${CHECKS[id]}`, () => {
      const check = report?.checks.find((c) => c.id === id);
      assert.ok(check, "the scenario did not get as far as its checks");
      const more = check.failureCount - check.failures.length;
      assert.ok(
        check.passed,
        `${check.failureCount} failure(s):\n${check.failures.join("\n")}${more > 0 ? `\n… and ${more} more` : ""}`,
      );
    });
  }
});
