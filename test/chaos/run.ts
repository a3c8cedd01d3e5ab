/**
 * The long chaos run: `npm run chaos -- --minutes 30 [--seed N]`. Prints JSON lines (one per fault,
 * periodic progress, a final summary with every check) and exits non-zero if a check fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { errorMessage } from "../../src/util/errors.js";
import { timedSchedule } from "./faults.js";
import { parseSeed } from "./prng.js";
import { ChaosScenario, type ScenarioReport } from "./scenario.js";

const DEFAULT_MINUTES = 30;
/** Quiet time between faults: time for the network to run clean between two of them. */
const GAP_MS = { min: 5_000, max: 15_000 };
/** Recoveries are measured up to this long, so a slow one reports its real length past the 30 s limit. */
const RECOVERY_CAP_MS = 120_000;
/** A restored validator not caught up after this long is reported, and the schedule goes on. */
const CATCH_UP_LIMIT_MS = 120_000;
/** One progress line this often: about 60 in a 30-minute run. */
const PROGRESS_INTERVAL_MS = 30_000;
/** Exit codes: a check failed; the run itself broke (a harness or start-up error); interrupted. */
const EXIT_CHECK_FAILED = 1;
const EXIT_RUN_FAILED = 2;
const EXIT_INTERRUPTED = 130;

const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

function parseOptions(): { minutes: number; seed: number } {
  const { values } = parseArgs({
    options: { minutes: { type: "string" }, seed: { type: "string" } },
    strict: true,
  });
  const minutes = values.minutes === undefined ? DEFAULT_MINUTES : Number(values.minutes);
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got "${values.minutes}"`);
  // A long run without --seed explores a new schedule each time; the seed it prints replays it.
  const seed =
    values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : parseSeed(values.seed, "--seed");
  return { minutes, seed };
}

/** Saves the validators' log tails outside the run's directory (which is removed) and returns where. */
function saveLogs(scenario: ChaosScenario, seed: number): string {
  const dir = join(tmpdir(), `mass-chaos-logs-${seed}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  for (const [i, log] of scenario.logs().entries()) writeFileSync(join(dir, `validator-${i}.log`), log);
  return dir;
}

function summary(report: ScenarioReport, minutes: number, logs: string | null): Record<string, unknown> {
  const recoveries = report.faults.map((f) => f.recoverySeconds).filter((s) => s !== null);
  const byKind: Record<string, number> = {};
  for (const f of report.faults) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  return {
    type: "summary",
    seed: report.seed,
    minutes,
    passed: report.passed,
    durationSeconds: report.durationSeconds,
    faults: {
      total: report.faults.length,
      byKind,
      notRecovered: report.faults.length - recoveries.length,
      maxRecoverySeconds: recoveries.length > 0 ? Math.max(...recoveries) : null,
    },
    load: report.load,
    finalizedTxs: report.finalizedTxs,
    settle: report.settle,
    checkedHeight: report.checkedHeight,
    checks: report.checks,
    logs,
  };
}

async function main(): Promise<void> {
  const { minutes, seed } = parseOptions();
  const dir = mkdtempSync(join(tmpdir(), "mass-chaos-"));
  const scenario = new ChaosScenario({
    dir,
    seed,
    schedule: (rng, n) => timedSchedule(rng, n, minutes * 60_000, GAP_MS),
    recoveryCapMs: RECOVERY_CAP_MS,
    catchUpLimitMs: CATCH_UP_LIMIT_MS,
    progressIntervalMs: PROGRESS_INTERVAL_MS,
    onEvent: print,
  });
  const interrupt = (signal: string) => {
    print({ type: "interrupted", signal });
    void scenario.dispose().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(EXIT_INTERRUPTED);
    });
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  print({ type: "start", seed, minutes });
  try {
    const report = await scenario.run();
    print(summary(report, minutes, report.passed ? null : saveLogs(scenario, seed)));
    process.exitCode = report.passed ? 0 : EXIT_CHECK_FAILED;
  } catch (err) {
    print({ type: "error", message: errorMessage(err), logs: saveLogs(scenario, seed) });
    process.exitCode = EXIT_RUN_FAILED;
  } finally {
    await scenario.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm test` runs every .js file under dist/test as a test file: this tool must not start a run there.
if (process.env.NODE_TEST_CONTEXT === undefined) {
  await main().catch((err: unknown) => {
    print({ type: "error", message: errorMessage(err) });
    process.exitCode = EXIT_RUN_FAILED;
  });
}
