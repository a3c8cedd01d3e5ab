import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runSimulation } from "../../src/consensus/sim/runner.js";

describe("idle header delay", () => {
  it("slows an idle network to maxHeaderDelayMs per round and keeps it safe and committing", async () => {
    const rounds = 20;
    const busy = await runSimulation({ validators: 4, rounds, seed: 11, transactionsPerSecond: 200 });
    const idle = await runSimulation({ validators: 4, rounds, seed: 11, idleHeaderDelayMs: 400 });
    assert.equal(idle.safety.ok, true);
    assert.ok(idle.summary.leaderCommitRatio >= 0.9, `ratio ${idle.summary.leaderCommitRatio}`);
    assert.ok(idle.simulatedMs >= rounds * 400, `an idle round took ${idle.simulatedMs / rounds} ms`);
    assert.ok(busy.simulatedMs < idle.simulatedMs / 2, "without the idle delay rounds follow the network");
  });

  it("does not hold back headers that carry batches", async () => {
    const rounds = 20;
    const loaded = await runSimulation({
      validators: 4,
      rounds,
      seed: 12,
      idleHeaderDelayMs: 400,
      transactionsPerSecond: 2_000,
    });
    assert.equal(loaded.safety.ok, true);
    assert.ok(loaded.simulatedMs < rounds * 400, `a loaded round took ${loaded.simulatedMs / rounds} ms`);
    assert.ok(loaded.summary.transactionsSubmitted > 0);
  });
});
