/**
 * 4 validators on this machine, offered load swept. Prints JSON lines:
 * - consensus-only: opaque 512-byte transactions through libp2p + Narwhal-Bullshark (bench/clusterNode.ts),
 *   committed tx/s and consensus latency p50/p99 (submit → commit at the submitting validator);
 * - signed transfers: full validators (`mass start`), transfers sent over JSON-RPC, committed tx/s and
 *   end-to-end latency p50/p99 (submit → final), beside the bound set by verifying each transaction
 *   once on every validator, from the Ed25519 rate measured in this run.
 * Each mode sweeps its rates, takes the highest committed tx/s as the peak and the rate offered for
 * it as the capacity (or the configured one), then offers 2× and 4× the capacity: load beyond it must
 * be refused early (counted) while what is admitted still commits at the peak and at its latency. A
 * summary line per mode gives goodput ÷ peak at each overload (target ≥ 0.9 at 2×).
 * Usage: npm run bench:cluster  (BENCH_MODE=consensus|transfers, BENCH_RATES=10000,30000, BENCH_SECONDS=8,
 *   BENCH_TRANSFER_RATES=1000,2500, BENCH_WARMUP_SECONDS=3, BENCH_OVERLOAD=2,4 (factors of the
 *   capacity; empty: none), BENCH_CAPACITY / BENCH_TRANSFER_CAPACITY (offered tx/s taken as capacity
 *   instead of the sweep's peak))
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { publicKeyOf, sign, verifyAsync } from "../src/crypto/ed25519.js";
import { VerifyPool } from "../src/crypto/verifyPool.js";
import { initDevnetHome } from "../src/node/devnetHome.js";
import { readKeyFile } from "../src/node/keyFile.js";
import { txHashOfBytes } from "../src/types/signing.js";
import { freeBasePort, signedTransfer, startCluster, toHex, waitFor } from "../test/helpers/cluster.js";
import { emit } from "./harness.js";

const VALIDATORS = 4;
const MODE = process.env.BENCH_MODE ?? "all";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** Signed transfers are offered this long before the measured window, at the same rate: JIT and caches warm up. */
const TRANSFER_WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const WARMUP_MS = 3_000;
const TX_BYTES = 512;
const CONSENSUS_RATES = (process.env.BENCH_RATES ?? "10000,30000,46000,60000").split(",").map(Number);
const TRANSFER_RATES = (process.env.BENCH_TRANSFER_RATES ?? "1000,2500,4000").split(",").map(Number);
/** Overloads offered after each sweep, as multiples of the capacity. */
const OVERLOAD_FACTORS = (process.env.BENCH_OVERLOAD ?? "2,4").split(",").filter(Boolean).map(Number);
const optionalNumber = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);
const CONSENSUS_CAPACITY = optionalNumber(process.env.BENCH_CAPACITY);
const TRANSFER_CAPACITY = optionalNumber(process.env.BENCH_TRANSFER_CAPACITY);
/** Goodput at 2× capacity, as a fraction of the peak, that the overload handling must keep. */
const OVERLOAD_TARGET = { factor: 2, goodputToPeak: 0.9 };
/** Senders for the transfer load: the pool holds at most 64 pending transactions per sender. */
const TRANSFER_ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 400);
/**
 * Load is offered in this many bursts per second, as JSON-RPC batches, at most this many requests
 * open: enough that a slow answer does not lower the offered load (a second of answers at 4 validators).
 */
const TICKS_PER_SECOND = 50;
const MAX_REQUESTS_IN_FLIGHT = 256;
/**
 * About this many transactions, spread over the run, have their end-to-end latency measured: all
 * pending ones are polled together in one JSON-RPC batch every LATENCY_POLL_MS, while the load runs.
 */
const LATENCY_SAMPLES = 200;
const LATENCY_POLL_MS = 100;
const NODE = fileURLToPath(new URL("./clusterNode.js", import.meta.url));

/**
 * Ed25519 verifications per second on all cores: the better of node:crypto's asynchronous verify
 * (libuv's thread pool) and the validator's verification pool, so the bound is the machine's, not
 * ours.
 */
async function verificationRate(ms = 1500): Promise<number> {
  const secret = new Uint8Array(32).fill(7);
  const pk = publicKeyOf(secret);
  const msg = new Uint8Array(32).fill(1);
  const sig = sign(secret, msg);
  const pool = new VerifyPool(cpus().length);
  const rateOf = async (verifyOne: () => Promise<boolean>) => {
    const deadline = performance.now() + ms;
    let count = 0;
    const start = performance.now();
    while (performance.now() < deadline) {
      await Promise.all(Array.from({ length: 512 }, verifyOne));
      count += 512;
    }
    return count / ((performance.now() - start) / 1000);
  };
  try {
    const libuv = await rateOf(() => verifyAsync(pk, msg, sig));
    const threads = await rateOf(() => pool.verify(pk, msg, sig));
    return Math.max(libuv, threads);
  } finally {
    await pool.close();
  }
}

function percentile(sorted: number[], p: number): number | null {
  return sorted.length === 0 ? null : Math.round(sorted[Math.floor((sorted.length - 1) * p)]!);
}

/** One run's figures, as the sweep compares them. */
interface RunResult {
  offeredTxPerSec: number;
  committedTxPerSec: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  refused: number;
  record: Record<string, unknown>;
}

async function consensusOnly(rate: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "mass-bench-"));
  try {
    const basePort = await freeBasePort(VALIDATORS);
    initDevnetHome({ dir, validators: VALIDATORS, basePort });
    const results = await Promise.all(
      Array.from({ length: VALIDATORS }, (_, i) => {
        const args = [
          NODE,
          dir,
          String(i),
          String(rate / VALIDATORS),
          String(TX_BYTES),
          String(WARMUP_MS),
          String(SECONDS * 1000),
          join(dir, `db-${i}`),
        ];
        const nodeArgs = process.env.MASS_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
        const child = spawn(process.execPath, [...nodeArgs, ...args], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        return new Promise<Record<string, number> & { admission: Record<string, number> }>(
          (resolve, reject) =>
            child.once("exit", (code) =>
              code === 0
                ? resolve(JSON.parse(out.trim().split("\n").at(-1)!))
                : reject(new Error(`node ${i} exited ${code}`)),
            ),
        );
      }),
    );
    const tps = results.map((r) => r.txPerSec!).sort((a, b) => a - b);
    const submitted = results.reduce((n, r) => n + r.offered!, 0);
    const refused = results.reduce((n, r) => n + r.refused!, 0);
    const record = {
      bench: "cluster",
      mode: "consensus-only",
      validators: VALIDATORS,
      txBytes: TX_BYTES,
      offeredTxPerSec: rate,
      // What the load generators managed to submit in the window (timer drift under load lowers it).
      submittedTxPerSec: Math.round(submitted / SECONDS),
      admittedTxPerSec: Math.round((submitted - refused) / SECONDS),
      committedTxPerSec: tps[Math.floor(tps.length / 2)]!,
      refusedByBackpressure: refused,
      // Of admitted transactions only (submit → commit at the submitting validator), the worst validator's.
      consensusLatencyP50Ms: Math.max(...results.map((r) => r.latencyP50Ms ?? 0)),
      consensusLatencyP99Ms: Math.max(...results.map((r) => r.latencyP99Ms ?? 0)),
      peakRssMB: Math.max(...results.map((r) => r.peakRssMB ?? 0)),
      worstEventLoopLagMs: Math.max(...results.map((r) => r.worstEventLoopLagMs ?? 0)),
      // Each validator's admission window at the end (MiB) and its own committed MB/s.
      admissionWindowMiB: results.map((r) => +((r.admission?.windowBytes ?? 0) / 2 ** 20).toFixed(1)),
      admissionCommittedMBps: results.map(
        (r) => +((r.admission?.committedBytesPerSec ?? 0) / 1e6).toFixed(1),
      ),
      seconds: SECONDS,
      target: { txPerSec: 46_000, latencyP50Ms: 500 },
    };
    return {
      offeredTxPerSec: rate,
      committedTxPerSec: record.committedTxPerSec,
      latencyP50Ms: record.consensusLatencyP50Ms,
      latencyP99Ms: record.consensusLatencyP99Ms,
      refused,
      record,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The validators that no longer answer, each with the tail of its log. */
async function clientsDown(cluster: Awaited<ReturnType<typeof startCluster>>): Promise<string> {
  const down: string[] = [];
  for (const [i, client] of cluster.clients.entries()) {
    const alive = await client.call("mass_chainInfo").then(
      () => true,
      () => false,
    );
    if (!alive) down.push(`validator ${i} down, log: ${cluster.logs(i).slice(-400).replace(/\s+/g, " ")}`);
  }
  return down.length === 0 ? "every validator answers" : down.join("; ");
}

async function signedTransfers(rate: number, verifyPerSec: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "mass-bench-"));
  const cluster = await startCluster(
    join(dir, "home"),
    VALIDATORS,
    ["--log-level", "warn"],
    TRANSFER_ACCOUNTS,
  );
  try {
    const { clients } = cluster;
    await waitFor("blocks", 30_000, async () => {
      const heights = await Promise.all(
        clients.map(async (c) => Number((await c.call<{ height: string }>("mass_chainInfo")).height)),
      );
      return heights.every((h) => h >= 2) ? true : undefined;
    });
    const keys = Array.from({ length: TRANSFER_ACCOUNTS }, (_, i) =>
      readKeyFile(join(cluster.home, "keys", `account-${i}.json`)),
    );
    // Pre-signed, round-robin over senders so nonces stay within each sender's pool allowance. The
    // first `warmup` are offered before the measured window; only the rest are counted.
    const warmup = Math.round(rate * TRANSFER_WARMUP_SECONDS);
    const measured = Math.round(rate * SECONDS);
    const total = warmup + measured;
    const measuredHashes = new Set<string>();
    const txs = Array.from({ length: total }, (_, k) => {
      const s = k % keys.length;
      const bytes = signedTransfer(
        "mass-devnet",
        keys[s]!,
        keys[(s + 1) % keys.length]!.publicKey,
        Math.floor(k / keys.length),
        1n,
      );
      if (k >= warmup) measuredHashes.add(toHex(txHashOfBytes(bytes)));
      return toHex(bytes);
    });
    const startHeight = Number((await clients[0]!.call<{ height: string }>("mass_chainInfo")).height);
    const sampleEvery = Math.max(1, Math.floor(measured / LATENCY_SAMPLES));
    const sampled = new Map<string, number>();
    const latencies: number[] = [];
    let sending = true;
    // Polls every pending sample in one request while the load runs, so a latency is the
    // transaction's own, not the time until the load ended.
    const poller = (async () => {
      // Once the load ends, the last samples get a minute to become final.
      let giveUpAt = Number.POSITIVE_INFINITY;
      while (sending || (sampled.size > 0 && performance.now() < giveUpAt)) {
        await new Promise((r) => setTimeout(r, LATENCY_POLL_MS));
        if (!sending && giveUpAt === Number.POSITIVE_INFINITY) giveUpAt = performance.now() + 60_000;
        const pending = [...sampled.keys()];
        if (pending.length === 0) continue;
        const res = await fetch(clients[0]!.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(
            pending.map((hash, id) => ({
              jsonrpc: "2.0",
              id,
              method: "mass_getTransaction",
              params: [hash],
            })),
          ),
        }).catch(() => undefined);
        const answers = ((await res?.json().catch(() => [])) ?? []) as {
          id: number;
          result?: { status: string };
        }[];
        const now = performance.now();
        for (const a of answers) {
          const hash = pending[a.id];
          if (hash === undefined || a.result?.status !== "finalized") continue;
          latencies.push(now - sampled.get(hash)!);
          sampled.delete(hash);
        }
      }
    })();
    const started = performance.now();
    let measureStarted = started;
    let rejected = 0;
    let rejectedMeasured = 0;
    // Requests are pipelined (not awaited tick by tick), so a slow answer does not slow the offered load.
    const inFlight = new Set<Promise<void>>();
    const post = async (
      v: number,
      list: { hex: string; sampled: boolean; measured: boolean }[],
      at: number,
    ) => {
      const res = await fetch(clients[v]!.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          list.map((t, id) => ({ jsonrpc: "2.0", id, method: "mass_sendRawTransaction", params: [t.hex] })),
        ),
      });
      const answers = (await res.json()) as { id: number; result?: { txHash: string } }[];
      for (const a of answers) {
        if (!a.result) {
          rejected += 1;
          if (list[a.id]?.measured) rejectedMeasured += 1;
        } else if (list[a.id]?.sampled) sampled.set(a.result.txHash, at);
      }
    };
    for (let sent = 0, tick = 0; sent < total; tick++) {
      const due = Math.min(total, Math.round(((tick + 1) * rate) / TICKS_PER_SECOND));
      // Each sender always goes to the same validator, which orders its nonces.
      const byValidator = new Map<number, { hex: string; sampled: boolean; measured: boolean }[]>();
      for (let k = sent; k < due; k++) {
        const v = (k % keys.length) % VALIDATORS;
        const list = byValidator.get(v) ?? [];
        list.push({
          hex: txs[k]!,
          sampled: k >= warmup && (k - warmup) % sampleEvery === 0,
          measured: k >= warmup,
        });
        byValidator.set(v, list);
      }
      const at = performance.now();
      if (sent <= warmup && due > warmup) measureStarted = at;
      for (const [v, list] of byValidator) {
        const request = post(v, list, at).finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      while (inFlight.size > MAX_REQUESTS_IN_FLIGHT) await Promise.race(inFlight);
      sent = due;
      const next = started + ((tick + 1) * 1000) / TICKS_PER_SECOND;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    await Promise.all(inFlight);
    const sendSeconds = (performance.now() - measureStarted) / 1000;
    sending = false;
    await poller;
    const endHeight = Number((await clients[0]!.call<{ height: string }>("mass_chainInfo")).height);
    let executed = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (let h = startHeight + 1; h <= endHeight; h++) {
      const b = await clients[0]!.call<{ header: { timestamp: string }; transactions: string[] }>(
        "mass_getBlockByHeight",
        [String(h)],
      );
      const counted = b.transactions.filter((hash) => measuredHashes.has(hash)).length;
      if (counted === 0) continue;
      executed += counted;
      first = Math.min(first, Number(b.header.timestamp));
      last = Math.max(last, Number(b.header.timestamp));
    }
    latencies.sort((a, b) => a - b);
    const bound = verifyPerSec / VALIDATORS;
    const committedTxPerSec = Math.round(executed / Math.max(sendSeconds, (last - first) / 1000));
    const record = {
      bench: "cluster",
      mode: "signed-transfers",
      validators: VALIDATORS,
      offeredTxPerSec: rate,
      committedTxPerSec,
      rejected,
      rejectedMeasured,
      admittedTxPerSec: Math.round((measured - rejectedMeasured) / sendSeconds),
      warmupSeconds: TRANSFER_WARMUP_SECONDS,
      submitted: measured,
      executed,
      submitSeconds: +sendSeconds.toFixed(2),
      latencySamples: latencies.length,
      endToEndLatencyP50Ms: percentile(latencies, 0.5),
      endToEndLatencyP99Ms: percentile(latencies, 0.99),
      ed25519VerifyPerSecMachine: Math.round(verifyPerSec),
      boundTxPerSec: Math.round(bound),
      fractionOfBound: +(committedTxPerSec / bound).toFixed(3),
      target: { fractionOfBound: 0.8 },
    };
    return {
      offeredTxPerSec: rate,
      committedTxPerSec,
      latencyP50Ms: record.endToEndLatencyP50Ms,
      latencyP99Ms: record.endToEndLatencyP99Ms,
      refused: rejectedMeasured,
      record,
    };
  } catch (err) {
    // Say why: which validators stopped, and the last lines they logged.
    const why = clientsDown(cluster);
    throw new Error(`${err instanceof Error ? err.message : String(err)}; ${await why}`);
  } finally {
    await cluster.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

const verifyPerSec = await verificationRate();
emit({
  bench: "cluster",
  op: "ed25519_verify_all_cores",
  perSec: Math.round(verifyPerSec),
  cores: cpus().length,
});
/**
 * Runs the sweep, then the overloads: every run's line as it ends, with goodput ÷ peak for the
 * overloads, and one summary line.
 */
async function sweep(
  mode: string,
  rates: number[],
  configuredCapacity: number | undefined,
  run: (rate: number) => Promise<RunResult>,
): Promise<void> {
  // A run that fails (a node dies or stops answering under the load) counts as nothing committed.
  const attempt = async (rate: number): Promise<RunResult> => {
    try {
      return await run(rate);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const record = { bench: "cluster", mode, offeredTxPerSec: rate, committedTxPerSec: 0, error };
      return {
        offeredTxPerSec: rate,
        committedTxPerSec: 0,
        latencyP50Ms: null,
        latencyP99Ms: null,
        refused: 0,
        record,
      };
    }
  };
  let peak: RunResult | undefined;
  for (const rate of rates) {
    const result = await attempt(rate);
    emit(result.record);
    if (peak === undefined || result.committedTxPerSec > peak.committedTxPerSec) peak = result;
  }
  if (peak === undefined) return;
  const capacity = configuredCapacity ?? peak.offeredTxPerSec;
  const overloads: Record<string, unknown>[] = [];
  for (const factor of OVERLOAD_FACTORS) {
    const result = await attempt(Math.round(capacity * factor));
    const goodputToPeak = +(result.committedTxPerSec / Math.max(1, peak.committedTxPerSec)).toFixed(3);
    emit({ ...result.record, overloadFactor: factor, peakTxPerSec: peak.committedTxPerSec, goodputToPeak });
    overloads.push({
      factor,
      offeredTxPerSec: result.offeredTxPerSec,
      committedTxPerSec: result.committedTxPerSec,
      goodputToPeak,
      latencyP50Ms: result.latencyP50Ms,
      latencyP99Ms: result.latencyP99Ms,
      refused: result.refused,
    });
  }
  const atTarget = overloads.find((o) => o.factor === OVERLOAD_TARGET.factor);
  emit({
    bench: "cluster",
    mode,
    summary: "overload",
    capacityOfferedTxPerSec: capacity,
    peakTxPerSec: peak.committedTxPerSec,
    peakOfferedTxPerSec: peak.offeredTxPerSec,
    peakLatencyP50Ms: peak.latencyP50Ms,
    peakLatencyP99Ms: peak.latencyP99Ms,
    overloads,
    ed25519VerifyPerSecMachine: Math.round(verifyPerSec),
    target: OVERLOAD_TARGET,
    ...(atTarget === undefined
      ? {}
      : { meetsTarget: (atTarget.goodputToPeak as number) >= OVERLOAD_TARGET.goodputToPeak }),
  });
}

if (MODE === "all" || MODE === "consensus")
  await sweep("consensus-only", CONSENSUS_RATES, CONSENSUS_CAPACITY, consensusOnly);
if (MODE === "all" || MODE === "transfers")
  await sweep("signed-transfers", TRANSFER_RATES, TRANSFER_CAPACITY, (rate) =>
    signedTransfers(rate, verifyPerSec),
  );
