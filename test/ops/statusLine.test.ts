import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { CorridorMetricsFeed } from "../../src/chain/corridorMetrics.js";
import { createCorridorMetrics, metricValues } from "../../src/metrics/index.js";
import { describeError } from "../../src/node/describeError.js";
import { StatusLine } from "../../src/node/statusLine.js";
import type { NodeStatus } from "../../src/rpc/index.js";
import type { CorridorLedger } from "../../src/sharding/index.js";
import { SyncProgress } from "../../src/sync/syncProgress.js";
import { type CorridorReceipt, CorridorReceiptKind, CorridorState } from "../../src/types/corridor.js";
import { asciiBytes } from "../../src/types/primitives.js";
import { MassError } from "../../src/util/errors.js";
import { type LogFields, type Logger, silentLogger } from "../../src/util/logger.js";

const okStatus: NodeStatus = {
  status: "ok",
  reason: "",
  blockSyncing: false,
  peers: 3,
  committeeSize: 4,
  consensusRound: 120,
  finalizedHeight: 48,
};

describe("the status line", () => {
  it("reports height, finality lag, round, peers, pool and rates since the previous line", async () => {
    let height = 10;
    let txs = 0;
    let status = okStatus;
    const line = new StatusLine(
      { status: () => status, height: () => height, poolSize: () => 7, executedTransactions: () => txs },
      30_000,
      silentLogger,
    );
    assert.deepEqual(line.line(0), {
      height: 10,
      finalized: 48,
      lag: -38,
      round: 120,
      peers: "3/3",
      pool: 7,
      blocksPerSec: 0,
      txPerSec: 0,
      health: "ok",
    });
    height = 50;
    txs = 300;
    assert.deepEqual(line.line(20_000), {
      height: 50,
      finalized: 48,
      lag: 2,
      round: 120,
      peers: "3/3",
      pool: 7,
      blocksPerSec: 2,
      txPerSec: 15,
      health: "ok",
    });
    status = { ...okStatus, status: "syncing", reason: "catching up", blockSyncing: true };
    const syncing = line.line(40_000);
    assert.equal(syncing.health, "syncing");
    assert.equal(syncing.reason, "catching up");
    assert.equal(syncing.blockSync, true);
    assert.equal(syncing.blocksPerSec, 0);
  });

  it("logs on its interval until stopped, and never with interval 0", async () => {
    const lines: { message: string; fields: LogFields | undefined }[] = [];
    const log: Logger = {
      ...silentLogger,
      info: (message, fields) => lines.push({ message, fields }),
      warn: (message, fields) => lines.push({ message, fields }),
    };
    let fail = false;
    const sources = {
      status: () => {
        if (fail) throw new MassError("BROKEN", "no status", {}, { cause: new Error("disk gone") });
        return okStatus;
      },
      height: () => 1,
      poolSize: () => 0,
      executedTransactions: () => 0,
    };
    const off = new StatusLine(sources, 0, log);
    await off.start();
    const on = new StatusLine(sources, 20, log);
    await on.start();
    await new Promise((r) => setTimeout(r, 70));
    fail = true;
    await new Promise((r) => setTimeout(r, 30));
    await on.stop();
    await off.stop();
    const count = lines.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(lines.length, count, "nothing after stop");
    assert.ok(lines.filter((l) => l.message === "status").length >= 2);
    const failed = lines.find((l) => l.message === "status line failed");
    assert.equal(failed?.fields?.error, "BROKEN: no status <- caused by: disk gone");
  });
});

describe("block sync progress", () => {
  it("gives the rate since the previous report, the ETA at that rate, and a summary", () => {
    const p = new SyncProgress(100, 1_100, 0);
    assert.deepEqual(p.report(100, 0), {
      height: 100,
      target: 1_100,
      remaining: 1_000,
      blocksPerSec: 0,
      etaSec: null,
    });
    assert.deepEqual(p.report(300, 5_000), {
      height: 300,
      target: 1_100,
      remaining: 800,
      blocksPerSec: 40,
      etaSec: 20,
    });
    assert.deepEqual(p.summary(1_100, 25_000), {
      height: 1_100,
      blocks: 1_000,
      seconds: 25,
      blocksPerSec: 40,
    });
  });
});

describe("describeError", () => {
  it("gives codes and the chain of causes, bounded", () => {
    const root = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const wrapped = new MassError("SYNC_UNAVAILABLE", "no block", {}, { cause: root });
    assert.equal(
      describeError(wrapped),
      "SYNC_UNAVAILABLE: no block <- caused by: ECONNREFUSED: connect ECONNREFUSED",
    );
    assert.equal(describeError("plain"), "plain");
    const loop = new Error("loop") as Error & { cause?: unknown };
    loop.cause = loop;
    assert.equal(describeError(loop).split(" <- caused by: ").length, 6);
  });
});

describe("corridor metrics", () => {
  it("gauges read the ledger when scraped; receipts a block appended are counted by kind", async () => {
    let state = CorridorState.Active;
    const ledger = {
      list: () => [{ id: "a~b", state }],
      openTransfers: () => [{ corridor: asciiBytes("a~b") }, { corridor: asciiBytes("a~b") }],
      inFlight: () => 1_500n,
    } as unknown as CorridorLedger;
    const metrics = createCorridorMetrics(new Registry());
    const feed = new CorridorMetricsFeed(metrics, ledger);
    assert.deepEqual(await metricValues(metrics.transfersOpen), [{ labels: { corridor: "a~b" }, value: 2 }]);
    assert.deepEqual(await metricValues(metrics.valueInFlight), [
      { labels: { corridor: "a~b" }, value: 1500 },
    ]);
    assert.deepEqual(await metricValues(metrics.state), [
      { labels: { corridor: "a~b", state: "ACTIVE" }, value: 1 },
    ]);
    state = CorridorState.Suspended;
    assert.deepEqual(await metricValues(metrics.state), [
      { labels: { corridor: "a~b", state: "SUSPENDED" }, value: 1 },
    ]);
    const receipt = (kind: CorridorReceiptKind) => ({ kind }) as CorridorReceipt;
    feed.blockCommitted([]);
    feed.blockCommitted([
      {
        corridor: "a~b",
        receipts: [receipt(CorridorReceiptKind.Arrival), receipt(CorridorReceiptKind.Departure)],
      },
    ]);
    const byKind = (await metricValues(metrics.receipts)).map((v) => [v.labels.kind, v.value]);
    assert.deepEqual(byKind.sort(), [
      ["ARRIVAL", 1],
      ["DEPARTURE", 1],
    ]);
  });
});
