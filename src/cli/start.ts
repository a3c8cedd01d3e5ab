import { isIP } from "node:net";
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { buildInfo } from "../node/buildInfo.js";
import { describeError } from "../node/describeError.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { loadRulePacks } from "../node/genesis.js";
import { readKeyFile } from "../node/keyFile.js";
import { DEFAULT_STATUS_INTERVAL_MS } from "../node/statusLine.js";
import { ValidatorNode } from "../node/validatorNode.js";
import { MassError } from "../util/errors.js";
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

/** RPC and metrics listen here unless told otherwise: this machine only, nothing exposed by default. */
const DEFAULT_LISTEN_HOST = "127.0.0.1";
/** The status line at most this far apart: a longer interval is as good as none for an operator. */
export const MAX_STATUS_INTERVAL_S = 3_600;
/** A host name (RFC 1123 labels) when it is not an IP address. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A commander parser for a listen address: an IPv4 or IPv6 address, or a host name. */
function parseHost(name: string) {
  return (value: string): string => {
    if (isIP(value) !== 0 || HOST_NAME.test(value)) return value;
    throw new InvalidArgumentError(`${name} must be an IP address or a host name, got "${value}"`);
  };
}

interface StartOptions {
  home: string;
  validator: number;
  key?: string;
  data?: string;
  rpcPort?: number;
  metricsPort?: number;
  rpcHost: string;
  rpcCors: string[];
  metricsHost: string;
  statusInterval: number;
  logLevel: string;
  logFormat: LogFormat;
  repair?: boolean;
  executionThreads?: number;
}

/** `--rpc-cors`: "*" or origins (scheme://host[:port], no path), comma-separated. */
function parseOrigins(value: string): string[] {
  const origins = value
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
  for (const origin of origins) {
    if (origin === "*") continue;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new InvalidArgumentError(`--rpc-cors: "${origin}" is not an origin like https://app.example`);
    }
    if (url.origin !== origin) {
      throw new InvalidArgumentError(`--rpc-cors: "${origin}" is not an origin (expected ${url.origin})`);
    }
  }
  return origins;
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
      "--rpc-host <address>",
      "address JSON-RPC and the /health probes listen on (127.0.0.1: this machine only; 0.0.0.0 exposes them on every interface)",
      parseHost("--rpc-host"),
      DEFAULT_LISTEN_HOST,
    )
    .option(
      "--rpc-cors <origins>",
      'origins whose browser pages may call JSON-RPC, comma-separated ("https://app.example", or "*" for any); default: none',
      parseOrigins,
      [],
    )
    .option(
      "--metrics-host <address>",
      "address /metrics and the /health probes listen on (127.0.0.1: this machine only; 0.0.0.0 exposes them on every interface)",
      parseHost("--metrics-host"),
      DEFAULT_LISTEN_HOST,
    )
    .option(
      "--status-interval <seconds>",
      "log a status line (height, finality, round, peers, pool, tx/s) this often; 0: never",
      parseInteger("--status-interval", 0, MAX_STATUS_INTERVAL_S),
      DEFAULT_STATUS_INTERVAL_MS / 1000,
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
      logger.info("starting mass-l1", { ...buildInfo(), home: resolve(opts.home) });
      const node = await ValidatorNode.create({
        genesis,
        rulePacks,
        key,
        dataDir: opts.data ?? dataDirOf(opts.home, index < 0 ? opts.validator : index),
        rpc: {
          host: opts.rpcHost,
          port: opts.rpcPort ?? p2pPort + RPC_PORT_OFFSET,
          corsOrigins: opts.rpcCors,
        },
        metricsEndpoint: { host: opts.metricsHost, port: opts.metricsPort ?? p2pPort + METRICS_PORT_OFFSET },
        statusIntervalMs: opts.statusInterval * 1000,
        logger: logger.child("node"),
        repair: opts.repair === true,
        ...(opts.executionThreads === undefined ? {} : { executionThreads: opts.executionThreads }),
      });
      // A bug in a handler must not take the validator down with it: logged, and the node goes on.
      process.on("unhandledRejection", (err) =>
        logger.error("unhandled rejection (please report)", { error: describeError(err) }),
      );
      await node.start();
      const shutdown = (signal: string) => {
        logger.info(`${signal}: stopping`);
        setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
        node.stop().catch((err) => logger.error("unclean stop", { error: describeError(err) }));
      };
      process.once("SIGINT", () => shutdown("SIGINT"));
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      const failure = await node.stopped;
      if (failure !== undefined) throw new NodeFailedError(failure);
    });
}
