import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SCHEDULE_CORRIDOR_PARAMS } from "./corridorParams.js";
import { ChainHarness, sharedHome } from "./harness.js";
import { emptyCounts, runSchedule, totalViolations } from "./schedule.js";

/**
 * `npm run sim:corridors -- --schedules N [--seed S]`: runs N randomized corridor schedules against
 * a Chain driven directly and prints the invariant counts as one JSON object; exits 1 on a violation.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { schedules: { type: "string", default: "1000" }, seed: { type: "string" } },
  });
  const schedules = Number(values.schedules);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isSafeInteger(schedules) || schedules < 1)
    throw new Error(`--schedules must be a positive integer, got ${values.schedules}`);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`--seed must be a non-negative integer, got ${values.seed}`);
  // Not the tests' tempDir(): this is a plain script, with no test runner to clean up after it.
  const dir = mkdtempSync(join(tmpdir(), "mass-sim-corridors-"));
  const { home, rulePacks } = sharedHome(SCHEDULE_CORRIDOR_PARAMS, join(dir, "home"));
  const counts = emptyCounts();
  const started = performance.now();
  for (let i = 0; i < schedules; i++)
    await runSchedule(seed + i, () => ChainHarness.open(home, rulePacks), counts);
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      baseSeed: seed,
      seconds: Number(seconds.toFixed(1)),
      violationsTotal: totalViolations(counts),
      ...counts,
    }),
  );
  return totalViolations(counts) === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
