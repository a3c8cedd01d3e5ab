import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConsensusNode } from "../../src/consensus/consensusNode.js";
import {
  ADMISSION_BASE_LATENCY_GAIN,
  ADMISSION_COMMIT_GAP_MS,
  ADMISSION_EXPIRY_ROUNDS,
  ADMISSION_GROWTH_CORRECTION,
  ADMISSION_LATENCY_BUDGET_MS,
  ADMISSION_LATENCY_CORRECTION,
  ADMISSION_MAX_LATENCY_BUDGET_MS,
  ADMISSION_MAX_WINDOW_BYTES,
  ADMISSION_MIN_WINDOW_BYTES,
  ADMISSION_RATE_WINDOW_MS,
  ADMISSION_STEP_MS,
} from "../../src/consensus/constants.js";
import { MessageKind } from "../../src/consensus/messages.js";
import { MemoryConsensusStore } from "../../src/consensus/store/memoryStore.js";
import { AdmissionWindow } from "../../src/consensus/worker/admission.js";
import { SubmitResult } from "../../src/consensus/worker/worker.js";
import type { Batch, BatchRef } from "../../src/types/consensus.js";
import { batchDigest } from "../../src/types/signing.js";
import { CHAIN_ID, committeeOf, keys, ManualClock, PARAMS } from "./helpers/harness.js";
import { testWorker } from "./helpers/workerContext.js";

const TX = 512;

/** Commits `bytesPerSec` steadily (one commit every `everyMs`, each `latencyMs` after admission) for `ms`. */
function steady(
  w: AdmissionWindow,
  start: number,
  ms: number,
  bytesPerSec: number,
  latencyMs: number,
  everyMs = 250,
): number {
  let now = start;
  for (; now < start + ms; now += everyMs) {
    const bytes = (bytesPerSec * everyMs) / 1000;
    assert.equal(w.admit(bytes, now), true);
    w.committed(bytes, now - latencyMs, now);
  }
  return now;
}

/** The window the constants call for: rate × (budget + k × (budget − latency)), clamped. */
function expectedWindow(bytesPerSec: number, budgetMs: number, latencyMs: number): number {
  const k = latencyMs < budgetMs ? ADMISSION_GROWTH_CORRECTION : ADMISSION_LATENCY_CORRECTION;
  const aim = Math.min(2 * budgetMs, Math.max(budgetMs / 2, budgetMs + k * (budgetMs - latencyMs)));
  return Math.min(
    ADMISSION_MAX_WINDOW_BYTES,
    Math.max(ADMISSION_MIN_WINDOW_BYTES, (bytesPerSec * aim) / 1000),
  );
}

const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.01 + 1, `${what}: ${actual}, expected ${expected}`);

describe("AdmissionWindow", () => {
  it("refuses once the floor is full and admits again as commits free it", () => {
    const w = new AdmissionWindow(0);
    let admitted = 0;
    while (w.admit(TX, 0)) admitted += TX;
    assert.equal(admitted, Math.floor(ADMISSION_MIN_WINDOW_BYTES / TX) * TX, "exactly the floor fits");
    assert.equal(w.admit(TX, 1), false, "refused while nothing commits");
    w.committed(10 * TX, 0, 100);
    for (let i = 0; i < 10; i++) assert.equal(w.admit(TX, 100), true, "freed room is admitted");
    assert.equal(w.admit(TX, 100), false);
    w.release(TX);
    assert.equal(w.admit(TX, 100), true, "a released (lost) batch frees room too");
    assert.equal(w.status().inFlightBytes, admitted);
  });

  it("always admits into an empty window, whatever the transaction's size", () => {
    const w = new AdmissionWindow(0);
    assert.equal(w.admit(ADMISSION_MIN_WINDOW_BYTES * 2, 0), true);
    assert.equal(w.admit(1, 0), false);
  });

  it("sizes the window from the commit rate and latency, within floor and ceiling", () => {
    const w = new AdmissionWindow(0);
    // 6 MB/s committed 500 ms after admission: the budget is the constant (1.25 × 500 ms < 1 s).
    let now = steady(w, 0, 4_000, 6_000_000, 500);
    w.admit(0, now);
    let s = w.status();
    assert.equal(s.latencyBudgetMs, ADMISSION_LATENCY_BUDGET_MS);
    assert.equal(s.baseLatencyMs, 500);
    assert.equal(s.latencyMs, 500);
    near(s.committedBytesPerSec, 6_000_000, "rate");
    near(s.windowBytes, expectedWindow(6_000_000, ADMISSION_LATENCY_BUDGET_MS, 500), "window");

    // The same rate at the budget's latency: the window is rate × budget.
    now = steady(w, now, 4_000, 6_000_000, ADMISSION_LATENCY_BUDGET_MS);
    w.admit(0, now);
    near(w.status().windowBytes, 6_000_000 * (ADMISSION_LATENCY_BUDGET_MS / 1000), "window at the budget");

    // A committee 10× faster: capped at the ceiling.
    now = steady(w, now, 4_000, 60_000_000, 500);
    w.admit(0, now);
    assert.equal(w.status().windowBytes, ADMISSION_MAX_WINDOW_BYTES);

    // A trickle: the floor.
    now = steady(w, now, 4_000, 10_000, 500);
    w.admit(0, now);
    s = w.status();
    assert.equal(s.windowBytes, ADMISSION_MIN_WINDOW_BYTES);
  });

  it("shrinks to the floor when consensus stops committing", () => {
    const w = new AdmissionWindow(0);
    const now = steady(w, 0, 4_000, 6_000_000, 500);
    w.admit(0, now);
    assert.ok(w.status().windowBytes > ADMISSION_MIN_WINDOW_BYTES * 4);
    // Nothing commits any more: only submissions, soon refused.
    let refusedAt = -1;
    const until = now + ADMISSION_COMMIT_GAP_MS + ADMISSION_RATE_WINDOW_MS + ADMISSION_STEP_MS;
    for (let t = now; t < until; t += 10) {
      for (let i = 0; i < 100; i++) if (!w.admit(TX, t) && refusedAt < 0) refusedAt = t;
    }
    assert.ok(refusedAt >= 0, "refusals start while nothing commits");
    assert.equal(w.status().windowBytes, ADMISSION_MIN_WINDOW_BYTES);
    assert.equal(w.status().committedBytesPerSec, 0);
  });

  it("stretches the budget when even the fastest commit is slower than it, up to a cap", () => {
    const w = new AdmissionWindow(0);
    let now = steady(w, 0, 12_000, 1_000_000, 2_000);
    w.admit(0, now);
    let s = w.status();
    const budget = ADMISSION_BASE_LATENCY_GAIN * 2_000;
    assert.equal(s.latencyBudgetMs, budget);
    near(s.windowBytes, expectedWindow(1_000_000, budget, 2_000), "window");
    now = steady(w, now, 12_000, 1_000_000, 10_000);
    w.admit(0, now);
    s = w.status();
    assert.equal(s.latencyBudgetMs, ADMISSION_MAX_LATENCY_BUDGET_MS);
  });
});

/**
 * A deterministic model of the committee behind one validator's window: it orders at most
 * `capacity` bytes/s first come first served; what it ordered commits `baseMs` later (plus up to
 * `spreadMs`), in commits every ~300 ms (±30 %). `offered` bytes/s come in 512-byte transactions.
 * Figures are over the run after a 3 s warmup, as bench/cluster.ts measures them.
 */
function model(options: {
  capacity: number;
  offered: number;
  baseMs: number;
  spreadMs?: number;
  seconds: number;
  admission: boolean;
}) {
  const DT = 10;
  const WARMUP_MS = 3_000;
  const spread = options.spreadMs ?? 0;
  let seed = 1;
  const random = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const w = new AdmissionWindow(0);
  // Admission times waiting to be ordered (FIFO, with a head index), then ordered ones by commit time.
  const queue: number[] = [];
  let queueHead = 0;
  let ordered: { due: number; admittedAt: number }[] = [];
  const latencies: number[] = [];
  let committedBytes = 0;
  let refused = 0;
  let offeredCarry = 0;
  let serveCarry = 0;
  let nextCommit = 300;
  let windowMin = Number.POSITIVE_INFINITY;
  let windowMax = 0;
  for (let now = 0; now < options.seconds * 1000; now += DT) {
    const measuring = now >= WARMUP_MS;
    offeredCarry += (options.offered * DT) / 1000 / TX;
    for (; offeredCarry >= 1; offeredCarry--) {
      if (!options.admission || w.admit(TX, now)) queue.push(now);
      else if (measuring) refused++;
    }
    serveCarry += (options.capacity * DT) / 1000 / TX;
    for (; serveCarry >= 1 && queueHead < queue.length; serveCarry--)
      ordered.push({ due: now + options.baseMs + spread * random(), admittedAt: queue[queueHead++]! });
    if (queueHead === queue.length) serveCarry = Math.min(serveCarry, 1);
    if (now >= nextCommit) {
      nextCommit += 300 * (0.7 + 0.6 * random());
      // Committed in batches, as a worker seals them: by 50 ms of admission.
      const batches = new Map<number, { n: number; earliest: number }>();
      const later: typeof ordered = [];
      for (const tx of ordered) {
        if (tx.due > now) {
          later.push(tx);
          continue;
        }
        const key = Math.floor(tx.admittedAt / 50);
        const b = batches.get(key) ?? { n: 0, earliest: tx.admittedAt };
        b.n++;
        b.earliest = Math.min(b.earliest, tx.admittedAt);
        batches.set(key, b);
        if (measuring) {
          committedBytes += TX;
          latencies.push(now - tx.admittedAt);
        }
      }
      ordered = later;
      for (const b of batches.values()) w.committed(b.n * TX, b.earliest, now);
    }
    if (measuring) {
      windowMin = Math.min(windowMin, w.status().windowBytes);
      windowMax = Math.max(windowMax, w.status().windowBytes);
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.floor((latencies.length - 1) * p)] ?? Number.NaN;
  return {
    goodput: committedBytes / (options.seconds - WARMUP_MS / 1000) / options.capacity,
    p50: pct(0.5),
    p99: pct(0.99),
    refused,
    windowMin,
    windowMax,
  };
}

describe("admission under overload (model)", () => {
  const capacity = 6_000_000; // one validator's share of 46k tx/s of 512 B
  const seconds = 11; // bench/cluster.ts: 3 s warmup, 8 s measured
  for (const factor of [2, 4]) {
    it(`keeps ≥ 90 % of capacity at ${factor}× offered, near the budget's latency`, () => {
      const r = model({ capacity, offered: factor * capacity, baseMs: 500, seconds, admission: true });
      assert.ok(r.goodput >= 0.9, `goodput ${r.goodput.toFixed(3)} of capacity`);
      assert.ok(r.p50 <= ADMISSION_LATENCY_BUDGET_MS * 1.2, `p50 ${r.p50} ms`);
      assert.ok(r.p99 <= ADMISSION_LATENCY_BUDGET_MS * 1.5, `p99 ${r.p99} ms`);
      assert.ok(r.refused > 0);
      assert.ok(r.windowMin >= ADMISSION_MIN_WINDOW_BYTES && r.windowMax <= ADMISSION_MAX_WINDOW_BYTES);
    });
  }

  it("holds it for a minute without drifting", () => {
    const r = model({ capacity, offered: 2 * capacity, baseMs: 500, seconds: 60, admission: true });
    assert.ok(r.goodput >= 0.95, `goodput ${r.goodput.toFixed(3)} of capacity`);
    assert.ok(r.p99 <= ADMISSION_LATENCY_BUDGET_MS * 1.5, `p99 ${r.p99} ms`);
  });

  it("without admission the same overload queues without bound", () => {
    const r = model({ capacity, offered: 2 * capacity, baseMs: 500, seconds, admission: false });
    assert.ok(r.p50 > 3_000, `p50 ${r.p50} ms`);
  });

  it("refuses nothing below capacity", () => {
    const r = model({ capacity, offered: 0.8 * capacity, baseMs: 500, seconds, admission: true });
    assert.equal(r.refused, 0);
    assert.ok(r.goodput >= 0.79, `goodput ${r.goodput.toFixed(3)} of capacity`);
  });

  it("does not choke a committee whose commits are slower than the budget", () => {
    // A loaded machine: 1.5 s to commit at any load, a sixth of the capacity.
    const slow = capacity / 6;
    const r = model({ capacity: slow, offered: 2 * slow, baseMs: 1_500, seconds: 60, admission: true });
    assert.ok(r.goodput >= 0.9, `goodput ${r.goodput.toFixed(3)} of capacity`);
    assert.ok(r.p50 <= ADMISSION_MAX_LATENCY_BUDGET_MS, `p50 ${r.p50} ms`);
  });
});

describe("Worker admission", () => {
  function setup() {
    const broadcasts: Batch[] = [];
    const { worker, clock, setRound } = testWorker({
      params: { maxBatchBytes: 64 * 1024 },
      broadcast: (m) => {
        if (m.kind === MessageKind.Batch) broadcasts.push(m.body as Batch);
      },
    });
    let n = 0;
    const tx = () => {
      const t = new Uint8Array(TX);
      new DataView(t.buffer).setUint32(0, n++);
      return t;
    };
    return { worker, clock, broadcasts, tx, setRound };
  }
  const refs = (batches: Batch[]): BatchRef[] =>
    batches.map((b) => ({ digest: batchDigest(b), workerId: 0 }));

  it("refuses with Busy once its uncommitted batches fill the window, and admits as they commit", () => {
    const { worker, clock, broadcasts, tx } = setup();
    let accepted = 0;
    while (worker.submit(tx()) === SubmitResult.Accepted) accepted++;
    assert.equal(accepted, ADMISSION_MIN_WINDOW_BYTES / TX);
    assert.equal(worker.submit(tx()), SubmitResult.Busy);
    clock.advance(PARAMS.maxBatchDelayMs); // the last partial batch seals
    assert.equal(
      broadcasts.reduce((n, b) => n + b.transactions.length, 0),
      accepted,
    );

    // A peer's batch committing frees nothing; our first two batches do.
    worker.committed([{ digest: new Uint8Array(32).fill(9), workerId: 0 }]);
    assert.equal(worker.submit(tx()), SubmitResult.Busy);
    clock.advance(100);
    worker.committed(refs(broadcasts.slice(0, 2)));
    const freed = broadcasts[0]!.transactions.length + broadcasts[1]!.transactions.length;
    let again = 0;
    while (worker.submit(tx()) === SubmitResult.Accepted) again++;
    assert.equal(again, freed);
    assert.equal(worker.admissionStatus.inFlightBytes, ADMISSION_MIN_WINDOW_BYTES);

    // Committing the same batches again (a duplicate report) frees nothing more.
    worker.committed(refs(broadcasts.slice(0, 2)));
    assert.equal(worker.submit(tx()), SubmitResult.Busy);
  });

  it("frees orphaned batches and, once ADMISSION_EXPIRY_ROUNDS passed, lost ones", () => {
    const { worker, clock, broadcasts, tx, setRound } = setup();
    while (worker.submit(tx()) === SubmitResult.Accepted);
    clock.advance(PARAMS.maxBatchDelayMs);
    worker.orphaned(refs(broadcasts.slice(0, 1)));
    assert.equal(worker.submit(tx()), SubmitResult.Accepted, "an orphan's room is free");
    while (worker.submit(tx()) === SubmitResult.Accepted);
    setRound(1 + ADMISSION_EXPIRY_ROUNDS);
    worker.committed([]);
    assert.equal(worker.submit(tx()), SubmitResult.Busy, "not yet expired");
    setRound(2 + ADMISSION_EXPIRY_ROUNDS);
    worker.committed([]);
    assert.equal(worker.admissionStatus.inFlightBytes, 0, "every lost batch left the count");
    assert.equal(worker.submit(tx()), SubmitResult.Accepted);
  });

  it("is wired to commits in ConsensusNode (one validator commits alone)", async () => {
    const secretKeys = keys(1);
    const clock = new ManualClock();
    let commits = 0;
    const node = new ConsensusNode({
      committee: committeeOf(secretKeys),
      // Rounds 100 ms apart, so a lone validator's rounds follow the manual clock.
      params: { ...PARAMS, minHeaderDelayMs: 100, maxHeaderDelayMs: 100 },
      chainId: CHAIN_ID,
      authority: 0,
      secretKey: secretKeys[0]!,
      network: { send: () => undefined, broadcast: () => undefined },
      store: new MemoryConsensusStore(),
      clock,
      onOutput: () => {
        commits++;
      },
    });
    await node.start();
    let accepted = 0;
    for (let i = 0; i < 4_000; i++) {
      const t = new Uint8Array(TX);
      new DataView(t.buffer).setUint32(0, i);
      if (node.submitTransaction(t) === SubmitResult.Accepted) accepted++;
    }
    assert.equal(accepted, ADMISSION_MIN_WINDOW_BYTES / TX, "the floor, then Busy");
    for (let i = 0; i < 40 && node.admissionStatus().inFlightBytes > 0; i++) {
      clock.advance(50);
      await node.idle();
    }
    assert.ok(commits > 0, "leaders committed");
    assert.equal(
      node.admissionStatus().inFlightBytes,
      0,
      "every admitted byte committed and left the window",
    );
    assert.equal(node.submitTransaction(new Uint8Array(TX).fill(1)), SubmitResult.Accepted);
    await node.stop();
  });
});
