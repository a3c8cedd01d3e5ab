import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  applyCheckpoint,
  checkpointFloor,
  checkpointNeeded,
  takeCheckpoint,
} from "../../src/consensus/checkpoint.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { digestKey } from "../../src/consensus/digest.js";
import { ConsensusError, ConsensusErrorCode } from "../../src/consensus/errors.js";
import { MessageKind } from "../../src/consensus/messages.js";
import { LevelConsensusStore } from "../../src/consensus/store/levelStore.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import type { RecoveredState } from "../../src/consensus/store/store.js";
import { sha256 } from "../../src/crypto/hash.js";
import { Database } from "../../src/state/db/database.js";
import {
  agreedCheckpoint,
  type CheckpointSource,
  fetchAgreedCheckpoint,
} from "../../src/sync/checkpointAgreement.js";
import type { SignedHeader } from "../../src/types/consensus.js";
import { Checkpoint } from "../../src/types/sync.js";
import { tempDir } from "../helpers/tempDir.js";
import { committeeOf, Harness, keys, PARAMS } from "./helpers/harness.js";

const committee = new ConsensusCommittee(committeeOf(keys(4)));
const digest = (label: string) => sha256(new TextEncoder().encode(label));

/** The checkpoint of a committer at commit `index` whose leader sits at round `leaderRound`. */
function checkpointAt(index: number, leaderRound: number): Checkpoint {
  const committed = new Map<string, number>();
  for (let round = leaderRound - PARAMS.gcDepth - 3; round <= leaderRound; round++) {
    for (let author = 0; author < 4; author++) committed.set(digestKey(digest(`${round}/${author}`)), round);
  }
  return takeCheckpoint(index, leaderRound, digest(`leader ${leaderRound}`), committed, PARAMS.gcDepth);
}

const emptyState = (): RecoveredState => ({
  votes: new Map(),
  ownHeaders: [],
  certificates: [],
  lastCommit: undefined,
  committed: [],
  batches: [],
  gcRound: 0,
});

describe("checkpoint agreement", () => {
  const honest = Checkpoint.serialize(checkpointAt(30, 62));
  const lie = Checkpoint.serialize({ ...checkpointAt(30, 62), leader: digest("made up") });

  it("takes the checkpoint validity stake returned identically, not a lying peer's", () => {
    assert.deepEqual(
      agreedCheckpoint(
        new Map([
          [1, lie],
          [2, honest],
          [3, Uint8Array.from(honest)],
        ]),
        committee,
      ),
      honest,
    );
  });

  it("takes nothing while only one member vouches for each answer", () => {
    assert.equal(
      agreedCheckpoint(
        new Map([
          [1, lie],
          [2, honest],
        ]),
        committee,
      ),
      undefined,
    );
    assert.equal(
      agreedCheckpoint(
        new Map([
          [2, honest],
          [9, honest],
        ]),
        committee,
      ),
      undefined,
      "a non-member's answer does not count",
    );
  });

  it("asks again until honest peers at slightly different commits agree", async () => {
    let round = 0;
    const asked: number[][] = [];
    const source: CheckpointSource = {
      checkpoint: async (peer, minIndex) => {
        asked[round] = [...(asked[round] ?? []), peer];
        if (asked[round]!.length === 3) round++;
        assert.equal(minIndex, 29);
        if (peer === 1) return lie;
        // Peer 3 commits one step later than peer 2 at first; then both are at commit 31.
        const index = peer === 3 || round > 1 ? 31 : 30;
        return Checkpoint.serialize(checkpointAt(index, 2 * index + 2));
      },
    };
    const checkpoint = await fetchAgreedCheckpoint({
      committee,
      peers: [1, 2, 3],
      source,
      minIndex: 29,
      gcDepth: PARAMS.gcDepth,
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(checkpoint.index, 31);
    assert.ok(asked.length >= 2, "asked more than once");
  });
});

describe("installing a checkpoint", () => {
  it("refuses one that is not ahead of the store, and one out of order", () => {
    const state = emptyState();
    state.lastCommit = { index: 30, leaderRound: 62, leader: digest("x"), certificates: [] };
    assert.throws(
      () => applyCheckpoint(state, checkpointAt(30, 62), PARAMS.gcDepth),
      (err: unknown) => err instanceof ConsensusError && err.code === ConsensusErrorCode.InvalidCheckpoint,
    );
    const shuffled = checkpointAt(31, 64);
    shuffled.committed.reverse();
    assert.throws(() => applyCheckpoint(emptyState(), shuffled, PARAMS.gcDepth), /ascending/);
  });

  it("is not installed when the store already holds its commit (consensus reached it during block sync)", () => {
    const state = emptyState();
    const at30 = checkpointAt(30, 62);
    state.lastCommit = { index: 30, leaderRound: 62, leader: at30.leader, certificates: [] };
    assert.equal(checkpointNeeded(state, at30), false);
    assert.equal(checkpointNeeded(state, checkpointAt(29, 60)), false, "the store is ahead");
    assert.equal(checkpointNeeded(state, checkpointAt(31, 64)), true);
    assert.equal(checkpointNeeded(emptyState(), at30), true);
    state.lastCommit = { ...state.lastCommit, leader: digest("another") };
    assert.throws(
      () => checkpointNeeded(state, at30),
      (err: unknown) => err instanceof ConsensusError && err.code === ConsensusErrorCode.InvalidCheckpoint,
    );
  });

  it("keeps every vote record and the own headers above the floor", () => {
    const checkpoint = checkpointAt(40, 82);
    const floor = checkpointFloor(checkpoint, PARAMS.gcDepth);
    assert.ok(floor > 82 - PARAMS.gcDepth && floor < 82, `floor ${floor} inside the gc window`);
    const h = new Harness(keys(4), 0, new MemoryConsensusStore());
    const own = (round: number): SignedHeader => h.signedHeader(0, { round });
    const state = emptyState();
    state.votes.set(1, { round: 3, headerDigest: digest("old vote") });
    state.ownHeaders = [own(3), own(floor), own(floor + 1)];
    const { write, state: installed } = applyCheckpoint(state, checkpoint, PARAMS.gcDepth);
    assert.equal(installed.votes.get(1)?.round, 3);
    assert.deepEqual(
      installed.ownHeaders.map((o) => o.header.round),
      [floor + 1],
    );
    assert.equal(write.gcRound, floor);
    assert.equal(write.sync, true);
    assert.equal(installed.lastCommit?.index, 40);
  });

  it("resumes from the checkpoint after a restart, serves the same checkpoint, and proposes only above the floor", async () => {
    const db = await Database.open(join(tempDir(), "db"));
    try {
      const store = new LevelConsensusStore(db);
      const h = new Harness(keys(4), 2, store);
      const checkpoint = checkpointAt(40, 82);
      const floor = checkpointFloor(checkpoint, PARAMS.gcDepth);
      h.node = h.node.withCheckpoint(checkpoint);
      await h.node.start();
      await h.node.idle();
      assert.deepEqual(Checkpoint.serialize(h.node.checkpoint()!), Checkpoint.serialize(checkpoint));
      await h.restart();
      const status = h.node.status();
      assert.equal(status.nextCommitIndex, 41);
      assert.equal(status.lastCommittedRound, 82);
      assert.equal(status.gcRound, floor);
      assert.deepEqual(
        Checkpoint.serialize(h.node.checkpoint()!),
        Checkpoint.serialize(checkpoint),
        "a restarted node serves the identical checkpoint",
      );
      h.clock.advance(5_000);
      await h.node.idle();
      const headers = h.sent.filter((s) => s.message.kind === MessageKind.Header);
      assert.equal(headers.length, 0, "no header at or below the floor, and none above without parents");
      await h.node.stop();
    } finally {
      await db.close();
    }
  });
});
