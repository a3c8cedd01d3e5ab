import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CommittedLeader } from "../../src/consensus/bullshark.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import type { Vertex } from "../../src/consensus/dag.js";
import { Prng } from "../../src/consensus/sim/prng.js";
import { DagBuilder, runCommitter, testCommittee } from "./helpers/dagBuilder.js";

const N = 4;
const ALL = [0, 1, 2, 3];
const committee = testCommittee(N);
const schedule = new ConsensusCommittee(committee);
const leaderOf = (round: number) => schedule.leader(round);

function flatten(commits: CommittedLeader[]): Vertex[] {
  return commits.flatMap((c) => [...c.vertices]);
}

function assertWellFormed(commits: CommittedLeader[]): void {
  const position = new Map<string, number>();
  flatten(commits).forEach((v, i) => {
    assert.ok(!position.has(v.key), "no certificate is output twice");
    position.set(v.key, i);
  });
  for (const c of commits) {
    assert.equal(c.vertices.at(-1), c.leader, "the leader closes its sub-DAG");
    for (let i = 1; i < c.vertices.length; i++) {
      const a = c.vertices[i - 1]!;
      const b = c.vertices[i]!;
      assert.ok(a.round < b.round || (a.round === b.round && a.author < b.author), "by round, then author");
    }
    for (const v of c.vertices) {
      for (const p of v.parents) {
        const at = position.get(p);
        if (at !== undefined) assert.ok(at < position.get(v.key)!, "parents come first");
      }
    }
  }
}

describe("Bullshark commit rule", () => {
  it("commits every leader of a fully connected DAG, in round order", () => {
    const dag = new DagBuilder();
    for (let r = 1; r <= 9; r++) dag.round(r, ALL);
    const { commits } = runCommitter(committee, dag.all());
    assert.deepEqual(
      commits.map((c) => c.leader.round),
      [2, 4, 6, 8],
    );
    assertWellFormed(commits);
    // Rounds 1-7 completely, and of round 8 only the leader (the others are not in its history yet).
    assert.equal(flatten(commits).length, 7 * N + 1, "everything the leaders reach is ordered exactly once");
  });

  it("commits a leader that lacked support when a later leader reaches it", () => {
    const dag = new DagBuilder();
    dag.round(1, ALL);
    dag.round(2, ALL);
    const l2 = leaderOf(2);
    const supporter = (l2 + 1) % N;
    // Only one validator (below validity stake 2) references the round-2 leader in round 3.
    dag.round(3, ALL, (a) => (a === supporter ? ALL : ALL.filter((x) => x !== l2)));
    const early = runCommitter(committee, dag.all());
    assert.deepEqual(early.commits, [], "no direct commit with support below validity");
    dag.round(4, ALL);
    dag.round(5, ALL);
    const { commits } = runCommitter(committee, dag.all());
    assert.deepEqual(
      commits.map((c) => c.leader.round),
      [2, 4],
    );
    assert.equal(commits[0]!.leader.key, dag.get(2, l2).key);
    assertWellFormed(commits);
  });

  it("never commits a leader nobody references", () => {
    const dag = new DagBuilder();
    dag.round(1, ALL);
    dag.round(2, ALL);
    const l2 = leaderOf(2);
    const others = ALL.filter((x) => x !== l2);
    dag.round(3, ALL, () => others);
    for (let r = 4; r <= 9; r++) dag.round(r, ALL);
    const { commits } = runCommitter(committee, dag.all());
    assert.ok(!commits.some((c) => c.leader.round === 2));
    assert.ok(
      !flatten(commits).some((v) => v.key === dag.get(2, l2).key),
      "its certificate is never ordered",
    );
    assert.deepEqual(
      commits.map((c) => c.leader.round),
      [4, 6, 8],
    );
  });

  it("does not commit a leader whose certificate is missing", () => {
    const dag = new DagBuilder();
    dag.round(1, ALL);
    const l2 = leaderOf(2);
    dag.round(
      2,
      ALL.filter((x) => x !== l2),
    );
    for (let r = 3; r <= 5; r++) dag.round(r, ALL);
    const { commits } = runCommitter(committee, dag.all());
    assert.deepEqual(
      commits.map((c) => c.leader.round),
      [4],
    );
  });

  it("weights support by stake", () => {
    // Validator 0 holds 4 of 7 stake units: validity is 3, so its support alone commits a leader.
    const weighted = testCommittee(N, [4, 1, 1, 1]);
    const c = new ConsensusCommittee(weighted);
    const dag = new DagBuilder();
    dag.round(1, ALL);
    dag.round(2, ALL);
    const l2 = c.leader(2);
    dag.round(3, [0, 1, 2, 3], (a) => (a === 0 ? ALL : ALL.filter((x) => x !== l2)));
    const { commits } = runCommitter(weighted, dag.all());
    assert.deepEqual(
      commits.map((x) => x.leader.round),
      [2],
    );
  });

  it("orders the same sequence whatever order certificates arrive in", () => {
    const rng = new Prng(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 4 + (trial % 4);
      const members = Array.from({ length: n }, (_, i) => i);
      const quorum = Math.floor((2 * n) / 3) + 1;
      const dag = new DagBuilder();
      dag.round(1, members);
      for (let r = 2; r <= 24; r++) {
        const authors = members.filter(() => rng.chance(0.9));
        const prev = [...dag.vertices.values()].filter((v) => v.round === r - 1).map((v) => v.author);
        if (prev.length < quorum) break;
        if (authors.length < quorum) authors.splice(0, authors.length, ...members.slice(0, quorum));
        dag.round(r, authors, () => rng.shuffle([...prev]).slice(0, rng.int(quorum, prev.length)));
      }
      const reference = flatten(runCommitter(testCommittee(n), dag.all()).commits).map((v) => v.key);
      assert.ok(reference.length > 0);
      for (let k = 0; k < 5; k++) {
        const order = randomCausalOrder(dag.all(), rng);
        const got = flatten(runCommitter(testCommittee(n), order).commits).map((v) => v.key);
        assert.deepEqual(got, reference, `trial ${trial}, order ${k}`);
      }
    }
  });

  it("skips certificates below the gc round", () => {
    const dag = new DagBuilder();
    dag.round(1, ALL);
    dag.round(2, ALL);
    const l2 = leaderOf(2);
    // Validator x's round-2 certificate is referenced by nobody until much later.
    const x = (l2 + 1) % N;
    dag.round(3, ALL, () => ALL.filter((a) => a !== x));
    for (let r = 4; r <= 13; r++) dag.round(r, ALL);
    const { commits } = runCommitter(committee, dag.all(), 4);
    const ordered = flatten(commits);
    assert.ok(!ordered.some((v) => v.key === dag.get(2, x).key));
    assert.deepEqual(
      commits.map((c) => c.leader.round),
      [2, 4, 6, 8, 10, 12],
    );
  });
});

function randomCausalOrder(vertices: Vertex[], rng: Prng): Vertex[] {
  const pending = [...vertices];
  const placed = new Set<string>();
  const out: Vertex[] = [];
  while (pending.length > 0) {
    const ready = pending.filter((v) => v.parents.every((p) => placed.has(p)));
    const pick = ready[rng.int(0, ready.length - 1)]!;
    pending.splice(pending.indexOf(pick), 1);
    placed.add(pick.key);
    out.push(pick);
  }
  return out;
}
