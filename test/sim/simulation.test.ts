import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  runSimulation,
  type SimulationOptions,
  type SimulationReport,
} from "../../src/consensus/sim/runner.js";

async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const report = await runSimulation(options);
  const label = JSON.stringify({ ...options, storeFactory: undefined });
  assert.ok(report.safety.ok, `${label}: ${report.safety.violations.join("; ")}`);
  assert.deepEqual(report.summary.internalErrors, [], label);
  assert.ok(report.completed, `${label}: did not reach round ${options.rounds + 2}`);
  return report;
}

/** Every honest validator committed leaders up to (about) the last round. */
function assertAllCaughtUp(report: SimulationReport, rounds: number): void {
  for (const v of report.validators.filter((x) => x.honest)) {
    assert.ok(v.lastCommittedRound >= rounds - 2, `validator ${v.id} stopped at ${v.lastCommittedRound}`);
  }
}

describe("simulation: safety and liveness", () => {
  it("commits at least 90% of leaders without faults, over many seeds", async () => {
    for (let seed = 100; seed < 112; seed++) {
      const validators = [4, 5, 7, 10][seed % 4]!;
      const r = await simulate({ validators, rounds: 40, seed, delayMs: { min: 1, max: 40 } });
      assert.ok(r.summary.leaderCommitRatio >= 0.9, `seed ${seed}: ratio ${r.summary.leaderCommitRatio}`);
      assertAllCaughtUp(r, 40);
    }
  });

  it("keeps committing with f validators crashed and restarted", async () => {
    for (let seed = 200; seed < 206; seed++) {
      const validators = seed % 2 === 0 ? 4 : 7;
      const f = Math.floor((validators - 1) / 3);
      const r = await simulate({
        validators,
        rounds: 80,
        seed,
        crash: f,
        delayMs: { min: 1, max: 30 },
        transactionsPerSecond: 20,
      });
      assert.equal(r.summary.events.crashes, f);
      assertAllCaughtUp(r, 80);
      for (const v of r.validators) assert.ok(v.committedBatches > 0, "client transactions get committed");
    }
  });

  it("reports own batches left out of the DAG as orphans, and never one a leader commits", async () => {
    let orphaned = 0;
    for (let seed = 400; seed < 406; seed++) {
      const r = await simulate({
        validators: 4,
        rounds: 60,
        seed,
        delayMs: { min: 1, max: 100 },
        drop: 0.05,
        transactionsPerSecond: 40,
      });
      for (const v of r.validators) {
        assert.equal(
          v.orphansCommitted,
          0,
          `seed ${seed}: validator ${v.id} reported a batch that committed`,
        );
        orphaned += v.orphanedBatches;
      }
    }
    assert.ok(
      orphaned > 0,
      "lost and late messages leave some certificates out, and their batches are reported",
    );
  });

  it("keeps committing with f Byzantine validators, which are detected and dropped", async () => {
    for (let seed = 300; seed < 306; seed++) {
      const validators = seed % 2 === 0 ? 4 : 7;
      const f = Math.floor((validators - 1) / 3);
      const r = await simulate({ validators, rounds: 50, seed, byzantine: f, delayMs: { min: 1, max: 30 } });
      assertAllCaughtUp(r, 50);
      const honest = r.validators.filter((v) => v.honest);
      assert.ok(r.summary.adversary.equivocations > 0);
      const drops = (key: string) => honest.reduce((n, v) => n + (v.dropped[key] ?? 0), 0);
      assert.ok(drops("Header:bad_signature") > 0);
      assert.ok(drops("Certificate:bad_signature") > 0);
      assert.ok(drops("Vote:unknown_header") > 0);
      assert.ok(drops("unknown:malformed") > 0);
      assert.ok(
        honest.some((v) => v.equivocationsDetected > 0),
        "someone saw both headers of an equivocation",
      );
    }
  });

  it("converges after a partition heals (minority cut off, and halves)", async () => {
    for (const [seed, kind] of [
      [400, "minority"],
      [401, "minority"],
      [402, "split"],
      [403, "split"],
    ] as const) {
      const r = await simulate({
        validators: 7,
        rounds: 80,
        seed,
        delayMs: { min: 1, max: 30 },
        partition: { atRound: 20, healAtRound: 45, kind },
      });
      assert.ok(r.summary.events.healedAtMs !== null);
      assertAllCaughtUp(r, 80);
      const lengths = r.validators.map((v) => v.committedLeaders.length);
      assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 2, `seed ${seed}: ${lengths}`);
    }
  });

  it("survives lossy links, long delays and every fault at once", async () => {
    await simulate({ validators: 7, rounds: 60, seed: 500, drop: 0.2, delayMs: { min: 10, max: 200 } });
    await simulate({
      validators: 10,
      rounds: 60,
      seed: 501,
      byzantine: 2,
      crash: 1,
      drop: 0.05,
      delayMs: { min: 1, max: 60 },
      partition: { atRound: 15, healAtRound: 30, kind: "minority" },
      transactionsPerSecond: 20,
    });
  });

  it("replays a seed byte for byte", async () => {
    const options: SimulationOptions = {
      validators: 5,
      rounds: 30,
      seed: 600,
      byzantine: 1,
      crash: 1,
      drop: 0.1,
      delayMs: { min: 1, max: 50 },
      partition: { atRound: 10, healAtRound: 20, kind: "minority" },
      transactionsPerSecond: 50,
    };
    const a = JSON.stringify(await runSimulation(options));
    const b = JSON.stringify(await runSimulation(options));
    assert.equal(a, b);
    const c = JSON.stringify(await runSimulation({ ...options, seed: 601 }));
    assert.notEqual(a, c);
  });
});
