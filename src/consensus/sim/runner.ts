import { Registry } from "prom-client";
import { publicKeyOf } from "../../crypto/ed25519.js";
import { sha256Concat } from "../../crypto/hash.js";
import { type ConsensusMetrics, createConsensusMetrics, metricValues } from "../../metrics/index.js";
import { type Committee, type ConsensusParams, DEFAULT_BLOCK_LIMITS } from "../../types/genesis.js";
import { utf8 } from "../../util/bytes.js";
import { errorMessage } from "../../util/errors.js";
import { ConsensusNode } from "../consensusNode.js";
import { digestKey } from "../digest.js";
import { ConsensusError, ConsensusErrorCode } from "../errors.js";
import type { CommittedSubDag } from "../linearizer.js";
import { MemoryConsensusStore } from "../store/memoryStore.js";
import type { ConsensusStore } from "../store/store.js";
import { MemoVerifier } from "../verifier.js";
import { Adversary, type AdversaryStats } from "./byzantine.js";
import { type CertificateInfo, checkSafety, type SafetyReport } from "./checks.js";
import { SimNetwork } from "./network.js";
import { Prng } from "./prng.js";
import { Scheduler } from "./scheduler.js";

export type PartitionKind = "minority" | "split";

/** Message delays when none are given: a LAN-like spread. */
export const DEFAULT_SIM_DELAY_MS = { min: 5, max: 50 };

export interface SimulationOptions {
  validators: number;
  /** Run until every live honest validator's DAG reaches this round plus two (so its leaders can commit). */
  rounds: number;
  seed: number;
  /** The last `byzantine` validators are Byzantine. */
  byzantine?: number;
  /** This many honest validators (just before the Byzantine ones) crash once and restart from their store. */
  crash?: number;
  delayMs?: { min: number; max: number };
  /** Probability that one transmission attempt is lost (retransmitted by the link). */
  drop?: number;
  /**
   * Cut the network when the highest honest round reaches `atRound`; heal when it reaches
   * `healAtRound` (or, if rounds stall, after the simulated time those rounds took before the cut).
   * "minority" isolates f validators (the rest keep committing), "split" halves the committee (no side has a quorum).
   */
  partition?: { atRound: number; healAtRound: number; kind: PartitionKind };
  /** Client transactions submitted to each validator per simulated second. */
  transactionsPerSecond?: number;
  /** Delay before a header without batches (ConsensusParams.maxHeaderDelayMs); default 0. */
  idleHeaderDelayMs?: number;
  /** Default: 50, raised to outlast a partition (a validator can catch up only within gc depth). */
  gcDepth?: number;
  /** Stores per validator (default: in memory). A crash restarts the validator over the same store. */
  storeFactory?: (validator: number) => ConsensusStore;
}

export interface ValidatorReport {
  id: number;
  honest: boolean;
  crashes: number;
  /** Certificate digests in commit order (0x-hex). */
  sequence: string[];
  committedLeaders: number[];
  /** Worker batches referenced by the committed certificates. */
  committedBatches: number;
  /** Own batches reported orphaned (their certificate left out of the DAG's later rounds). */
  orphanedBatches: number;
  /** Of those, ones a leader committed after all (the orphan rule guessed wrong). */
  orphansCommitted: number;
  round: number;
  lastCommittedRound: number;
  equivocationsDetected: number;
  dropped: Record<string, number>;
}

export interface SimulationReport {
  seed: number;
  config: {
    validators: number;
    rounds: number;
    byzantine: number;
    crash: number;
    delayMs: { min: number; max: number };
    drop: number;
    partition: SimulationOptions["partition"] | null;
    transactionsPerSecond: number;
    params: ConsensusParams;
  };
  /** Whether every live honest validator reached the target round before the simulated-time limit. */
  completed: boolean;
  simulatedMs: number;
  safety: SafetyReport;
  summary: {
    /** Even rounds 2..rounds whose leader the slowest honest validator committed, over all of them. */
    leaderCommitRatio: number;
    /** The same for the union of all honest validators. */
    leaderCommitRatioAny: number;
    committedCertificates: { min: number; max: number };
    transactionsSubmitted: number;
    events: { partitionedAtMs: number | null; healedAtMs: number | null; crashes: number; restarts: number };
    network: SimNetwork["stats"];
    adversary: AdversaryStats;
    signatures: { verified: number; memoHits: number };
    internalErrors: string[];
  };
  validators: ValidatorReport[];
}

/** The chain id of simulated committees. */
export const SIM_CHAIN_ID = utf8("mass-sim");
/** How often the simulator checks its round-based triggers (partition, crashes, the end). */
const MONITOR_INTERVAL_MS = 20;
/** Simulated time allowed per round before a run counts as stuck (generous: crashed leaders cost a timeout). */
const SIMULATED_MS_PER_ROUND_LIMIT = 3000;
const DEFAULT_GC_DEPTH = 50;
/** Rounds of margin a lagging validator needs beyond its lag to catch up before peers prune. */
const CATCH_UP_MARGIN_ROUNDS = 30;
/** A crashed validator stays down for this many rounds of the others' progress. */
const CRASH_DOWN_ROUNDS = { min: 8, max: 24 };
const TRANSACTION_BYTES = 128;
/** Transactions are submitted in bursts this often. */
const TRANSACTION_INTERVAL_MS = 100;

interface Validator {
  id: number;
  honest: boolean;
  secretKey: Uint8Array;
  store: ConsensusStore;
  node: ConsensusNode | null;
  incarnation: number;
  metrics: ConsensusMetrics;
  sequence: string[];
  leaderRounds: number[];
  committedLeaders: number[];
  committedBatches: number;
  /** Digest keys of own batches reported orphaned. */
  orphaned: Set<string>;
  orphansCommitted: number;
  nextIndex: number;
  crashes: number;
  crashPlan: { atRound: number; downRounds: number; crashedAt: number; crashedAtRound: number } | null;
  adversary: Adversary | null;
}

export function validateSimulationOptions(o: SimulationOptions): void {
  const fail = (message: string): never => {
    throw new ConsensusError(ConsensusErrorCode.InvalidSimulation, message);
  };
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > 100)
    fail("validators must be 1..100");
  if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > 100_000) fail("rounds must be 1..100000");
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    fail("seed must be an integer 0..4294967295");
  const byzantine = o.byzantine ?? 0;
  const crash = o.crash ?? 0;
  if (!Number.isInteger(byzantine) || byzantine < 0) fail("byzantine must be a non-negative integer");
  if (!Number.isInteger(crash) || crash < 0) fail("crash must be a non-negative integer");
  if (byzantine + crash > o.validators) fail("byzantine + crash cannot exceed validators");
  const d = o.delayMs ?? { min: 0, max: 0 };
  if (!Number.isInteger(d.min) || !Number.isInteger(d.max) || d.min < 0 || d.max < d.min || d.max > 60_000) {
    fail("delay range must be MIN..MAX with 0 <= MIN <= MAX <= 60000");
  }
  const drop = o.drop ?? 0;
  if (!(drop >= 0 && drop < 1)) fail("drop must be a probability in [0, 1)");
  if (o.partition !== undefined) {
    const p = o.partition;
    if (
      !Number.isInteger(p.atRound) ||
      !Number.isInteger(p.healAtRound) ||
      p.atRound < 1 ||
      p.healAtRound <= p.atRound
    ) {
      fail("partition needs 1 <= partition-at < heal-at");
    }
    if (p.healAtRound > o.rounds) fail("heal-at must not exceed rounds");
  }
  if (o.gcDepth !== undefined && (!Number.isInteger(o.gcDepth) || o.gcDepth < 2))
    fail("gcDepth must be >= 2");
}

/** Runs one deterministic simulation: the same options give the same report, byte for byte. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  validateSimulationOptions(options);
  return new Simulation(options).run();
}

class Simulation {
  private readonly n: number;
  private readonly f: number;
  private readonly rng: Prng;
  private readonly scheduler = new Scheduler();
  private readonly network: SimNetwork;
  private readonly verifier = new MemoVerifier();
  private readonly committee: Committee;
  private readonly params: ConsensusParams;
  private readonly validators: Validator[] = [];
  private readonly certificates = new Map<string, CertificateInfo>();
  private readonly internalErrors: string[] = [];
  private readonly delay: { min: number; max: number };
  private partitionedAt: number | null = null;
  private healedAt: number | null = null;
  private partitionDeadline = Number.POSITIVE_INFINITY;
  private restarts = 0;
  private transactions = 0;
  private pendingAsync: Promise<void> | null = null;
  private finished = false;

  constructor(private readonly options: SimulationOptions) {
    this.n = options.validators;
    this.f = Math.floor((this.n - 1) / 3);
    this.rng = new Prng(options.seed);
    this.delay = options.delayMs ?? DEFAULT_SIM_DELAY_MS;
    if (!(this.delay.min >= 1 && this.delay.max >= this.delay.min)) {
      // With zero delay, messages (and rounds) never let simulated time advance: the run cannot end.
      throw new ConsensusError(
        ConsensusErrorCode.InvalidParams,
        `simulated delays need 1 <= min <= max, got ${this.delay.min}..${this.delay.max} ms`,
      );
    }
    const lag = options.partition ? options.partition.healAtRound - options.partition.atRound : 0;
    const crashLag = (options.crash ?? 0) > 0 ? CRASH_DOWN_ROUNDS.max : 0;
    const gcDepth =
      options.gcDepth ?? Math.max(DEFAULT_GC_DEPTH, Math.max(lag, crashLag) + CATCH_UP_MARGIN_ROUNDS);
    this.params = {
      gcDepth,
      minHeaderDelayMs: 0,
      maxHeaderDelayMs: options.idleHeaderDelayMs ?? 0,
      // Long enough that a live leader is practically always waited for, short next to a run.
      leaderTimeoutMs: Math.max(500, 10 * this.delay.max),
      maxBatchBytes: 64 * 1024,
      maxBatchDelayMs: 100,
      ...DEFAULT_BLOCK_LIMITS,
    };
    const keys = Array.from({ length: this.n }, (_, i) => simulatorKey(options.seed, i));
    this.committee = {
      epoch: 0,
      validators: keys.map((k, i) => ({
        name: utf8(`sim-${i}`),
        publicKey: publicKeyOf(k),
        stake: 1,
        address: utf8(""),
      })),
    };
    this.network = new SimNetwork(
      this.scheduler,
      this.rng.fork(),
      { minDelayMs: this.delay.min, maxDelayMs: this.delay.max, dropProbability: options.drop ?? 0 },
      this.n,
      (to, from, bytes) => {
        const v = this.validators[to]!;
        if (v.node === null) return false;
        v.node.handleBytes(from, bytes);
        return true;
      },
    );
    const byzantine = options.byzantine ?? 0;
    const crash = options.crash ?? 0;
    const crashPlans = this.rng.fork();
    for (let id = 0; id < this.n; id++) {
      const honest = id < this.n - byzantine;
      const crashes = honest && id >= this.n - byzantine - crash;
      this.validators.push({
        id,
        honest,
        secretKey: keys[id]!,
        store: options.storeFactory?.(id) ?? new MemoryConsensusStore(),
        node: null,
        incarnation: 0,
        metrics: createConsensusMetrics(new Registry()),
        sequence: [],
        leaderRounds: [],
        committedLeaders: [],
        committedBatches: 0,
        orphaned: new Set(),
        orphansCommitted: 0,
        nextIndex: 0,
        crashes: 0,
        crashPlan: crashes
          ? {
              atRound: crashPlans.int(
                Math.max(2, Math.floor(options.rounds * 0.1)),
                Math.max(2, Math.floor(options.rounds * 0.6)),
              ),
              downRounds: crashPlans.int(CRASH_DOWN_ROUNDS.min, CRASH_DOWN_ROUNDS.max),
              crashedAt: -1,
              crashedAtRound: -1,
            }
          : null,
        adversary: honest
          ? null
          : new Adversary(id, this.n, keys[id]!, SIM_CHAIN_ID, this.rng.fork(), this.network),
      });
    }
  }

  async run(): Promise<SimulationReport> {
    for (const v of this.validators) await this.boot(v);
    this.scheduler.after(MONITOR_INTERVAL_MS, () => this.monitor());
    if ((this.options.transactionsPerSecond ?? 0) > 0)
      this.scheduler.after(TRANSACTION_INTERVAL_MS, () => this.submitLoad());
    const limit = this.options.rounds * SIMULATED_MS_PER_ROUND_LIMIT + 60_000;
    const asyncStore = this.options.storeFactory !== undefined;
    while (!this.finished) {
      const event = this.scheduler.next();
      if (event === undefined || event.time > limit) break;
      const done = event.run();
      if (done instanceof Promise) await done;
      if (this.pendingAsync !== null) await this.pendingAsync;
      if (asyncStore) for (const v of this.validators) if (v.node?.busy) await v.node.idle();
    }
    for (const v of this.validators) if (v.node !== null) await v.node.stop();
    return await this.report();
  }

  private async boot(v: Validator): Promise<void> {
    const incarnation = ++v.incarnation;
    const alive = (): boolean => v.incarnation === incarnation && v.node !== null;
    let network = this.network.endpoint(v.id, alive);
    if (v.adversary !== null) network = v.adversary.wrap(network, alive);
    const node = new ConsensusNode({
      committee: this.committee,
      params: this.params,
      chainId: SIM_CHAIN_ID,
      authority: v.id,
      secretKey: v.secretKey,
      network,
      store: v.store,
      clock: this.scheduler.clock(alive),
      metrics: v.metrics,
      verifier: this.verifier,
      deliverFrom: v.nextIndex,
      onOutput: ({ subDag }) => this.record(v, subDag),
      onOrphanedBatches: (batches) => {
        for (const b of batches) v.orphaned.add(digestKey(b.digest));
      },
      onError: (err, from, kind) =>
        this.internalError(`validator ${v.id} on ${kind} from ${from}: ${errorMessage(err)}`),
      onFatal: (err) => this.internalError(`validator ${v.id} halted: ${errorMessage(err)}`),
    });
    v.node = node;
    await node.start();
  }

  private internalError(text: string): void {
    if (this.internalErrors.length < 20) this.internalErrors.push(text);
  }

  private record(v: Validator, subDag: CommittedSubDag): void {
    if (subDag.index !== v.nextIndex) {
      this.internalError(`validator ${v.id} got commit ${subDag.index}, expected ${v.nextIndex}`);
      if (subDag.index < v.nextIndex) return;
    }
    v.nextIndex = subDag.index + 1;
    v.committedLeaders.push(subDag.leaderRound);
    v.committedBatches += subDag.batches.length;
    for (const b of subDag.batches) if (v.orphaned.has(digestKey(b.digest))) v.orphansCommitted += 1;
    subDag.certificates.forEach((c, i) => {
      const key = digestKey(subDag.digests[i]!);
      v.sequence.push(key);
      v.leaderRounds.push(subDag.leaderRound);
      if (!this.certificates.has(key)) {
        this.certificates.set(key, { round: c.header.round, parents: c.header.parents.map(digestKey) });
      }
    });
  }

  private highestHonestRound(): number {
    let max = 0;
    for (const v of this.validators)
      if (v.honest && v.node !== null) max = Math.max(max, v.node.status().round);
    return max;
  }

  private monitor(): void {
    const now = this.scheduler.now;
    const round = this.highestHonestRound();
    const p = this.options.partition;
    if (p !== undefined && this.partitionedAt === null && round >= p.atRound) {
      this.partitionedAt = now;
      this.partitionDeadline = now + (now / Math.max(1, round)) * (p.healAtRound - p.atRound);
      const cut = p.kind === "split" ? Math.floor(this.n / 2) : Math.max(1, this.f);
      this.network.partition(this.validators.map((v) => (v.id < cut ? 1 : 0)));
    } else if (
      this.network.partitioned &&
      p !== undefined &&
      (round >= p.healAtRound || now >= this.partitionDeadline)
    ) {
      this.healedAt = now;
      this.network.partition(undefined);
    }
    for (const v of this.validators) {
      const plan = v.crashPlan;
      if (plan === null) continue;
      if (plan.crashedAt < 0 && v.node !== null && round >= plan.atRound) {
        plan.crashedAt = now;
        plan.crashedAtRound = round;
        v.crashes++;
        v.node.crash();
        v.node = null;
      } else if (plan.crashedAt >= 0 && v.node === null) {
        const timeUp =
          now - plan.crashedAt >= plan.downRounds * (plan.crashedAt / Math.max(1, plan.crashedAtRound));
        if (round >= plan.crashedAtRound + plan.downRounds || timeUp) {
          this.restarts++;
          this.pendingAsync = this.boot(v).finally(() => {
            this.pendingAsync = null;
          });
        }
      }
    }
    if (this.done()) {
      this.finished = true;
      return;
    }
    this.scheduler.after(MONITOR_INTERVAL_MS, () => this.monitor());
  }

  private done(): boolean {
    if (this.network.partitioned) return false;
    const target = this.options.rounds + 2;
    for (const v of this.validators) {
      if (!v.honest) continue;
      if (v.node === null) {
        if (v.crashPlan !== null && v.crashPlan.crashedAt >= 0) return false; // waiting to restart
        continue;
      }
      if (v.node.status().highestRound < target) return false;
    }
    return true;
  }

  private submitLoad(): void {
    const perBurst = Math.max(
      1,
      Math.round(((this.options.transactionsPerSecond ?? 0) * TRANSACTION_INTERVAL_MS) / 1000),
    );
    for (const v of this.validators) {
      if (v.node === null) continue;
      for (let i = 0; i < perBurst; i++) {
        const tx = new Uint8Array(TRANSACTION_BYTES);
        const view = new DataView(tx.buffer);
        view.setUint32(0, v.id);
        view.setUint32(4, this.transactions++);
        v.node.submitTransaction(tx);
      }
    }
    this.scheduler.after(TRANSACTION_INTERVAL_MS, () => this.submitLoad());
  }

  private async report(): Promise<SimulationReport> {
    const honest = this.validators.filter((v) => v.honest);
    const safety = checkSafety(
      honest.map((v) => ({ id: v.id, sequence: v.sequence, leaderRounds: v.leaderRounds })),
      this.certificates,
      this.params.gcDepth,
    );
    const leaders = Math.floor(this.options.rounds / 2);
    const ratio = (rounds: Iterable<number>): number => {
      let count = 0;
      for (const r of new Set(rounds)) if (r <= this.options.rounds) count++;
      return leaders === 0 ? 1 : Math.round((count / leaders) * 10_000) / 10_000;
    };
    const adversary: AdversaryStats = {
      equivocations: 0,
      withheldCertificates: 0,
      badSignatures: 0,
      unknownVotes: 0,
      garbage: 0,
    };
    for (const v of this.validators) {
      if (v.adversary === null) continue;
      for (const k of Object.keys(adversary) as (keyof AdversaryStats)[])
        adversary[k] += v.adversary.stats[k];
    }
    const lengths = honest.map((v) => v.sequence.length);
    return {
      seed: this.options.seed,
      config: {
        validators: this.n,
        rounds: this.options.rounds,
        byzantine: this.options.byzantine ?? 0,
        crash: this.options.crash ?? 0,
        delayMs: this.delay,
        drop: this.options.drop ?? 0,
        partition: this.options.partition ?? null,
        transactionsPerSecond: this.options.transactionsPerSecond ?? 0,
        params: this.params,
      },
      completed: this.finished,
      simulatedMs: this.scheduler.now,
      safety,
      summary: {
        leaderCommitRatio:
          honest.length === 0 ? 0 : Math.min(...honest.map((v) => ratio(v.committedLeaders))),
        leaderCommitRatioAny: ratio(honest.flatMap((v) => v.committedLeaders)),
        committedCertificates: {
          min: lengths.length === 0 ? 0 : Math.min(...lengths),
          max: lengths.length === 0 ? 0 : Math.max(...lengths),
        },
        transactionsSubmitted: this.transactions,
        events: {
          partitionedAtMs: this.partitionedAt,
          healedAtMs: this.healedAt,
          crashes: this.validators.reduce((n, v) => n + v.crashes, 0),
          restarts: this.restarts,
        },
        network: this.network.stats,
        adversary,
        signatures: { verified: this.verifier.verified, memoHits: this.verifier.hits },
        internalErrors: this.internalErrors,
      },
      validators: await Promise.all(
        this.validators.map(async (v) => ({
          id: v.id,
          honest: v.honest,
          crashes: v.crashes,
          sequence: v.sequence.map((d) => `0x${d}`),
          committedLeaders: v.committedLeaders,
          committedBatches: v.committedBatches,
          orphanedBatches: v.orphaned.size,
          orphansCommitted: v.orphansCommitted,
          round: v.node?.status().round ?? -1,
          lastCommittedRound: v.committedLeaders.at(-1) ?? 0,
          equivocationsDetected: (await metricValues(v.metrics.equivocations))[0]?.value ?? 0,
          dropped: sortedRecord(
            Object.fromEntries(
              (await metricValues(v.metrics.dropped)).map(({ labels, value }) => [
                `${labels.kind}:${labels.reason}`,
                value,
              ]),
            ),
          ),
        })),
      ),
    };
  }
}

/** Deterministic simulator keys: SHA-256("MASS-L1/sim-key" ‖ seed ‖ index). */
export function simulatorKey(seed: number, index: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, seed);
  view.setUint32(4, index);
  return sha256Concat(utf8("MASS-L1/sim-key"), bytes);
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
