import { Chain } from "../chain/chain.js";
import { CommitExecutor } from "../chain/commitExecutor.js";
import type { RulePack } from "../compliance/rulePack.js";
import { ConsensusCommittee } from "../consensus/committee.js";
import { ConsensusNode } from "../consensus/consensusNode.js";
import { LevelConsensusStore } from "../consensus/store/levelStore.js";
import { VerifyPool } from "../crypto/verifyPool.js";
import { FinalityProtocol } from "../finality/protocol.js";
import { createMetrics, type Metrics } from "../metrics/index.js";
import { P2PNetwork } from "../network/index.js";
import { BatchDecoder } from "../pool/batchDecoder.js";
import { PoolFeeder } from "../pool/feeder.js";
import { LevelPoolJournal } from "../pool/journal.js";
import { TxSignatureCache, type TxVerifier } from "../pool/signatureCache.js";
import { TxPool } from "../pool/txPool.js";
import { massMethods } from "../rpc/methods.js";
import { RpcServer } from "../rpc/server.js";
import { Bucket, Database } from "../state/db/index.js";
import { CatchUp } from "../sync/catchUp.js";
import {
  networkBlockSource,
  networkCertificateSource,
  networkCheckpointSource,
  registerSyncProtocols,
} from "../sync/protocols.js";
import { ResyncingConsensus } from "../sync/resync.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { txSigningMessageOfBytes } from "../types/signing.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { Lifecycle } from "../util/lifecycle.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { poolRunner } from "../vm/executor/block.js";
import { consensusTransport } from "./consensusTransport.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";
import { rpcConnectionLimits } from "./fdBudget.js";
import { peersNeededForQuorum, stallAfterMs } from "./health.js";
import type { KeyPair } from "./keyFile.js";
import { MetricsServer } from "./metricsServer.js";
import { NodeStatusReporter } from "./nodeStatus.js";

export interface ValidatorNodeOptions {
  genesis: Genesis;
  rulePacks: ReadonlyMap<string, RulePack>;
  key: KeyPair;
  dataDir: string;
  /** Listen address for libp2p; default: the validator's address in genesis. */
  listen?: string;
  rpc: { host: string; port: number };
  /** undefined: no metrics endpoint. */
  metricsEndpoint?: { host: string; port: number };
  /** Threads executing harbors in parallel, a per-machine setting; default DEFAULT_EXECUTION_THREADS. */
  executionThreads?: number;
  logger?: Logger;
  /**
   * Discard the chain and state (kept: consensus votes and DAG, the pool journal) and rebuild them
   * by block sync from certified blocks: the remedy for a node that reports itself diverged.
   */
  repair?: boolean;
}

/** What a repair discards: every block-derived bucket; block sync brings them back, certified. */
const REPAIR_BUCKETS = [
  Bucket.ChainBlocks,
  Bucket.ChainBlockHeights,
  Bucket.ChainTransactions,
  Bucket.ChainTxLocations,
  Bucket.ChainReceipts,
  Bucket.ChainFinality,
  Bucket.ChainHead,
  Bucket.ChainPendingMessages,
  Bucket.StateEntries,
];

/** Every part of a validator, built by `create`. */
interface Parts {
  db: Database;
  chain: Chain;
  pool: TxPool;
  network: P2PNetwork;
  consensus: ResyncingConsensus;
  finality: FinalityProtocol;
  feeder: PoolFeeder;
  status: NodeStatusReporter;
  rpc: RpcServer;
  metricsServer: MetricsServer | undefined;
  /** Resources opened by `create`, closed last (reverse order) by `stop`. */
  resources: { name: string; close: () => Promise<void> }[];
}

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
  private parts!: Parts;

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
    const node = new ValidatorNode(index, createMetrics(), options, options.logger ?? silentLogger);
    const resources: Parts["resources"] = [];
    try {
      node.parts = await node.build(resources);
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

  private async build(resources: Parts["resources"]): Promise<Parts> {
    const { genesis, key } = this.options;
    const { metrics, log, index } = this;
    const chainId = genesis.chainId;
    const peers = genesis.committee.validators.map((_, i) => i).filter((i) => i !== index);

    const db = await Database.open(this.options.dataDir);
    resources.push({ name: "database", close: () => db.close() });
    const runner = poolRunner(this.options.executionThreads);
    resources.push({ name: "execution pool", close: () => runner.close() });
    const verifyPool = new VerifyPool();
    resources.push({ name: "verification pool", close: () => verifyPool.close() });

    const verifier: TxVerifier = (tx, encoded, priority) =>
      verifyPool.verify(tx.body.sender, txSigningMessageOfBytes(encoded, tx.body), tx.signature, priority);
    let pool: TxPool | undefined;
    // Transactions this node's pool admitted were verified then; peers' are verified on arrival.
    const signatures = new TxSignatureCache(verifier, (hashHex) => pool?.get(hashHex) !== undefined);
    const chain = await this.openChain(db, runner, signatures);

    const journal = new LevelPoolJournal(db, (message) => log.error(message));
    pool = new TxPool({
      chainId: asciiString(chainId),
      harbors: genesis.harbors.map((h) => asciiString(h.id)),
      accounts: {
        nextNonce: (harbor, sender) => chain.accountNonce(harbor, sender),
        balance: (harbor, sender) => chain.account(harbor, sender).balance,
      },
      metrics: metrics.pool,
      journal,
      verifier,
    });
    const restored = pool.restore(await journal.entries());
    if (restored > 0) log.info("transaction pool restored", { transactions: restored });

    const network = new P2PNetwork(
      {
        index,
        secretKey: key.secretKey,
        committee: genesis.committee.validators.map((v, i) => ({
          index: i,
          publicKey: v.publicKey,
          multiaddr: asciiString(v.address),
        })),
        ...(this.options.listen === undefined ? {} : { listen: this.options.listen }),
      },
      metrics.network,
    );
    network.on("connect", (peer) => log.info("peer connected", { peer }));
    network.on("disconnect", (peer) => log.info("peer disconnected", { peer }));

    const committee = new ConsensusCommittee(genesis.committee);
    const finality = new FinalityProtocol(
      {
        store: chain.store,
        height: () => chain.height,
        committee,
        chainId,
        self: index,
        secretKey: key.secretKey,
        peers,
        gossip: network,
        certificates: networkCertificateSource(network),
        metrics: metrics.finality,
        log,
        onDiverged: (reason) => {
          metrics.health.divergences.inc();
          log.error(`DIVERGED: ${reason}`);
        },
      },
      await chain.store.lastFinalizedHeight(),
    );
    if (this.options.repair !== true) {
      const fault = await chain.stateFault();
      if (fault !== undefined)
        finality.diverge(
          `${fault}; the database was changed or damaged. Restart with \`mass start --repair\``,
        );
    }

    const batches = new BatchDecoder(pool, signatures);
    const executor = new CommitExecutor(
      chain,
      batches,
      metrics.chain,
      log,
      (block) => {
        pool.removeCommitted(block.executed);
        signatures.forget(block.executed.map((t) => t.hashHex));
        pool.unreleaseHashes(block.deferred);
        finality.blockExecuted(block.header.height, block.hash);
      },
      (reason) => this.fail(reason),
    );
    let consensus: ResyncingConsensus | undefined;
    const feeder = new PoolFeeder(pool, () => (this.stopping ? undefined : consensus?.current), log);
    const transport = consensusTransport(network, (from, bytes) =>
      consensus?.current.handleBytes(from, bytes),
    );
    const consensusNode = new ConsensusNode({
      committee: genesis.committee,
      params: genesis.params,
      chainId,
      authority: index,
      secretKey: key.secretKey,
      network: transport,
      store: new LevelConsensusStore(db),
      onOutput: (output) => executor.execute(output),
      onBatch: (batch, digest, own) => batches.stored(batch, digest, own),
      onOrphanedBatches: (refs) => {
        metrics.consensus.orphanedBatches.inc(refs.length);
        void feeder.resubmitOrphaned(refs);
      },
      deliverFrom: chain.nextCommitIndex,
      metrics: metrics.consensus,
      onFatal: (err) => this.fail(`consensus stopped: ${errorMessage(err)}`),
      onError: (err, from, kind) =>
        log.warn("dropped a message that broke a handler", { from, kind, error: errorMessage(err) }),
    });
    const catchUp = new CatchUp({
      chain,
      committee,
      chainId,
      gcDepth: genesis.params.gcDepth,
      peers,
      blocks: networkBlockSource(network),
      checkpoints: networkCheckpointSource(network),
      metrics: metrics.sync,
      log,
      onBlock: (block, certificate) => {
        // Pooled transactions the synced block executed are done; later nonces of their senders move up.
        pool.removeCommitted(block.executed);
        finality.certifiedBySync(certificate.height);
      },
    });
    consensus = new ResyncingConsensus(consensusNode, {
      catchUp,
      repair: this.options.repair === true,
      onFatal: (reason) => this.fail(reason),
    });
    const running = consensus;
    registerSyncProtocols(network, {
      store: chain.store,
      status: () => {
        const s = running.current.running ? running.current.status() : undefined;
        return {
          finalizedHeight: finality.finalizedHeight,
          lastCommittedRound: s?.lastCommittedRound ?? 0,
          gcRound: s?.gcRound ?? 0,
        };
      },
      checkpoint: () => running.current.checkpoint(),
      metrics: metrics.sync,
    });

    const status = new NodeStatusReporter(
      {
        height: () => chain.height,
        finalizedHeight: () => finality.finalizedHeight,
        consensus: () => running.current.status(),
        pendingTransactions: () => pool.size,
        peers: () => network.connectedPeers().length,
        peersForQuorum: peersNeededForQuorum(committee, index),
        committeeSize: committee.size,
        blockSyncing: () => catchUp.active,
        stopping: () => this.stopping,
        diverged: () => finality.diverged,
      },
      stallAfterMs(genesis.params.maxHeaderDelayMs, genesis.params.leaderTimeoutMs),
      metrics.health,
      log,
    );
    const rpc = new RpcServer({
      ...this.options.rpc,
      connectionLimits: rpcConnectionLimits(genesis.committee.validators.length),
      methods: massMethods({
        genesis,
        genesisHash: chain.genesisHash,
        chain,
        pool,
        validatorIndex: index,
        status: () => status.status(),
      }),
      metrics: metrics.rpc,
      onInternalError: (method, err) => log.error("RPC method failed", { method, error: errorMessage(err) }),
    });
    const endpoint = this.options.metricsEndpoint;
    const metricsServer = endpoint === undefined ? undefined : new MetricsServer(metrics.registry, endpoint);
    return { db, chain, pool, network, consensus, finality, feeder, status, rpc, metricsServer, resources };
  }

  /** The chain, emptied of blocks and state first when repairing. */
  private async openChain(
    db: Database,
    runner: ReturnType<typeof poolRunner>,
    signatures: TxSignatureCache,
  ): Promise<Chain> {
    const open = () =>
      Chain.open({
        db,
        genesis: this.options.genesis,
        rulePacks: this.options.rulePacks,
        runner,
        metrics: this.metrics.chain,
        checkSignature: (hashHex, tx, encoded) => signatures.check(hashHex, tx, encoded),
      });
    const chain = await open();
    if (this.options.repair !== true) return chain;
    this.log.warn("repair: discarding the chain and state, to rebuild them by block sync", {
      height: chain.height,
    });
    await db.clearBuckets(REPAIR_BUCKETS);
    return open();
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
