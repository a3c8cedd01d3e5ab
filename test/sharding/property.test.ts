import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SCHEDULE_CORRIDOR_PARAMS } from "./corridorParams.js";
import { ChainHarness, sharedHome } from "./harness.js";
import { emptyCounts, runSchedule, totalViolations } from "./schedule.js";

/** At least 500 in CI (the floor); `npm run sim:corridors -- --schedules N` runs more. */
const SCHEDULES = 500;
/** A fresh base per run, so CI meets seeds no one has run before; printed to replay a failure. */
const BASE_SEED = Number(process.env.CORRIDOR_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe("corridor invariants over randomized schedules", () => {
  it(`holds every invariant after every block of ${SCHEDULES} schedules (base seed ${BASE_SEED})`, async () => {
    const { home, rulePacks } = sharedHome(SCHEDULE_CORRIDOR_PARAMS);
    const counts = emptyCounts();
    for (let i = 0; i < SCHEDULES; i++) {
      await runSchedule(BASE_SEED + i, () => ChainHarness.open(home, rulePacks), counts);
    }
    assert.equal(totalViolations(counts), 0, JSON.stringify(counts, null, 2));
    assert.equal(counts.schedules, SCHEDULES);
    // The schedules must reach every path they are meant to test, or the zero above means little.
    for (const key of [
      "credited",
      "refunded",
      "refusedAtOnce",
      "timedOut",
      "lifecycleMoves",
      "replays",
      "restarts",
      "assetTransfers",
      "assetSettled",
      "unlocks",
    ] as const) {
      assert.ok(counts[key] > 0, `no schedule produced any ${key}: ${JSON.stringify(counts)}`);
    }
  });
});
