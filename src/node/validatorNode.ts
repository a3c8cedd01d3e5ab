import { createMetrics, type Metrics } from "../metrics/index.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { Lifecycle } from "../util/lifecycle.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { buildInfo } from "./buildInfo.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";
import { buildParts, type NodeParts, type ValidatorNodeOptions } from "./parts.js";

export type { ValidatorNodeOptions } from "./parts.js";

/**
 * One validator: wiring and lifecycle only. A transaction goes RPC → pool → feeder → consensus
 * worker → consensus (DAG, Bullshark, subscriber) → commit executor → chain → finality; block sync
 * and resync keep consensus inside the peers' gc window. `create` recovers everything from the
 * database; `start` starts the parts in that order and `stop` stops them in reverse.
 */
export class ValidatorNode {
  private readonly lifecycle = new Lifecycle();
  private stopping = false;
  /** Why the node stopped itself; undefined while running or after an asked-for stop. */
  private failure: string | undefined;
  private resolveStopped: (failure: string | undefined) => void = () => {};
  /** Settles when the node has stopped, with the reason when it stopped itself. */
  readonly stopped = new Promise<string | undefined>((resolve) => {
    this.resolveStopped = resolve;
  });
  private parts!: NodeParts;

  private constructor(
    readonly index: number,
    readonly metrics: Metrics,
    private readonly options: ValidatorNodeOptions,
    private readonly log: Logger,
  ) {}

  /** Opens the database and builds every part; nothing listens or runs until `start`. */
  static async create(options: ValidatorNodeOptions): Promise<ValidatorNode> {
    const validators = options.genesis.committee.validators;
    const index = validators.findIndex((v) => bytesEqual(v.publicKey, options.key.publicKey));
    if (index < 0) {
      throw new ConfigError(
        ConfigErrorCode.InvalidKeyFile,
        `key ${toHex(options.key.publicKey)} is not a validator of this genesis`,
      );
    }
    const node = new ValidatorNode(
      index,
      createMetrics(undefined, buildInfo()),
      options,
      options.logger ?? silentLogger,
    );
    const resources: NodeParts["resources"] = [];
    const control = { fail: (reason: string) => node.fail(reason), stopping: () => node.stopping };
    try {
      node.parts = await buildParts(options, index, node.metrics, node.log, control, resources);
    } catch (err) {
      for (const r of resources.reverse()) await r.close().catch(() => {});
      throw err;
    }
    return node;
  }

  get rpcPort(): number {
    return this.parts.rpc.port;
  }

  get metricsPort(): number {
    return this.parts.metricsServer?.port ?? 0;
  }

  /**
   * Starts the parts in data-flow order; on failure, stops what already started and rethrows. RPC
   * and metrics answer before consensus starts, also while a start-up catch-up runs (`syncing`).
   */
  async start(): Promise<void> {
    const p = this.parts;
    const l = this.lifecycle;
    try {
      await l.start("network", p.network);
      await l.start("rpc", p.rpc);
      if (p.metricsServer) await l.start("metrics", p.metricsServer);
      await l.start("status", p.status);
      await l.start("status line", p.statusLine);
      if (p.finality.diverged !== undefined) {
        this.log.error("not starting consensus: this node's state is not the certified one", {
          reason: p.finality.diverged,
        });
        return;
      }
      await l.start("finality", p.finality);
      await l.start("consensus", p.consensus);
      await l.start("pool feeder", p.feeder);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.log.info("validator started", {
      index: this.index,
      height: p.chain.height,
      finalized: p.finality.finalizedHeight,
      p2p: p.network.listenAddresses()[0],
      rpc: `http://${this.options.rpc.host}:${this.rpcPort}`,
      metrics: this.options.metricsEndpoint
        ? `http://${this.options.metricsEndpoint.host}:${this.metricsPort}/metrics`
        : "off",
    });
  }

  /** Stops every started part in reverse order, then closes the pools and the database. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const onError = (name: string, err: unknown) =>
      this.log.error(`stopping ${name} failed`, { error: errorMessage(err) });
    await this.lifecycle.stop(onError);
    for (const r of this.parts.resources.reverse()) await r.close().catch((err) => onError(r.name, err));
    this.log.info("validator stopped", { index: this.index });
    this.resolveStopped(this.failure);
  }

  /** Stops the node for a fault it cannot continue past; `stopped` reports the reason. */
  private fail(reason: string): void {
    if (this.stopping) return;
    this.failure = reason;
    this.log.error(`stopping: ${reason}`);
    void this.stop();
  }
}
