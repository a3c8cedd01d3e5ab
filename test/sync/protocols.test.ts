import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { Registry } from "prom-client";
import { Chain } from "../../src/chain/chain.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { createSyncMetrics, metricTotal } from "../../src/metrics/index.js";
import type { P2PNetwork, RequestHandler } from "../../src/network/index.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { Database } from "../../src/state/db/index.js";
import { behindGcWindow } from "../../src/sync/catchUp.js";
import {
  BLOCKS_PROTOCOL,
  CHECKPOINT_PROTOCOL,
  registerSyncProtocols,
  SYNC_REQUESTS_PER_SECOND,
  SyncRefusal,
  SyncRequestError,
} from "../../src/sync/protocols.js";
import { BlocksRequest, BlocksResponse, CheckpointRequest, type SyncStatus } from "../../src/types/sync.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { tempDir } from "../helpers/tempDir.js";

const home = initDevnetHome({ dir: join(tempDir(), "home"), validators: 4, genesisTime: 1_700_000_000_000 });
const committee = new ConsensusCommittee(home.genesis.committee);
const status = (finalizedHeight: number, gcRound = 0): SyncStatus => ({
  finalizedHeight,
  lastCommittedRound: 0,
  gcRound,
});

/** A chain of `blocks` empty blocks with (unchecked) certificates, served by the sync protocols. */
async function server(blocks: number, finalized: number) {
  const db = await Database.open(join(tempDir(), "db"));
  const chain = await Chain.open({
    db,
    genesis: home.genesis,
    rulePacks: loadRulePacks(home.genesisPath, home.genesis),
    runner: inlineRunner(),
  });
  for (let i = 0; i < blocks; i++) {
    const block = await chain.execute({
      commitIndex: i,
      leaderRound: 2 * i + 2,
      leaderDigest: new Uint8Array(32).fill(i + 1),
      leaderTime: home.genesis.genesisTime + i,
      transactions: [],
    });
    if (i < finalized) {
      await chain.store.putFinality({
        height: block.header.height,
        blockHash: block.hash,
        signers: BitArray.fromBoolArray([true, true, true, false]),
        signatures: [new Uint8Array(64), new Uint8Array(64), new Uint8Array(64)],
      });
    }
  }
  const handlers = new Map<string, RequestHandler>();
  const network = {
    registerRequestProtocol: (protocol: { id: string }, handler: RequestHandler) =>
      handlers.set(protocol.id, handler),
  } as unknown as P2PNetwork;
  const metrics = createSyncMetrics(new Registry());
  registerSyncProtocols(network, {
    store: chain.store,
    status: () => status(finalized),
    checkpoint: () => undefined,
    metrics,
    // Frozen: the rate-limit test must not see its bucket refill on a slow machine.
    now: () => 0,
  });
  const ask = (protocol: string, bytes: Uint8Array, peer = 1) =>
    handlers.get(protocol)!(peer, bytes, AbortSignal.timeout(5_000));
  const dropped = (reason: SyncRefusal) => metricTotal(metrics.requestsDropped, { reason });
  return { ask, dropped, close: () => db.close() };
}

const refused = (reason: SyncRefusal) => (err: unknown) =>
  err instanceof SyncRequestError && err.code === reason;

describe("sync protocols, serving side", () => {
  it("serves consecutive finalized blocks only, at most as many as asked", async () => {
    const s = await server(5, 4);
    try {
      const blocks = async (fromHeight: number, maxBlocks: number) =>
        BlocksResponse.deserialize(
          await s.ask(BLOCKS_PROTOCOL, BlocksRequest.serialize({ fromHeight, maxBlocks })),
        );
      const two = await blocks(2, 2);
      assert.deepEqual(
        two.blocks.map((b) => b.header.height),
        [2, 3],
      );
      assert.equal(two.status.finalizedHeight, 4);
      assert.deepEqual(
        (await blocks(3, 10)).blocks.map((b) => b.header.height),
        [3, 4],
        "block 5 is executed but not final",
      );
      assert.equal((await blocks(1, 0)).blocks.length, 0, "maxBlocks 0: the status only");
      assert.equal((await blocks(9, 5)).blocks.length, 0);
    } finally {
      await s.close();
    }
  });

  it("drops and counts malformed requests, and a checkpoint it does not have", async () => {
    const s = await server(1, 1);
    try {
      await assert.rejects(s.ask(BLOCKS_PROTOCOL, new Uint8Array([1, 2, 3])), refused(SyncRefusal.Malformed));
      await assert.rejects(
        s.ask(BLOCKS_PROTOCOL, BlocksRequest.serialize({ fromHeight: 0, maxBlocks: 1 })),
        refused(SyncRefusal.Malformed),
      );
      await assert.rejects(s.ask(CHECKPOINT_PROTOCOL, new Uint8Array(3)), refused(SyncRefusal.Malformed));
      await assert.rejects(
        s.ask(CHECKPOINT_PROTOCOL, CheckpointRequest.serialize({ minIndex: 0 })),
        refused(SyncRefusal.NoCheckpoint),
      );
      assert.equal(await s.dropped(SyncRefusal.Malformed), 3);
      assert.equal(await s.dropped(SyncRefusal.NoCheckpoint), 1);
    } finally {
      await s.close();
    }
  });

  it("rate-limits each peer separately", async () => {
    const s = await server(1, 1);
    try {
      const request = BlocksRequest.serialize({ fromHeight: 1, maxBlocks: 0 });
      for (let i = 0; i < SYNC_REQUESTS_PER_SECOND; i++) await s.ask(BLOCKS_PROTOCOL, request, 1);
      await assert.rejects(s.ask(BLOCKS_PROTOCOL, request, 1), refused(SyncRefusal.RateLimited));
      await s.ask(BLOCKS_PROTOCOL, request, 2);
      assert.equal(await s.dropped(SyncRefusal.RateLimited), 1);
    } finally {
      await s.close();
    }
  });
});

describe("the behind-the-gc-window check", () => {
  it("needs peers holding validity stake to have pruned above the last committed round", () => {
    const statuses = new Map([
      [1, status(100, 500)],
      [2, status(100, 90)],
      [3, status(100, 80)],
    ]);
    assert.equal(behindGcWindow(statuses, committee, 100), false, "one peer alone (it may lie)");
    statuses.set(2, status(100, 101));
    assert.equal(behindGcWindow(statuses, committee, 100), true);
    assert.equal(
      behindGcWindow(statuses, committee, 101),
      false,
      "a gc round at the last commit is not beyond it",
    );
  });
});
