import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type SignedTx, signTransaction, TRANSFER_GAS_LIMIT, transferTx } from "../../src/client/index.js";
import { sign } from "../../src/crypto/ed25519.js";
import { type InitOptions, initDevnetHome } from "../../src/node/devnetHome.js";
import type { KeyPair } from "../../src/node/keyFile.js";
import { MassClient } from "../../src/rpc/client.js";
import { toHex } from "../../src/util/bytes.js";

const BIN = fileURLToPath(new URL("../../../bin/mass.js", import.meta.url));
export const RPC_OFFSET = 1000;
const METRICS_OFFSET = 2000;
const LOWEST_BASE_PORT = 20_000;
const EPHEMERAL_PORTS_FROM = 32_768;

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A base port whose p2p, RPC and metrics ports for `n` validators are all free on 127.0.0.1. */
export async function freeBasePort(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768-60999): an outgoing connection's local port (the tests
    // open thousands) can otherwise take a validator's port between this check and its start.
    const base =
      LOWEST_BASE_PORT +
      Math.floor(Math.random() * (EPHEMERAL_PORTS_FROM - METRICS_OFFSET - n - LOWEST_BASE_PORT));
    const ports = Array.from({ length: n }, (_, i) => [
      base + i,
      base + i + RPC_OFFSET,
      base + i + METRICS_OFFSET,
    ]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error("no free port range found");
}

export interface Cluster {
  home: string;
  basePort: number;
  clients: MassClient[];
  metricsUrl(i: number): string;
  /** Starts validator i again; `args` are added to its command line for this start only. */
  start(i: number, args?: string[]): void;
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal without waiting for an exit (SIGSTOP freezes a validator, SIGCONT resumes it). */
  signal(i: number, signal: NodeJS.Signals): void;
  stopAll(): Promise<void>;
  logs(i: number): string;
}

/** Creates a devnet home in `dir` and runs its validators as child processes on free local ports. */
export async function startCluster(
  dir: string,
  n: number,
  extraArgs: string[] = [],
  accounts = 0,
  init: Pick<InitOptions, "gcDepth"> = {},
): Promise<Cluster> {
  const basePort = await freeBasePort(n);
  const home = initDevnetHome({ dir, validators: n, basePort, accounts, ...init });
  const processes: (ChildProcess | undefined)[] = [];
  const output: string[] = Array.from({ length: n }, () => "");
  const start = (i: number, args: string[] = []) => {
    // MASS_NODE_ARGS passes node flags (e.g. --cpu-prof) to the validators, for profiling benches.
    const nodeArgs = process.env.MASS_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(
      process.execPath,
      [...nodeArgs, BIN, "start", "--home", home.dir, "--validator", String(i), ...extraArgs, ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const append = (chunk: Buffer) => {
      // Keep the tail only: enough to diagnose a failure, bounded for long runs.
      output[i] = (output[i] + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    processes[i] = child;
  };
  const kill = async (i: number, signal: NodeJS.Signals = "SIGKILL") => {
    const child = processes[i];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await exited;
  };
  for (let i = 0; i < n; i++) start(i);
  return {
    home: home.dir,
    basePort,
    clients: Array.from(
      { length: n },
      (_, i) => new MassClient(`http://127.0.0.1:${basePort + i + RPC_OFFSET}/`, 5_000),
    ),
    metricsUrl: (i) => `http://127.0.0.1:${basePort + i + METRICS_OFFSET}/metrics`,
    start,
    kill,
    signal: (i, signal) => void processes[i]?.kill(signal),
    stopAll: async () => {
      const timers = processes.map((_, i) => setTimeout(() => void kill(i, "SIGKILL"), 8_000));
      await Promise.all(processes.map((_, i) => kill(i, "SIGTERM")));
      for (const t of timers) clearTimeout(t);
    },
    logs: (i) => output[i] ?? "",
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A transfer as the CLI sends it (its gas limit, a fee of 10), signed with node:crypto. */
export function transferSigned(
  chainId: string,
  from: KeyPair,
  to: Uint8Array,
  nonce: number,
  amount: bigint,
  harbor = "pk-sifc",
): SignedTx {
  const body = transferTx(
    { chainId, harbor, sender: from.publicKey, nonce, gasLimit: TRANSFER_GAS_LIMIT, fee: 10n },
    { to, amount },
  );
  return signTransaction(body, from.secretKey, sign);
}

/** `transferSigned`'s encoded bytes. */
export function signedTransfer(
  chainId: string,
  from: KeyPair,
  to: Uint8Array,
  nonce: number,
  amount: bigint,
  harbor = "pk-sifc",
): Uint8Array {
  return transferSigned(chainId, from, to, nonce, amount, harbor).bytes;
}

export { toHex };
