import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { DEFAULT_DEVNET_VALIDATORS, genesisPathOf, initDevnetHome } from "../node/devnetHome.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { createLogger, type LogFields, type LogFormat, parseLogLevel } from "../util/logger.js";
import { loadHomeGenesis, METRICS_PORT_OFFSET, p2pPortOf, rpcUrlOf } from "./home.js";
import { parseInteger } from "./parse.js";
import { MAX_STATUS_INTERVAL_S } from "./start.js";

/** Default home of `mass devnet` (relative to the working directory, ignored by git). */
export const DEFAULT_DEVNET_HOME = ".devnet";
/** After SIGTERM, a validator that has not exited by then is killed. */
const STOP_GRACE_MS = 8_000;
const BIN = fileURLToPath(new URL("../../../bin/mass.js", import.meta.url));

interface DevnetOptions {
  home: string;
  logLevel: string;
  logFormat: LogFormat;
  statusInterval?: number;
}

/**
 * Devnet's own lines: as they are in a terminal (text), or, with `--log-format json`, JSON records
 * like the validators' so one collector reads the whole output.
 */
function devnetOutput(format: LogFormat) {
  const json =
    format === "json"
      ? {
          out: createLogger({ format, name: "devnet", write: (l) => process.stdout.write(l) }, "devnet"),
          err: createLogger({ format, name: "devnet", write: (l) => process.stderr.write(l) }, "devnet"),
        }
      : undefined;
  return {
    info(text: string, message: string, fields?: LogFields): void {
      if (json) json.out.info(message, fields);
      else process.stdout.write(`${text}\n`);
    },
    warn(text: string, message: string, fields?: LogFields): void {
      if (json) json.err.warn(message, fields);
      else process.stderr.write(`${text}\n`);
    },
  };
}

export function devnetCommand(): Command {
  return new Command("devnet")
    .description("run every validator of a devnet home on this machine (creates the home if missing)")
    .option("--home <dir>", "devnet home", DEFAULT_DEVNET_HOME)
    .option("--log-level <level>", "debug, info, warn or error", "info")
    .option("--log-format <format>", "text or json (the validators' logs and devnet's own lines)", "text")
    .option(
      "--status-interval <seconds>",
      "each validator's status-line interval (see mass start --help)",
      parseInteger("--status-interval", 0, MAX_STATUS_INTERVAL_S),
    )
    .action(async (opts: DevnetOptions) => {
      if (parseLogLevel(opts.logLevel) === undefined)
        throw new ConfigError(ConfigErrorCode.InvalidArgument, `unknown log level "${opts.logLevel}"`);
      if (opts.logFormat !== "text" && opts.logFormat !== "json")
        throw new ConfigError(ConfigErrorCode.InvalidArgument, `unknown log format "${opts.logFormat}"`);
      const say = devnetOutput(opts.logFormat);
      if (!existsSync(genesisPathOf(opts.home))) {
        initDevnetHome({ dir: opts.home, validators: DEFAULT_DEVNET_VALIDATORS });
        say.info(
          `created devnet home ${resolve(opts.home)} with ${DEFAULT_DEVNET_VALIDATORS} validators`,
          "created devnet home",
          { home: resolve(opts.home), validators: DEFAULT_DEVNET_VALIDATORS },
        );
      }
      const { genesis } = loadHomeGenesis(opts.home);
      const n = genesis.committee.validators.length;
      const children: ChildProcess[] = [];
      const exited: Promise<void>[] = [];
      let stopping = false;
      const passed = [
        ...["--log-level", opts.logLevel, "--log-format", opts.logFormat],
        ...(opts.statusInterval === undefined ? [] : ["--status-interval", String(opts.statusInterval)]),
      ];
      for (let i = 0; i < n; i++) {
        const child = spawn(
          process.execPath,
          [BIN, "start", "--home", opts.home, "--validator", String(i), ...passed],
          { stdio: ["ignore", "inherit", "inherit"] },
        );
        children.push(child);
        exited.push(
          new Promise((done) =>
            child.once("exit", (code, signal) => {
              if (!stopping) {
                const how = signal ?? `code ${code}`;
                say.warn(`devnet: validator ${i} exited (${how})`, "validator exited", {
                  validator: i,
                  ...(signal === null ? { code } : { signal }),
                });
              }
              done();
            }),
          ),
        );
      }
      const endpoints = genesis.committee.validators.map((_, i) => ({
        validator: i,
        rpc: rpcUrlOf(genesis, i),
        metrics: `http://127.0.0.1:${p2pPortOf(genesis, i) + METRICS_PORT_OFFSET}/metrics`,
      }));
      say.info(
        [
          `devnet: ${n} validators of ${resolve(opts.home)}`,
          ...endpoints.map((e) => `  validator ${e.validator}  rpc ${e.rpc}  metrics ${e.metrics}`),
          `  explorer ${rpcUrlOf(genesis, 0)}explorer/`,
          `  try: npx mass tx transfer --home ${opts.home} --from ${opts.home}/keys/faucet.json --to <address> --amount 1000`,
          "  Ctrl-C stops all of them",
        ].join("\n"),
        "devnet started",
        { home: resolve(opts.home), validators: endpoints },
      );
      const stopAll = () => {
        if (stopping) return;
        stopping = true;
        say.info("devnet: stopping validators", "stopping validators");
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
