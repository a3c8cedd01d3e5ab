import { Command } from "commander";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { loadRulePacks } from "../node/genesis.js";
import { readKeyFile } from "../node/keyFile.js";
import { ValidatorNode } from "../node/validatorNode.js";
import { errorMessage, MassError } from "../util/errors.js";
import { createLogger, type LogFormat, parseLogLevel } from "../util/logger.js";
import { DEFAULT_EXECUTION_THREADS } from "../vm/executor/block.js";
import {
  dataDirOf,
  loadHomeGenesis,
  METRICS_PORT_OFFSET,
  p2pPortOf,
  RPC_PORT_OFFSET,
  validatorKeyPath,
} from "./home.js";
import { parseInteger } from "./parse.js";

/** The validator stopped itself; main prints the reason in one line and exits non-zero. */
class NodeFailedError extends MassError<"NODE_FAILED"> {
  constructor(reason: string) {
    super("NODE_FAILED", `the validator stopped itself: ${reason}`);
  }
}

/** More harbor threads than this only contend for cores: harbors of one block run one per thread. */
const MAX_EXECUTION_THREADS = 64;

/** A second Ctrl-C (or a stuck shutdown) ends the process after this long. */
const FORCED_EXIT_MS = 10_000;

interface StartOptions {
  home: string;
  validator: number;
  key?: string;
  data?: string;
  rpcPort?: number;
  metricsPort?: number;
  logLevel: string;
  logFormat: LogFormat;
  repair?: boolean;
  executionThreads?: number;
}

export function startCommand(): Command {
  return new Command("start")
    .description("run one validator of a home (genesis.json, rulepacks/, keys/)")
    .requiredOption("--home <dir>", "home directory")
    .option(
      "--validator <index>",
      "which validator of the home to run",
      parseInteger("--validator", 0, 255),
      0,
    )
    .option("--key <file>", "validator key file (default: <home>/keys/validator-<index>.json)")
    .option("--data <dir>", "database directory (default: <home>/data/validator-<index>)")
    .option(
      "--rpc-port <port>",
      `JSON-RPC port (default: p2p port + ${RPC_PORT_OFFSET})`,
      parseInteger("--rpc-port", 0, 65_535),
    )
    .option(
      "--metrics-port <port>",
      `metrics port (default: p2p port + ${METRICS_PORT_OFFSET})`,
      parseInteger("--metrics-port", 0, 65_535),
    )
    .option(
      "--execution-threads <n>",
      `threads executing harbors in parallel (default: ${DEFAULT_EXECUTION_THREADS})`,
      parseInteger("--execution-threads", 1, MAX_EXECUTION_THREADS),
    )
    .option("--log-level <level>", "debug, info, warn or error", "info")
    .option("--log-format <format>", "text or json", "text")
    .option(
      "--repair",
      "discard this validator's chain and state and rebuild them by block sync from certified blocks (when mass_health says diverged)",
    )
    .action(async (opts: StartOptions) => {
      const level = parseLogLevel(opts.logLevel);
      if (level === undefined)
        throw new ConfigError(ConfigErrorCode.InvalidArgument, `unknown log level "${opts.logLevel}"`);
      if (opts.logFormat !== "text" && opts.logFormat !== "json") {
        throw new ConfigError(ConfigErrorCode.InvalidArgument, `unknown log format "${opts.logFormat}"`);
      }
      const { genesisPath, genesis } = loadHomeGenesis(opts.home);
      const rulePacks = loadRulePacks(genesisPath, genesis);
      const key = readKeyFile(opts.key ?? validatorKeyPath(opts.home, opts.validator));
      const index = genesis.committee.validators.findIndex(
        (v) => Buffer.compare(v.publicKey, key.publicKey) === 0,
      );
      const p2pPort = p2pPortOf(genesis, index < 0 ? opts.validator : index);
      const logger = createLogger({ level, format: opts.logFormat, name: `v${index < 0 ? "?" : index}` });
      const node = await ValidatorNode.create({
        genesis,
        rulePacks,
        key,
        dataDir: opts.data ?? dataDirOf(opts.home, index < 0 ? opts.validator : index),
        rpc: { host: "127.0.0.1", port: opts.rpcPort ?? p2pPort + RPC_PORT_OFFSET },
        metricsEndpoint: { host: "127.0.0.1", port: opts.metricsPort ?? p2pPort + METRICS_PORT_OFFSET },
        logger: logger.child("node"),
        repair: opts.repair === true,
        ...(opts.executionThreads === undefined ? {} : { executionThreads: opts.executionThreads }),
      });
      // A bug in a handler must not take the validator down with it: logged, and the node goes on.
      process.on("unhandledRejection", (err) =>
        logger.error("unhandled rejection (please report)", { error: errorMessage(err) }),
      );
      await node.start();
      const shutdown = (signal: string) => {
        logger.info(`${signal}: stopping`);
        setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
        node.stop().catch((err) => logger.error("unclean stop", { error: errorMessage(err) }));
      };
      process.once("SIGINT", () => shutdown("SIGINT"));
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      const failure = await node.stopped;
      if (failure !== undefined) throw new NodeFailedError(failure);
    });
}
