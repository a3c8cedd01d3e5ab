import { join } from "node:path";
import { loadGenesis, loadRulePacks } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { MassClient } from "../../src/rpc/client.js";
import { type Cluster, startCluster, waitFor } from "../helpers/cluster.js";
import { type CheckResult, runChecks } from "./checks.js";
import { type FaultPlan, type FaultRecord, inject, leavesQuorum, restore } from "./faults.js";
import { LoadGenerator, LoadStats, Sender, type SenderLedger, submitClients } from "./load.js";
import { Prng } from "./prng.js";
import { FinalizedTxCounter, type Progress } from "./progress.js";
import { deadline, type HealthJson, pause, quorumOf, ValidatorReader } from "./rpc.js";
import { readViews, supplyAccounts } from "./snapshot.js";

/** The committee under test: n = 3f + 1 with f = 1, the smallest that tolerates a fault. */
export const VALIDATORS = 4;
/** Load senders, one per validator (keys/account-0..3); keys/account-4 sends the recovery probes. */
const LOAD_SENDERS = VALIDATORS;
const PROBE_ACCOUNT = `account-${LOAD_SENDERS}`;
/** Transfer recipients: funded and attested at genesis, so transfers pass the harbor's import checks. */
const RECIPIENTS = ["faucet", "alice", "bob"];
/** After a fault, a new transaction must be final within this long (the brief's recovery target). */
export const RECOVERY_LIMIT_SECONDS = 30;
/** After the load stops, how long the validators get to agree on one final height with empty pools. */
const SETTLE_LIMIT_MS = 60_000;
/** A fresh devnet elects its first leaders within seconds; a minute means it is broken. */
const STARTUP_LIMIT_MS = 60_000;
/** Load before the first fault, so the faults hit a network already busy. */
const WARMUP_MS = 5_000;
/** How often recovery, catch-up and settling are polled: fine enough for 0.1 s resolution at ~1 block/s. */
const POLL_MS = 250;
/** Timeout of the harness's status reads: a frozen validator must not stall the measurements. */
const QUERY_TIMEOUT_MS = 1_000;

export interface ScenarioOptions {
  /** An empty directory the devnet home and databases go in. */
  dir: string;
  seed: number;
  /** The faults, drawn from the seeded PRNG; consumed lazily, one fault after the other. */
  schedule: (rng: Prng, validators: number) => Iterable<FaultPlan>;
  /** Longest a recovery is measured; beyond it the fault counts as not recovered. */
  recoveryCapMs: number;
  /** Longest to wait for a restored validator to reach the others' height before the next fault. */
  catchUpLimitMs: number;
  /** Emit a progress event this often; none if undefined. */
  progressIntervalMs?: number;
  onEvent?: (event: ScenarioEvent) => void;
}

export type ScenarioEvent = ({ type: "fault" } & FaultRecord) | ({ type: "progress" } & Progress);

export interface SettleResult {
  converged: boolean;
  seconds: number;
  heights: (number | null)[];
  finalizedHeights: (number | null)[];
  poolSizes: (number | null)[];
}

export interface ScenarioReport {
  seed: number;
  passed: boolean;
  /** From the start of the load to the end of the checks. */
  durationSeconds: number;
  faults: FaultRecord[];
  load: {
    accepted: number;
    acceptedVia: LoadStats["accepted"];
    refused: Record<string, number>;
    failed: Record<string, number>;
    unresolved: number;
    anomalies: string[];
  };
  finalizedTxs: number;
  settle: SettleResult;
  checkedHeight: number;
  checks: CheckResult[];
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * A chaos run: a 4-validator devnet of `mass start` processes under steady signed-transfer load
 * while a seeded schedule kills, freezes and restores validators; afterwards the load stops, the
 * network settles, and every validator's chain is checked (checks.ts).
 */
export class ChaosScenario {
  private readonly abort = new AbortController();
  private cluster: Cluster | undefined;
  private queries: MassClient[] = [];
  private readonly faulted = new Set<number>();
  private readonly stats = new LoadStats();
  private probe: Sender | undefined;
  private probeTurn = 0;
  private startedAt = 0;
  private readonly killOnExit = () => {
    for (let i = 0; i < VALIDATORS; i++) this.cluster?.signal(i, "SIGKILL");
  };

  constructor(private readonly options: ScenarioOptions) {}

  async run(): Promise<ScenarioReport> {
    const cluster = await startCluster(join(this.options.dir, "home"), VALIDATORS, [], LOAD_SENDERS + 1);
    this.cluster = cluster;
    process.on("exit", this.killOnExit);
    try {
      return await this.exercise(cluster);
    } finally {
      await this.stopCluster();
    }
  }

  /** Each validator's log tail (what the cluster keeps), across its restarts; empty before the start. */
  logs(): string[] {
    const cluster = this.cluster;
    return cluster === undefined ? [] : Array.from({ length: VALIDATORS }, (_, i) => cluster.logs(i));
  }

  /** Stops everything a run started, even one still under way (e.g. after a test timeout). */
  async dispose(): Promise<void> {
    this.abort.abort();
    await this.stopCluster();
  }

  private async exercise(cluster: Cluster): Promise<ScenarioReport> {
    this.queries = cluster.clients.map((c) => new MassClient(c.url, QUERY_TIMEOUT_MS));
    await waitFor("every validator to produce a block", STARTUP_LIMIT_MS, async () =>
      (await this.heights()).every((h) => h !== null && h >= 1) ? true : undefined,
    );
    const { load, senders } = this.makeLoad(cluster);
    this.startedAt = Date.now();
    load.start();
    const counter = new FinalizedTxCounter(this.queries);
    const progress = this.reportProgress(counter);
    try {
      await pause(WARMUP_MS, this.abort.signal);
      const faults = await this.runSchedule(cluster);
      await load.stop();
      this.abort.signal.throwIfAborted();
      const settle = await this.settle();
      await progress.stop();
      await counter.update(this.live());
      const ledger = [...senders, this.probe!].map((s) => s.ledger);
      return await this.check(cluster, faults, settle, ledger, counter.total);
    } finally {
      await load.stop();
      await progress.stop();
    }
  }

  private makeLoad(cluster: Cluster): { load: LoadGenerator; senders: Sender[] } {
    const key = (name: string) => readKeyFile(join(cluster.home, "keys", `${name}.json`));
    const clients = submitClients(cluster.clients.map((c) => c.url));
    const recipients = RECIPIENTS.map((name) => key(name).publicKey);
    const sender = (name: string, home: number) =>
      new Sender(name, key(name), home, clients, recipients, this.stats);
    const senders = Array.from({ length: LOAD_SENDERS }, (_, i) => sender(`account-${i}`, i % VALIDATORS));
    this.probe = sender(PROBE_ACCOUNT, 0);
    return { load: new LoadGenerator(senders, this.abort.signal), senders };
  }

  private async runSchedule(cluster: Cluster): Promise<FaultRecord[]> {
    const faults: FaultRecord[] = [];
    const rng = new Prng(this.options.seed);
    for (const plan of this.options.schedule(rng, VALIDATORS)) {
      this.abort.signal.throwIfAborted();
      const record = await this.runFault(cluster, plan, faults.length + 1);
      faults.push(record);
      this.options.onEvent?.({ type: "fault", ...record });
      await pause(plan.gapMs, this.abort.signal);
    }
    return faults;
  }

  /**
   * Injects the fault, holds it, restores the validators, and measures how long a new transaction
   * takes to be final: from the injection if a quorum was left running, else from the restart.
   */
  private async runFault(cluster: Cluster, plan: FaultPlan, index: number): Promise<FaultRecord> {
    const injectedAt = Date.now();
    await inject(cluster, plan);
    for (const v of plan.validators) this.faulted.add(v);
    const quorumLeft = leavesQuorum(plan, VALIDATORS);
    const during = quorumLeft ? this.measureRecovery(injectedAt) : undefined;
    await pause(plan.holdMs, this.abort.signal);
    // What the restored validators must reach: the running ones' height at the end of the hold.
    const target = Math.max(0, ...(await this.heights()).filter((h) => h !== null));
    this.abort.signal.throwIfAborted();
    restore(cluster, plan);
    this.faulted.clear();
    const restoredAt = Date.now();
    const [recoverySeconds, catchUpSeconds] = await Promise.all([
      during ?? this.measureRecovery(restoredAt),
      this.waitCatchUp(plan.validators, target, restoredAt),
    ]);
    return {
      index,
      kind: plan.kind,
      validators: plan.validators,
      holdSeconds: seconds(plan.holdMs),
      atSeconds: seconds(injectedAt - this.startedAt),
      recoveryFrom: quorumLeft ? "injection" : "restore",
      recoverySeconds,
      catchUpSeconds,
    };
  }

  /** Seconds from `from` until a probe transfer sent then is final on a quorum; null past the cap. */
  private async measureRecovery(from: number): Promise<number | null> {
    const cap = deadline(this.abort.signal, Math.max(0, from + this.options.recoveryCapMs - Date.now()));
    try {
      const live = this.live();
      const tx = await this.probe!.sendNext(cap.signal, live[this.probeTurn++ % live.length]);
      while (tx !== undefined && !cap.signal.aborted) {
        if (await this.finalOnQuorum(tx.hash)) return seconds(Date.now() - from);
        await pause(POLL_MS, cap.signal);
      }
      return null;
    } finally {
      cap.clear();
    }
  }

  private async finalOnQuorum(hash: string): Promise<boolean> {
    const statuses = await Promise.all(
      this.live().map((v) =>
        this.queries[v]!.call<{ status: string }>("mass_getTransaction", [hash]).then(
          (r) => r.status,
          () => undefined,
        ),
      ),
    );
    return statuses.filter((s) => s === "finalized").length >= quorumOf(VALIDATORS);
  }

  /** Seconds from `since` until every validator in `validators` reached `target`; null past the limit. */
  private async waitCatchUp(validators: number[], target: number, since: number): Promise<number | null> {
    while (Date.now() - since < this.options.catchUpLimitMs && !this.abort.signal.aborted) {
      const heights = await this.heights();
      if (validators.every((v) => (heights[v] ?? -1) >= target)) return seconds(Date.now() - since);
      await pause(POLL_MS, this.abort.signal);
    }
    return null;
  }

  /**
   * Waits until every validator is at the same height, every block final and every pool empty (all
   * accepted transactions executed), up to SETTLE_LIMIT_MS.
   */
  private async settle(): Promise<SettleResult> {
    const start = Date.now();
    for (;;) {
      const health = await Promise.all(
        this.queries.map((c) => c.call<HealthJson>("mass_health").catch(() => undefined)),
      );
      const heights = health.map((h) => (h ? Number(h.height) : null));
      const finalizedHeights = health.map((h) => (h ? Number(h.finalizedHeight) : null));
      const converged =
        heights.every((h) => h !== null && h === heights[0]) &&
        finalizedHeights.every((f, i) => f === heights[i]) &&
        health.every((h) => h?.txPoolSize === 0);
      const timedOut = Date.now() - start >= SETTLE_LIMIT_MS;
      if (converged || timedOut || this.abort.signal.aborted) {
        const poolSizes = health.map((h) => h?.txPoolSize ?? null);
        return { converged, seconds: seconds(Date.now() - start), heights, finalizedHeights, poolSizes };
      }
      await pause(POLL_MS, this.abort.signal);
    }
  }

  private async check(
    cluster: Cluster,
    faults: FaultRecord[],
    settle: SettleResult,
    ledger: SenderLedger[],
    finalizedTxs: number,
  ): Promise<ScenarioReport> {
    const genesisPath = join(cluster.home, "genesis.json");
    const genesis = loadGenesis(genesisPath);
    const rulePacks = loadRulePacks(genesisPath, genesis);
    const supply = supplyAccounts(genesis, rulePacks);
    // Converged: the common height. Otherwise the highest, so a validator behind is named for it.
    const height = Math.max(0, ...settle.heights.filter((h) => h !== null));
    const readers = cluster.clients.map((c, i) => new ValidatorReader(i, c));
    const views = await readViews(readers, height, ledger, supply);
    const checks = runChecks({
      height,
      views,
      ledger,
      genesis,
      rulePacks,
      supply,
      faults,
      recoveryLimitSeconds: RECOVERY_LIMIT_SECONDS,
      recoveryCapSeconds: seconds(this.options.recoveryCapMs),
    });
    const passed = checks.every((c) => c.passed);
    return {
      seed: this.options.seed,
      passed,
      durationSeconds: seconds(Date.now() - this.startedAt),
      faults,
      load: {
        accepted: this.stats.acceptedTotal,
        acceptedVia: this.stats.accepted,
        refused: this.stats.refused,
        failed: this.stats.failed,
        unresolved: ledger.filter((s) => s.unresolved !== undefined).length,
        anomalies: this.stats.anomalies,
      },
      finalizedTxs,
      settle,
      checkedHeight: height,
      checks,
    };
  }

  /** Emits a progress event every `progressIntervalMs` until stopped. */
  private reportProgress(counter: FinalizedTxCounter): { stop(): Promise<void> } {
    const interval = this.options.progressIntervalMs;
    const stopped = new AbortController();
    const signal = AbortSignal.any([stopped.signal, this.abort.signal]);
    const loop = async () => {
      if (interval === undefined) return;
      let last = { at: Date.now(), accepted: 0, finalized: 0 };
      for (;;) {
        await pause(interval, signal);
        if (signal.aborted) return;
        const sample = await this.sampleProgress(counter, last);
        last = { at: Date.now(), accepted: sample.accepted, finalized: sample.finalizedTxs };
        this.options.onEvent?.({ type: "progress", ...sample });
      }
    };
    const done = loop();
    return {
      stop: async () => {
        stopped.abort();
        await done;
      },
    };
  }

  private async sampleProgress(
    counter: FinalizedTxCounter,
    last: { at: number; accepted: number; finalized: number },
  ): Promise<Progress> {
    const infos = await Promise.all(
      this.queries.map((c) =>
        c.call<{ height: string; finalizedHeight: string }>("mass_chainInfo").catch(() => undefined),
      ),
    );
    await counter.update(this.live());
    const elapsed = (Date.now() - last.at) / 1000;
    const rate = (n: number) => Math.round((n / elapsed) * 10) / 10;
    const accepted = this.stats.acceptedTotal;
    return {
      atSeconds: seconds(Date.now() - this.startedAt),
      accepted,
      acceptedPerSecond: rate(accepted - last.accepted),
      refused: Object.values(this.stats.refused).reduce((a, b) => a + b, 0),
      failedSubmissions: Object.values(this.stats.failed).reduce((a, b) => a + b, 0),
      heights: infos.map((i) => (i ? Number(i.height) : null)),
      finalizedHeights: infos.map((i) => (i ? Number(i.finalizedHeight) : null)),
      finalizedTxs: counter.total,
      finalizedTxPerSecond: rate(counter.total - last.finalized),
    };
  }

  /** Validators not under a fault right now. */
  private live(): number[] {
    return Array.from({ length: VALIDATORS }, (_, i) => i).filter((i) => !this.faulted.has(i));
  }

  /** Every validator's height; null where it is under a fault or does not answer within QUERY_TIMEOUT_MS. */
  private async heights(): Promise<(number | null)[]> {
    return Promise.all(
      this.queries.map((c, i) =>
        this.faulted.has(i)
          ? null
          : c.call<{ height: string }>("mass_chainInfo").then(
              (info) => Number(info.height),
              () => null,
            ),
      ),
    );
  }

  private async stopCluster(): Promise<void> {
    const cluster = this.cluster;
    if (cluster === undefined) return;
    // A frozen validator cannot act on SIGTERM until it runs again.
    for (let i = 0; i < VALIDATORS; i++) cluster.signal(i, "SIGCONT");
    await cluster.stopAll();
    process.off("exit", this.killOnExit);
  }
}
