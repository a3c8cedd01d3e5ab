import { Command } from "commander";
import { ConsensusError, ConsensusErrorCode } from "../consensus/errors.js";
import {
  DEFAULT_SIM_DELAY_MS,
  type PartitionKind,
  runSimulation,
  type SimulationOptions,
  type SimulationReport,
} from "../consensus/sim/runner.js";

interface SimFlags {
  validators?: string;
  rounds?: string;
  seed?: string;
  byzantine?: string;
  crash?: string;
  delayMs?: string;
  drop?: string;
  partitionAt?: string;
  healAt?: string;
  partitionKind?: string;
  txRate?: string;
  json?: boolean;
}

const DEFAULT_DELAY = `${DEFAULT_SIM_DELAY_MS.min}..${DEFAULT_SIM_DELAY_MS.max}`;

function invalid(message: string): never {
  throw new ConsensusError(ConsensusErrorCode.InvalidSimulation, message);
}

function integer(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) invalid(`--${name} is required`);
  if (!/^\d+$/.test(value)) invalid(`--${name} must be an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) invalid(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Turns the command line into simulation options; every mistake is a MassError naming the flag. */
export function parseSimFlags(flags: SimFlags): SimulationOptions {
  const validators = integer("validators", flags.validators, 1, 100);
  const delay = /^(\d+)\.\.(\d+)$/.exec(flags.delayMs ?? DEFAULT_DELAY);
  if (delay === null) invalid(`--delay-ms must look like MIN..MAX (e.g. 5..50), got "${flags.delayMs}"`);
  const min = Number(delay[1]);
  const max = Number(delay[2]);
  if (min > max || max > 60_000) invalid(`--delay-ms needs MIN <= MAX <= 60000, got ${min}..${max}`);
  let drop = 0;
  if (flags.drop !== undefined) {
    drop = Number(flags.drop);
    if (!/^\d*\.?\d+$/.test(flags.drop) || !(drop >= 0 && drop < 1)) {
      invalid(`--drop must be a probability in [0, 1), got "${flags.drop}"`);
    }
  }
  const options: SimulationOptions = {
    validators,
    rounds: integer("rounds", flags.rounds, 1, 100_000),
    seed: integer("seed", flags.seed, 0, 0xffffffff),
    byzantine: flags.byzantine === undefined ? 0 : integer("byzantine", flags.byzantine, 0, validators),
    crash: flags.crash === undefined ? 0 : integer("crash", flags.crash, 0, validators),
    delayMs: { min, max },
    drop,
    transactionsPerSecond: flags.txRate === undefined ? 0 : integer("tx-rate", flags.txRate, 0, 100_000),
  };
  if ((options.byzantine ?? 0) + (options.crash ?? 0) > validators) {
    invalid(
      `--byzantine plus --crash (${(options.byzantine ?? 0) + (options.crash ?? 0)}) exceeds --validators`,
    );
  }
  if ((flags.partitionAt === undefined) !== (flags.healAt === undefined)) {
    invalid("--partition-at and --heal-at go together");
  }
  if (flags.partitionAt !== undefined) {
    const kind = flags.partitionKind ?? "minority";
    if (kind !== "minority" && kind !== "split") {
      invalid(`--partition-kind must be "minority" or "split", got "${kind}"`);
    }
    const atRound = integer("partition-at", flags.partitionAt, 1, options.rounds);
    const healAtRound = integer("heal-at", flags.healAt, 1, options.rounds);
    if (healAtRound <= atRound)
      invalid(`--heal-at (${healAtRound}) must be after --partition-at (${atRound})`);
    options.partition = { atRound, healAtRound, kind: kind as PartitionKind };
  }
  return options;
}

function humanSummary(r: SimulationReport, elapsedMs: number): string {
  const s = r.summary;
  const lines = [
    `seed ${r.seed}: ${r.config.validators} validators, ${r.config.rounds} rounds, ` +
      `${r.config.byzantine} byzantine, ${r.config.crash} crashing, delay ${r.config.delayMs.min}..${r.config.delayMs.max} ms, drop ${r.config.drop}`,
    `completed: ${r.completed} after ${(r.simulatedMs / 1000).toFixed(1)} s simulated, ${(elapsedMs / 1000).toFixed(1)} s real`,
    `safety: ${r.safety.ok ? "ok" : `VIOLATED\n  ${r.safety.violations.join("\n  ")}`}`,
    `leader commit ratio: ${s.leaderCommitRatio} (slowest honest validator), ${s.leaderCommitRatioAny} (any)`,
    `certificates committed per validator: ${s.committedCertificates.min}..${s.committedCertificates.max}`,
    `messages: ${s.network.sent} sent, ${s.network.retransmissions} retransmitted, ${s.network.lostToPartition} cut by partition`,
    `signatures: ${s.signatures.verified} verified, ${s.signatures.memoHits} found in the shared memo`,
  ];
  if (s.internalErrors.length > 0) lines.push(`internal errors:\n  ${s.internalErrors.join("\n  ")}`);
  return `${lines.join("\n")}\n`;
}

/** `mass sim`: the deterministic consensus simulator (register with parseAsync: the action is async). */
export function simCommand(): Command {
  return new Command("sim")
    .description(
      "run n validators of the consensus core over a simulated network, deterministically from a seed",
    )
    .option("--validators <n>", "committee size (1-100)")
    .option("--rounds <r>", "run until every live honest validator reached this round")
    .option("--seed <s>", "seed of the run (0-4294967295): the same seed gives the same output")
    .option("--byzantine <k>", "the last k validators are Byzantine", "0")
    .option("--crash <k>", "k honest validators crash once and restart from their store", "0")
    .option("--delay-ms <min..max>", "message delay range in simulated milliseconds", DEFAULT_DELAY)
    .option("--drop <p>", "probability that a transmission attempt is lost (retransmitted)", "0")
    .option("--partition-at <round>", "cut the network when the highest honest round reaches this")
    .option("--heal-at <round>", "heal the partition when the highest honest round reaches this")
    .option(
      "--partition-kind <kind>",
      'partition shape: "minority" (f validators cut off) or "split" (halves)',
    )
    .option("--tx-rate <n>", "client transactions per simulated second per validator", "0")
    .option("--json", "print the full report as one JSON object")
    .action(async (flags: SimFlags) => {
      const options = parseSimFlags(flags);
      const started = performance.now();
      const report = await runSimulation(options);
      const elapsedMs = performance.now() - started;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        process.stderr.write(`sim: ${(elapsedMs / 1000).toFixed(1)} s\n`);
      } else {
        process.stdout.write(humanSummary(report, elapsedMs));
      }
      if (!report.safety.ok) process.exitCode = 2;
    });
}
