/**
 * Consensus benchmark. Prints JSON lines:
 *  - the raw Ed25519 verification rate of this machine (node:crypto, cached key);
 *  - for several committee sizes, certificates one validator ingests per second from its peers with
 *    full checking (decode, quorum of vote signatures verified with no memo, DAG, Bullshark, store),
 *    beside the raw verification rate measured just before and the bound it sets (rate / signatures
 *    per certificate);
 *  - the simulator end to end: certificates processed per validator per second of wall time with
 *    real signing and verification (signatures shared through the simulator's memo).
 */
import { BitArray } from "@chainsafe/ssz";
import { Registry } from "prom-client";
import { ConsensusNode } from "../src/consensus/consensusNode.js";
import { encodeMessage, MessageKind } from "../src/consensus/messages.js";
import { voteSigningMessage } from "../src/consensus/primary/validation.js";
import { runSimulation } from "../src/consensus/sim/runner.js";
import { MemoryConsensusStore } from "../src/consensus/store/memoryStore.js";
import { publicKeyOf, sign, verify } from "../src/crypto/ed25519.js";
import { sha256 } from "../src/crypto/hash.js";
import { createConsensusMetrics, metricTotal } from "../src/metrics/index.js";
import type { Certificate, Header } from "../src/types/consensus.js";
import { type Committee, type ConsensusParams, DEFAULT_BLOCK_LIMITS } from "../src/types/genesis.js";
import { headerDigest } from "../src/types/signing.js";
import { utf8 } from "../src/util/bytes.js";

const CHAIN_ID = utf8("mass-bench");
const PARAMS: ConsensusParams = {
  gcDepth: 50,
  // The benchmarked validator proposes once and then only ingests.
  minHeaderDelayMs: Number.MAX_SAFE_INTEGER,
  maxHeaderDelayMs: Number.MAX_SAFE_INTEGER,
  leaderTimeoutMs: 1000,
  maxBatchBytes: 512 * 1024,
  maxBatchDelayMs: 100,
  ...DEFAULT_BLOCK_LIMITS,
};

function line(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function verifyRate(samples: number): number {
  const key = sha256(utf8("bench-key"));
  const publicKey = publicKeyOf(key);
  const message = sha256(utf8("bench-message"));
  const signature = sign(key, message);
  verify(publicKey, message, signature);
  const started = performance.now();
  for (let i = 0; i < samples; i++)
    if (!verify(publicKey, message, signature)) throw new Error("bad signature");
  return samples / ((performance.now() - started) / 1000);
}

/** A fully connected DAG of real certificates: every round, every author, a quorum of real votes. */
function buildDag(
  n: number,
  rounds: number,
): { committee: Committee; keys: Uint8Array[]; encoded: Uint8Array[] } {
  const keys = Array.from({ length: n }, (_, i) => sha256(utf8(`bench-validator-${i}`)));
  const committee: Committee = {
    epoch: 0,
    validators: keys.map((k, i) => ({
      name: utf8(`b${i}`),
      publicKey: publicKeyOf(k),
      stake: 1,
      address: utf8(""),
    })),
  };
  const quorum = Math.floor((2 * n) / 3) + 1;
  const encoded: Uint8Array[] = [];
  let previous: Uint8Array[] = [];
  for (let round = 1; round <= rounds; round++) {
    const digests: Uint8Array[] = [];
    for (let author = 0; author < n; author++) {
      const header: Header = { author, round, epoch: 0, createdAt: round, payload: [], parents: previous };
      const digest = headerDigest(header);
      const voters = Array.from({ length: quorum }, (_, i) => (author + i) % n).sort((a, b) => a - b);
      const signers = BitArray.fromBitLen(n);
      for (const v of voters) signers.set(v, true);
      const message = voteSigningMessage(CHAIN_ID, digest);
      const certificate: Certificate = {
        header,
        signers,
        signatures: voters.map((v) => sign(keys[v]!, message)),
      };
      encoded.push(encodeMessage({ kind: MessageKind.Certificate, body: certificate }));
      digests.push(digest);
    }
    previous = digests;
  }
  return { committee, keys, encoded };
}

async function ingest(n: number, rounds: number): Promise<void> {
  const { committee, keys, encoded } = buildDag(n, rounds);
  // Measured right before, so both figures see the same machine load.
  const rawRate = verifyRate(10_000);
  const metrics = createConsensusMetrics(new Registry());
  let committed = 0;
  // The benchmarked validator is the last one; certificates arrive from their authors.
  const self = n - 1;
  const node = new ConsensusNode({
    committee,
    params: PARAMS,
    chainId: CHAIN_ID,
    authority: self,
    secretKey: keys[self]!,
    network: { send: () => undefined, broadcast: () => undefined },
    store: new MemoryConsensusStore(),
    clock: { now: () => 0, setTimer: () => ({ cancel: () => undefined }) },
    metrics,
    onOutput: ({ subDag }) => {
      committed += subDag.certificates.length;
    },
  });
  await node.start();
  const started = performance.now();
  encoded.forEach((bytes, i) => {
    node.handleBytes(i % n === self ? (self + 1) % n : i % n, bytes);
  });
  await node.idle();
  const seconds = (performance.now() - started) / 1000;
  await node.stop();
  const quorum = Math.floor((2 * n) / 3) + 1;
  const certificates = await metricTotal(metrics.certificates);
  const perSecond = certificates / seconds;
  line({
    bench: "consensus_ingest",
    validators: n,
    rounds,
    certificates,
    committedCertificates: committed,
    dropped: await metricTotal(metrics.dropped),
    signaturesPerCertificate: quorum,
    certificatesPerSecond: Math.round(perSecond),
    signaturesVerifiedPerSecond: Math.round(perSecond * quorum),
    rawVerifyPerSecond: Math.round(rawRate),
    verifyBoundCertificatesPerSecond: Math.round(rawRate / quorum),
    efficiency: Math.round((perSecond * quorum * 1000) / rawRate) / 1000,
  });
}

async function simulate(validators: number, rounds: number): Promise<void> {
  const started = performance.now();
  const report = await runSimulation({ validators, rounds, seed: 1, delayMs: { min: 5, max: 50 } });
  const seconds = (performance.now() - started) / 1000;
  const certificates = report.summary.committedCertificates.max;
  line({
    bench: "consensus_sim",
    validators,
    rounds,
    elapsedMs: Math.round(seconds * 1000),
    committedCertificatesPerValidator: certificates,
    certificatesPerSecondPerValidator: Math.round(certificates / seconds),
    signaturesVerified: report.summary.signatures.verified,
    signaturesFromMemo: report.summary.signatures.memoHits,
    leaderCommitRatio: report.summary.leaderCommitRatio,
    safe: report.safety.ok,
  });
}

line({ bench: "ed25519_verify", implementation: "node:crypto", perSecond: Math.round(verifyRate(20_000)) });
for (const [n, rounds] of [
  [4, 400],
  [10, 150],
  [20, 60],
] as const) {
  await ingest(n, rounds);
}
await simulate(10, 200);
line({
  bench: "ed25519_verify",
  implementation: "node:crypto",
  perSecond: Math.round(verifyRate(20_000)),
  when: "end",
});
