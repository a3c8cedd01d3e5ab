import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import {
  type HealthInputs,
  HealthMonitor,
  MIN_STALL_MS,
  peersNeededForQuorum,
  stallAfterMs,
} from "../../src/node/health.js";
import { testCommittee } from "../consensus/helpers/dagBuilder.js";

const base: HealthInputs = {
  now: 0,
  height: 1,
  consensusRound: 1,
  pendingTransactions: 0,
  peers: 3,
  peersForQuorum: 2,
  syncing: false,
  stopping: false,
  diverged: undefined,
};

describe("HealthMonitor", () => {
  it("is ok while the height moves, stalled when it stands still longer than an idle block takes", () => {
    const m = new HealthMonitor(MIN_STALL_MS);
    assert.equal(m.observe(base).status, "ok");
    assert.equal(m.observe({ ...base, now: 9_000, height: 2, consensusRound: 30 }).status, "ok");
    const ok = m.observe({ ...base, now: 18_000, height: 2, consensusRound: 60 });
    assert.equal(ok.status, "ok", "9 s without a block is within the allowance");
    const stalled = m.observe({
      ...base,
      now: 19_500,
      height: 2,
      consensusRound: 70,
      pendingTransactions: 5,
    });
    assert.equal(stalled.status, "stalled");
    assert.match(
      stalled.reason,
      /height 2 has not moved for 11 s; consensus advanced 40 rounds; 5 transactions wait/,
    );
    assert.equal(m.observe({ ...base, now: 20_000, height: 3 }).status, "ok", "a new block ends the stall");
  });

  it("names a missing quorum in a stall, and reports no peers, syncing, diverged and stopping first", () => {
    const m = new HealthMonitor(MIN_STALL_MS);
    m.observe(base);
    const lost = m.observe({ ...base, now: 30_000, peers: 1 });
    assert.equal(lost.status, "stalled");
    assert.match(lost.reason, /connected to 1 peers, a quorum needs 2/);
    assert.equal(m.observe({ ...base, now: 30_000, peers: 0 }).status, "no-peers");
    assert.equal(m.observe({ ...base, now: 30_000, peers: 0, syncing: true }).status, "syncing");
    const diverged = m.observe({ ...base, now: 30_000, syncing: true, diverged: "state root differs" });
    assert.deepEqual(diverged, { status: "diverged", reason: "state root differs" });
    assert.equal(m.observe({ ...base, diverged: "x", stopping: true }).status, "stopping");
  });

  it("allows slow-paced chains more time, and counts the peers a quorum needs by stake", () => {
    assert.equal(stallAfterMs(400, 1_000), MIN_STALL_MS);
    assert.equal(stallAfterMs(5_000, 1_000), 100_000);
    assert.equal(peersNeededForQuorum(new ConsensusCommittee(testCommittee(4)), 0), 2);
    // Stakes 1, 1, 1, 7 (total 10, quorum 7): the heavy validator alone is a quorum; a light one needs it.
    const weighted = new ConsensusCommittee(testCommittee(4, [1, 1, 1, 7]));
    assert.equal(peersNeededForQuorum(weighted, 3), 0);
    assert.equal(peersNeededForQuorum(weighted, 0), 1);
  });
});
