import type { Chain } from "../chain/chain.js";
import { CommitExecutor } from "../chain/commitExecutor.js";
import { openChain } from "../chain/repair.js";
import type { RulePack } from "../compliance/rulePack.js";
import { ConsensusCommittee } from "../consensus/committee.js";
import { ConsensusNode } from "../consensus/consensusNode.js";
import { LevelConsensusStore } from "../consensus/store/levelStore.js";
import { VerifyPool } from "../crypto/verifyPool.js";
import { explorerRoutes } from "../explorer/index.js";
import { FinalityProtocol } from "../finality/protocol.js";
import type { Metrics } from "../metrics/index.js";
import { committeeMembers, P2PNetwork } from "../network/index.js";
import { BatchDecoder } from "../pool/batchDecoder.js";
import { PoolFeeder } from "../pool/feeder.js";
import { openPool } from "../pool/open.js";
import { TxSignatureCache, type TxVerifier } from "../pool/signatureCache.js";
import type { TxPool } from "../pool/txPool.js";
import { explorerMethods } from "../rpc/explorerMethods.js";
import { massMethods } from "../rpc/methods.js";
import { RpcServer } from "../rpc/server.js";
import { Database } from "../state/db/index.js";
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
import { errorMessage } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { poolRunner } from "../vm/executor/block.js";
import { consensusTransport } from "./consensusTransport.js";
import { describeError } from "./describeError.js";
import { rpcConnectionLimits } from "./fdBudget.js";
import { peersNeededForQuorum, stallAfterMs } from "./health.js";
import { healthRoutes } from "./healthRoutes.js";
import type { KeyPair } from "./keyFile.js";
import { MetricsServer } from "./metricsServer.js";
import { NodeStatusReporter } from "./nodeStatus.js";
import { DEFAULT_STATUS_INTERVAL_MS, StatusLine } from "./statusLine.js";

export interface ValidatorNodeOptions {
  genesis: Genesis;
  rulePacks: ReadonlyMap<string, RulePack>;
  key: KeyPair;
  dataDir: string;
  /** Listen address for libp2p; default: the validator's address in genesis. */
  listen?: string;
  /** JSON-RPC listen address, and the origins whose browser pages may call it (CORS). */
  rpc: { host: string; port: number; corsOrigins?: readonly string[] };
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
  /** How often the validator logs its status line; 0: never. Default DEFAULT_STATUS_INTERVAL_MS. */
  statusIntervalMs?: number;
}

/** Every part of a validator, built by `create`. */
export interface NodeParts {
  db: Database;
  chain: Chain;
  pool: TxPool;
  network: P2PNetwork;
  consensus: ResyncingConsensus;
  finality: FinalityProtocol;
  feeder: PoolFeeder;
  status: NodeStatusReporter;
  statusLine: StatusLine;
  rpc: RpcServer;
  metricsServer: MetricsServer | undefined;
  /** Resources opened by `create`, closed last (reverse order) by `stop`. */
  resources: { name: string; close: () => Promise<void> }[];
}

/** What the parts may ask of the node that owns them. */
export interface NodeControl {
  /** Stop the node for a fault it cannot continue past. */
  fail(reason: string): void;
  stopping(): boolean;
}

/**
 * Builds every part of a validator over its database, connected along the data flow: RPC → pool →
 * feeder → consensus (worker, primary, DAG, Bullshark, linearizer, subscriber) → commit executor →
 * chain → finality, with sync keeping consensus within the peers' gc window. Opens the database and
 * the thread pools (recorded in `resources` for closing); starts nothing.
 */
export async function buildParts(
  options: ValidatorNodeOptions,
  index: number,
  metrics: Metrics,
  log: Logger,
  node: NodeControl,
  resources: NodeParts["resources"],
): Promise<NodeParts> {
  const { genesis, key } = options;
  const chainId = genesis.chainId;
  const peers = genesis.committee.validators.map((_, i) => i).filter((i) => i !== index);

  const db = await Database.open(options.dataDir);
  resources.push({ name: "database", close: () => db.close() });
  const runner = poolRunner(options.executionThreads);
  resources.push({ name: "execution pool", close: () => runner.close() });
  const verifyPool = new VerifyPool();
  resources.push({ name: "verification pool", close: () => verifyPool.close() });

  const verifier: TxVerifier = (tx, encoded, priority) =>
    verifyPool.verify(tx.body.sender, txSigningMessageOfBytes(encoded, tx.body), tx.signature, priority);
  let pool: TxPool | undefined;
  // Transactions this node's pool admitted were verified then; peers' are verified on arrival.
  const signatures = new TxSignatureCache(verifier, (hashHex) => pool?.get(hashHex) !== undefined);
  const chain = await openChain(
    {
      db,
      genesis,
      rulePacks: options.rulePacks,
      runner,
      metrics: metrics.chain,
      checkSignature: (hashHex, tx, encoded) => signatures.check(hashHex, tx, encoded),
    },
    options.repair === true,
    log,
  );
  pool = await openPool(
    db,
    {
      chainId: asciiString(chainId),
      harbors: genesis.harbors.map((h) => asciiString(h.id)),
      accounts: {
        nextNonce: (harbor, sender) => chain.accountNonce(harbor, sender),
        balance: (harbor, sender) => chain.account(harbor, sender).balance,
      },
      metrics: metrics.pool,
      verifier,
    },
    log,
  );

  const network = new P2PNetwork(
    {
      index,
      secretKey: key.secretKey,
      committee: committeeMembers(genesis.committee),
      ...(options.listen === undefined ? {} : { listen: options.listen }),
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
  if (options.repair !== true) {
    const fault = await chain.stateFault();
    if (fault !== undefined)
      finality.diverge(`${fault}; the database was changed or damaged. Restart with \`mass start --repair\``);
  }

  const batches = new BatchDecoder(pool, signatures);
  /** Transactions executed since start, by consensus and block sync: the status line's tx/s. */
  let executedTransactions = 0;
  const executor = new CommitExecutor(
    chain,
    batches,
    metrics.chain,
    log,
    (block) => {
      executedTransactions += block.executed.length;
      pool.removeCommitted(block.executed);
      signatures.forget(block.executed.map((t) => t.hashHex));
      pool.unreleaseHashes(block.deferred);
      finality.blockExecuted(block.header.height, block.hash);
    },
    (reason) => node.fail(reason),
  );
  let consensus: ResyncingConsensus | undefined;
  const feeder = new PoolFeeder(pool, () => (node.stopping() ? undefined : consensus?.current), log);
  const transport = consensusTransport(network, (from, bytes) => consensus?.current.handleBytes(from, bytes));
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
    onFatal: (err) => node.fail(`consensus stopped: ${errorMessage(err)}`),
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
      executedTransactions += block.executed.length;
      pool.removeCommitted(block.executed);
      finality.certifiedBySync(certificate.height);
    },
  });
  consensus = new ResyncingConsensus(consensusNode, {
    catchUp,
    repair: options.repair === true,
    onFatal: (reason) => node.fail(reason),
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

  metrics.node.peersForQuorum.set(peersNeededForQuorum(committee, index));
  metrics.node.committeeSize.set(committee.size);
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
      stopping: () => node.stopping(),
      diverged: () => finality.diverged,
    },
    stallAfterMs(genesis.params.maxHeaderDelayMs, genesis.params.leaderTimeoutMs),
    metrics.health,
    log,
  );
  const statusLine = new StatusLine(
    {
      status: () => status.status(),
      height: () => chain.height,
      poolSize: () => pool.size,
      executedTransactions: () => executedTransactions,
    },
    options.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS,
    log.child("status"),
  );
  const health = healthRoutes(() => status.status());
  const rpc = new RpcServer({
    ...options.rpc,
    connectionLimits: rpcConnectionLimits(genesis.committee.validators.length),
    methods: {
      ...massMethods({
        genesis,
        genesisHash: chain.genesisHash,
        chain,
        pool,
        validatorIndex: index,
        status: () => status.status(),
      }),
      ...explorerMethods({ genesis, chain, db, status: () => status.status() }),
    },
    metrics: metrics.rpc,
    onInternalError: (method, err) => log.error("RPC method failed", { method, error: describeError(err) }),
    getRoutes: [...health, ...explorerRoutes()],
  });
  const endpoint = options.metricsEndpoint;
  const metricsServer =
    endpoint === undefined ? undefined : new MetricsServer(metrics.registry, endpoint, health);
  return {
    db,
    chain,
    pool,
    network,
    consensus,
    finality,
    feeder,
    status,
    statusLine,
    rpc,
    metricsServer,
    resources,
  };
}
