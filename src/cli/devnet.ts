import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { DEFAULT_DEVNET_VALIDATORS, genesisPathOf, initDevnetHome } from "../node/devnetHome.js";
import { loadHomeGenesis, METRICS_PORT_OFFSET, p2pPortOf, rpcUrlOf } from "./home.js";

/** Default home of `mass devnet` (relative to the working directory, ignored by git). */
export const DEFAULT_DEVNET_HOME = ".devnet";
/** After SIGTERM, a validator that has not exited by then is killed. */
const STOP_GRACE_MS = 8_000;
const BIN = fileURLToPath(new URL("../../../bin/mass.js", import.meta.url));

export function devnetCommand(): Command {
  return new Command("devnet")
    .description("run every validator of a devnet home on this machine (creates the home if missing)")
    .option("--home <dir>", "devnet home", DEFAULT_DEVNET_HOME)
    .option("--log-level <level>", "debug, info, warn or error", "info")
    .action(async (opts: { home: string; logLevel: string }) => {
      if (!existsSync(genesisPathOf(opts.home))) {
        initDevnetHome({ dir: opts.home, validators: DEFAULT_DEVNET_VALIDATORS });
        process.stdout.write(
          `created devnet home ${resolve(opts.home)} with ${DEFAULT_DEVNET_VALIDATORS} validators\n`,
        );
      }
      const { genesis } = loadHomeGenesis(opts.home);
      const n = genesis.committee.validators.length;
      const children: ChildProcess[] = [];
      const exited: Promise<void>[] = [];
      let stopping = false;
      for (let i = 0; i < n; i++) {
        const child = spawn(
          process.execPath,
          [BIN, "start", "--home", opts.home, "--validator", String(i), "--log-level", opts.logLevel],
          { stdio: ["ignore", "inherit", "inherit"] },
        );
        children.push(child);
        exited.push(
          new Promise((done) =>
            child.once("exit", (code, signal) => {
              if (!stopping)
                process.stderr.write(`devnet: validator ${i} exited (${signal ?? `code ${code}`})\n`);
              done();
            }),
          ),
        );
      }
      process.stdout.write(
        [
          `devnet: ${n} validators of ${resolve(opts.home)}`,
          ...genesis.committee.validators.map(
            (_, i) =>
              `  validator ${i}  rpc ${rpcUrlOf(genesis, i)}  metrics http://127.0.0.1:${p2pPortOf(genesis, i) + METRICS_PORT_OFFSET}/metrics`,
          ),
          `  try: npx mass tx transfer --home ${opts.home} --from ${opts.home}/keys/faucet.json --to <address> --amount 1000`,
          "  Ctrl-C stops all of them",
          "",
        ].join("\n"),
      );
      const stopAll = () => {
        if (stopping) return;
        stopping = true;
        process.stdout.write("devnet: stopping validators\n");
        for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
        setTimeout(() => {
          for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
        }, STOP_GRACE_MS).unref();
      };
      process.once("SIGINT", stopAll);
      process.once("SIGTERM", stopAll);
      await Promise.all(exited);
      process.off("SIGINT", stopAll);
      process.off("SIGTERM", stopAll);
    });
}
