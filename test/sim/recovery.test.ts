import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConsensusNode } from "../../src/consensus/consensusNode.js";
import { DropReason } from "../../src/consensus/dropReason.js";
import type { CommittedSubDag } from "../../src/consensus/linearizer.js";
import { MessageKind } from "../../src/consensus/messages.js";
import { runSimulation, SIM_CHAIN_ID, simulatorKey } from "../../src/consensus/sim/runner.js";
import { LevelConsensusStore } from "../../src/consensus/store/levelStore.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import type { ConsensusStore } from "../../src/consensus/store/store.js";
import { Database } from "../../src/state/db/database.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import { committeeOf, Harness, keys, ManualClock } from "../consensus/helpers/harness.js";
import { tempDir } from "../helpers/tempDir.js";

const stores: { name: string; open: () => Promise<{ store: ConsensusStore; close: () => Promise<void> }> }[] =
  [
    {
      name: "memory",
      open: async () => ({ store: new MemoryConsensusStore(), close: async () => undefined }),
    },
    {
      name: "LevelDB",
      open: async () => {
        const db = await Database.open(join(tempDir(), "db"));
        return { store: new LevelConsensusStore(db), close: () => db.close() };
      },
    },
  ];

for (const { name, open } of stores) {
  describe(`crash recovery (${name} store)`, () => {
    it("never votes twice in a round after a restart", async () => {
      const { store, close } = await open();
      try {
        const h = new Harness(keys(4), 0, store);
        await h.node.start();
        const first = h.signedHeader(1, { round: 1, createdAt: 10 });
        h.node.handleMessage(1, { kind: MessageKind.Header, body: first });
        await h.node.idle();
        const votes = h.votesTo(1);
        assert.equal(votes.length, 1, "votes for the first header");

        await h.restart();
        const twin = h.signedHeader(1, { round: 1, createdAt: 11 });
        h.node.handleMessage(1, { kind: MessageKind.Header, body: twin });
        await h.node.idle();
        assert.equal(h.votesTo(1).length, 1, "no vote for a different header of the same round");
        assert.equal(await h.dropCount(DropReason.Equivocation), 1);

        h.node.handleMessage(1, { kind: MessageKind.Header, body: first });
        await h.node.idle();
        const again = h.votesTo(1);
        assert.equal(again.length, 2, "the same header gets the same vote again");
        assert.ok(bytesEqual(again[1]!.signature, votes[0]!.signature));
        await h.node.stop();
      } finally {
        await close();
      }
    });

    it("re-proposes its own header after a restart instead of a new one", async () => {
      const { store, close } = await open();
      try {
        const h = new Harness(keys(4), 2, store);
        await h.node.start();
        await h.node.idle();
        const own = h.sent.filter((s) => s.message.kind === MessageKind.Header);
        assert.equal(own.length, 1);
        await h.restart();
        h.clock.advance(1);
        await h.node.idle();
        const after = h.sent.filter((s) => s.message.kind === MessageKind.Header);
        assert.ok(after.length >= 2);
        for (const s of after) assert.deepEqual(s.message.body, own[0]!.message.body, "one header per round");
        assert.equal(h.node.status().round, 1);
        await h.node.stop();
      } finally {
        await close();
      }
    });

    it("keeps committing across crashes without output twice or lost", async () => {
      const handles: { close: () => Promise<void> }[] = [];
      const opened = await Promise.all([0, 1, 2, 3].map(() => open()));
      handles.push(...opened);
      try {
        const report = await runSimulation({
          validators: 4,
          rounds: 60,
          seed: 11,
          crash: 1,
          delayMs: { min: 2, max: 20 },
          transactionsPerSecond: 50,
          storeFactory: (i) => opened[i]!.store,
        });
        assert.ok(report.completed);
        assert.ok(report.safety.ok, report.safety.violations.join("\n"));
        assert.deepEqual(report.summary.internalErrors, []);
        assert.equal(report.summary.events.restarts, 1);
        const crashed = report.validators.find((v) => v.crashes === 1)!;
        assert.ok(crashed.committedLeaders.at(-1)! >= 60, "the restarted validator caught up");
        assert.equal(new Set(crashed.sequence).size, crashed.sequence.length, "no certificate output twice");
      } finally {
        for (const h of handles) await h.close();
      }
    });
  });
}

describe("commit replay", () => {
  it("re-delivers stored commits from the consumer's index, then stops at the store's end", async () => {
    const store = new MemoryConsensusStore();
    const seed = 3;
    const report = await runSimulation({
      validators: 4,
      rounds: 16,
      seed,
      delayMs: { min: 1, max: 5 },
      storeFactory: (i) => (i === 0 ? store : new MemoryConsensusStore()),
    });
    const original = report.validators[0]!;
    const secretKeys = [0, 1, 2, 3].map((i) => simulatorKey(seed, i));
    const delivered: CommittedSubDag[] = [];
    const from = 2;
    const node = new ConsensusNode({
      committee: committeeOf(secretKeys),
      params: report.config.params,
      chainId: SIM_CHAIN_ID,
      authority: 0,
      secretKey: secretKeys[0]!,
      network: { send: () => undefined, broadcast: () => undefined },
      store,
      clock: new ManualClock(),
      deliverFrom: from,
      onOutput: ({ subDag }) => {
        delivered.push(subDag);
      },
    });
    await node.start();
    await node.stop();
    assert.equal(delivered[0]!.index, from);
    assert.deepEqual(
      delivered.map((s) => s.leaderRound),
      original.committedLeaders.slice(from),
    );
    const digests = delivered.flatMap((s) => s.digests.map((d) => toHex(d)));
    const skipped = original.committedLeaders.slice(0, from).length;
    assert.ok(skipped > 0);
    assert.deepEqual(digests, original.sequence.slice(original.sequence.length - digests.length));
  });
});
