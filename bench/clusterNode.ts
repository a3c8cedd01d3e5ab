/**
 * One validator of the consensus-only cluster bench (bench/cluster.ts spawns four): libp2p network
 * and the Narwhal-Bullshark core over LevelDB, no execution. It offers opaque transactions at a
 * fixed rate once the committee committed its first leader (so a warmup is load, not connection
 * setup), each stamped with its origin and submit time, and reports what it saw committed, what
 * the worker refused (back-pressure), its peak memory and its admission window at the end.
 * argv: home index ratePerSec txBytes warmupMs measureMs dataDir
 * BENCH_TRACE=1 prints one JSON line a second to stderr: consensus status, admission window, bytes
 * queued to each peer, event-loop lag: where a queue builds.
 */
import { ConsensusNode } from "../src/consensus/consensusNode.js";
import { LevelConsensusStore } from "../src/consensus/store/levelStore.js";
import { SubmitResult } from "../src/consensus/worker/worker.js";
import { P2PNetwork } from "../src/network/index.js";
import { consensusTransport } from "../src/node/consensusTransport.js";
import { loadGenesis } from "../src/node/genesis.js";
import { readKeyFile } from "../src/node/keyFile.js";
import { Database } from "../src/state/db/index.js";
import { asciiString } from "../src/types/primitives.js";

/** Load is offered in ticks this long; each tick submits rate × tick transactions. */
const TICK_MS = 10;
/** Load starts at the first commit, or after this long if none comes (the run is then reported as is). */
const STARTUP_TIMEOUT_MS = 15_000;
/** Bytes at the start of each transaction: origin validator (u16) and submit time (f64 ms). */
const STAMP_BYTES = 10;

const [home, indexArg, rateArg, sizeArg, warmupArg, measureArg, dataDir] = process.argv.slice(2);
const index = Number(indexArg);
const rate = Number(rateArg);
const txBytes = Math.max(STAMP_BYTES, Number(sizeArg));
const warmupMs = Number(warmupArg);
const measureMs = Number(measureArg);

const genesis = loadGenesis(`${home}/genesis.json`);
const key = readKeyFile(`${home}/keys/validator-${index}.json`);
const db = await Database.open(dataDir!);
const network = new P2PNetwork({
  index,
  secretKey: key.secretKey,
  committee: genesis.committee.validators.map((v, i) => ({
    index: i,
    publicKey: v.publicKey,
    multiaddr: asciiString(v.address),
  })),
});

let started = Number.POSITIVE_INFINITY;
let windowStart = Number.POSITIVE_INFINITY;
let windowEnd = Number.POSITIVE_INFINITY;
let loadStarted: () => void = () => {};
const loading = new Promise<void>((resolve) => (loadStarted = resolve));
/** Starts the load (once): the warmup and the measured window follow. */
function startLoad(): void {
  if (Number.isFinite(started)) return;
  started = performance.timeOrigin + performance.now();
  windowStart = started + warmupMs;
  windowEnd = windowStart + measureMs;
  loadStarted();
}
let committedTxs = 0;
let committedBytes = 0;
let offered = 0;
let refused = 0;
const latencies: number[] = [];

const consensus: ConsensusNode = new ConsensusNode({
  committee: genesis.committee,
  params: genesis.params,
  chainId: genesis.chainId,
  authority: index,
  secretKey: key.secretKey,
  network: consensusTransport(network, (from, bytes) => consensus.handleBytes(from, bytes)),
  store: new LevelConsensusStore(db),
  onOutput: ({ batches }) => {
    startLoad();
    const now = performance.timeOrigin + performance.now();
    if (now < windowStart || now > windowEnd) return;
    for (const batch of batches) {
      for (const tx of batch.transactions) {
        committedTxs += 1;
        committedBytes += tx.length;
        const view = new DataView(tx.buffer, tx.byteOffset, tx.byteLength);
        if (view.getUint16(0) === index) latencies.push(now - view.getFloat64(2));
      }
    }
  },
});

await network.start();
await consensus.start();
const booted = performance.timeOrigin + performance.now();
setTimeout(startLoad, STARTUP_TIMEOUT_MS).unref();

// The number due is computed from elapsed time, so a late timer (a busy event loop) does not lower the load.
let submitted = 0;
const timer = setInterval(() => {
  const now = performance.timeOrigin + performance.now();
  if (now < started) return;
  const due = Math.floor(((now - started) * rate) / 1000);
  for (; submitted < due; submitted++) {
    const tx = new Uint8Array(txBytes);
    const view = new DataView(tx.buffer);
    view.setUint16(0, index);
    view.setFloat64(2, now);
    const inWindow = now >= windowStart && now <= windowEnd;
    if (inWindow) offered += 1;
    if (consensus.submitTransaction(tx) !== SubmitResult.Accepted && inWindow) refused += 1;
  }
}, TICK_MS);

let peakRss = 0;
let lastBeat = performance.now();
let worstLag = 0;
let worstLagOverall = 0;
const BEAT_MS = 50;
const beat = setInterval(() => {
  const t = performance.now();
  worstLag = Math.max(worstLag, t - lastBeat - BEAT_MS);
  worstLagOverall = Math.max(worstLagOverall, worstLag);
  lastBeat = t;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, BEAT_MS);
const trace = process.env.BENCH_TRACE
  ? setInterval(() => {
      const peers = genesis.committee.validators.map((_, i) => i).filter((i) => i !== index);
      process.stderr.write(
        `${JSON.stringify({
          node: index,
          atMs: Math.round(performance.timeOrigin + performance.now() - booted),
          ...consensus.status(),
          ...consensus.admissionStatus(),
          queuedKiB: peers.map((i) => network.queued(i).bytes >> 10),
          lagMs: Math.round(worstLag),
          committedTxs,
          offered,
          refused,
          rssMB: Math.round(process.memoryUsage.rss() / 2 ** 20),
        })}\n`,
      );
      worstLag = 0;
    }, 1000)
  : undefined;

await loading;
await new Promise((resolve) => setTimeout(resolve, warmupMs + measureMs + 1500));
clearInterval(timer);
clearInterval(beat);
clearInterval(trace);
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies.length === 0 ? null : Math.round(latencies[Math.floor((latencies.length - 1) * p)]!);
process.stdout.write(
  `${JSON.stringify({
    index,
    committedTxs,
    committedBytes,
    offered,
    refused,
    txPerSec: Math.round(committedTxs / (measureMs / 1000)),
    latencyP50Ms: pct(0.5),
    latencyP99Ms: pct(0.99),
    round: consensus.status().round,
    peakRssMB: Math.round(peakRss / 2 ** 20),
    worstEventLoopLagMs: Math.round(worstLagOverall),
    admission: consensus.admissionStatus(),
  })}\n`,
);
await consensus.stop();
await network.stop();
await db.close();
process.exit(0);
