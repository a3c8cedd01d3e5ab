import { Registry } from "prom-client";
import { Chain, type ExecutedBlock } from "../chain/chain.js";
import { ChainError, ChainErrorCode } from "../chain/errors.js";
import type { RulePack } from "../compliance/rulePack.js";
import { ConsensusNode } from "../consensus/consensusNode.js";
import { MessageKind } from "../consensus/messages.js";
import type { ConsensusNetwork } from "../consensus/network.js";
import type { CommittedSubDag } from "../consensus/primary/core.js";
import { LevelConsensusStore } from "../consensus/store/levelStore.js";
import { SubmitResult } from "../consensus/worker/worker.js";
import { sign } from "../crypto/ed25519.js";
import { VerifyPool } from "../crypto/verifyPool.js";
import { FinalityBackfill } from "../finality/backfill.js";
import { describeDisagreement, FinalityCollector } from "../finality/collector.js";
import { createMetrics, type Metrics } from "../metrics/index.js";
import { P2PNetwork } from "../network/index.js";
import { LevelPoolJournal } from "../pool/journal.js";
import { TxSignatureCache, type TxVerifier } from "../pool/signatureCache.js";
import { TxPool } from "../pool/txPool.js";
import { HEALTH_STATUSES, type HealthStatus, massMethods, type NodeStatus } from "../rpc/methods.js";
import { RpcServer } from "../rpc/server.js";
import { Bucket, Database } from "../state/db/index.js";
import { CatchUp } from "../sync/catchUp.js";
import { SyncError, SyncErrorCode } from "../sync/errors.js";
import {
  networkBlockSource,
  networkCertificateSource,
  networkCheckpointSource,
  registerSyncProtocols,
} from "../sync/protocols.js";
import { BlockSignature } from "../types/block.js";
import type { Batch, BatchRef } from "../types/consensus.js";
import { MAX_SYNC_DIGESTS } from "../types/consensusMessages.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import {
  blockHash,
  consensusSigningMessage,
  SigningDomain,
  txHashOfBytes,
  txSigningMessageOfBytes,
} from "../types/signing.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { poolRunner } from "../vm/executor/block.js";
import { consensusTransport } from "./consensusTransport.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";
import { rpcConnectionLimits } from "./fdBudget.js";
import { HealthMonitor, peersNeededForQuorum, stallAfterMs } from "./health.js";
import type { KeyPair } from "./keyFile.js";
import { MetricsServer } from "./metricsServer.js";

const FINALITY_PROTOCOL = "/mass/finality/1.0.0";
/** How often pooled transactions whose turn has come move into the worker's batches. */
const POOL_PUMP_INTERVAL_MS = 5;
/** Bytes moved per pump: about two default batches, so a burst drains in a few pumps. */
const POOL_PUMP_BYTES = 1024 * 1024;

/** Rounds behind the highest certified round at which the node reports itself as syncing. */
const SYNCING_LAG_ROUNDS = 4;
/** A consensus that does not stop within this (a commit stuck on batches nobody holds) is abandoned. */
const CONSENSUS_STOP_TIMEOUT_MS = 5_000;
/** Wait between requests for missing committed batches. */
const BATCH_FETCH_RETRY_MS = 200;
/** Requests sent to the batch's author alone before asking every peer. */
const BATCH_FETCH_AUTHOR_ATTEMPTS = 3;

const conflictReason = (height: number, localHash: Uint8Array, certifiedHash: Uint8Array) =>
  `a quorum certified block ${toHex(certifiedHash)} at height ${height}, but this node executed ${toHex(localHash)}. Restart with \`mass start --repair\``;

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
/** How often the node's health is evaluated for the metric and the log. */
const HEALTH_INTERVAL_MS = 1_000;

/**
 * One validator: libp2p network, Narwhal-Bullshark consensus, the chain (execution and finality),
 * the transaction pool, JSON-RPC and metrics, over one LevelDB. `start` recovers everything from
 * the database; `stop` shuts down in reverse order, leaving the database consistent.
 */
export class ValidatorNode {
  readonly index: number;
  readonly metrics: Metrics;
  private readonly log: Logger;
  private db: Database | undefined;
  private chain: Chain | undefined;
  private pool: TxPool | undefined;
  private network: P2PNetwork | undefined;
  private consensus: ConsensusNode | undefined;
  private transport: ConsensusNetwork | undefined;
  private finality: FinalityCollector | undefined;
  private catchUp: CatchUp | undefined;
  private backfill: FinalityBackfill | undefined;
  private rpc: RpcServer | undefined;
  private metricsServer: MetricsServer | undefined;
  private runner: ReturnType<typeof poolRunner> | undefined;
  private signatures: TxSignatureCache | undefined;
  private verifyPool: VerifyPool | undefined;
  private pumpTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private lastHealth: HealthStatus = "ok";
  /** Why this node's state or blocks disagree with the certified chain; it signs nothing more. */
  private divergence: string | undefined;
  private finalizedHeight = 0;
  /** Every other committee member's index. */
  private readonly peers: number[];
  private stopping = false;
  /** Why the node stopped itself; undefined while running or after an asked-for stop. */
  private failure: string | undefined;
  private resolveStopped: (failure: string | undefined) => void = () => {};
  /** Settles when the node has stopped, with the reason when it stopped itself. */
  readonly stopped = new Promise<string | undefined>((resolve) => {
    this.resolveStopped = resolve;
  });
  rpcPort = 0;
  metricsPort = 0;

  constructor(private readonly options: ValidatorNodeOptions) {
    const validators = options.genesis.committee.validators;
    this.index = validators.findIndex((v) => bytesEqual(v.publicKey, options.key.publicKey));
    if (this.index < 0) {
      throw new ConfigError(
        ConfigErrorCode.InvalidKeyFile,
        `key ${toHex(options.key.publicKey)} is not a validator of this genesis`,
      );
    }
    this.peers = validators.map((_, i) => i).filter((i) => i !== this.index);
    this.metrics = createMetrics(new Registry());
    this.log = options.logger ?? silentLogger;
  }

  /** Starts everything; on failure, stops what already started and rethrows. */
  async start(): Promise<void> {
    try {
      await this.startComponents();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async startComponents(): Promise<void> {
    const { genesis, key } = this.options;
    const log = this.log;
    const chainId = genesis.chainId;
    const db = await Database.open(this.options.dataDir);
    this.db = db;
    this.runner = poolRunner(genesis.params.executionThreads);
    const verifyPool = new VerifyPool();
    this.verifyPool = verifyPool;
    const verifier: TxVerifier = (tx, encoded, priority) =>
      verifyPool.verify(tx.body.sender, txSigningMessageOfBytes(encoded, tx.body), tx.signature, priority);
    // Transactions this node's pool admitted were verified then; peers' are verified on arrival.
    const signatures = new TxSignatureCache(verifier, (hashHex) => this.pool?.get(hashHex) !== undefined);
    this.signatures = signatures;
    const openChain = () =>
      Chain.open({
        db,
        genesis,
        rulePacks: this.options.rulePacks,
        runner: this.runner!,
        metrics: this.metrics.chain,
        checkSignature: (hashHex, tx, encoded) => signatures.check(hashHex, tx, encoded),
      });
    let chain = await openChain();
    const repair = this.options.repair === true;
    if (repair) {
      log.warn("repair: discarding the chain and state, to rebuild them by block sync", {
        height: chain.height,
      });
      await db.clearBuckets(REPAIR_BUCKETS);
      chain = await openChain();
    } else {
      const fault = await chain.stateFault();
      if (fault !== undefined) {
        this.diverge(`${fault}; the database was changed or damaged. Restart with \`mass start --repair\``);
      }
    }
    this.chain = chain;
    this.finalizedHeight = await chain.store.lastFinalizedHeight();
    const journal = new LevelPoolJournal(db, (message) => log.error(message));
    this.pool = new TxPool({
      chainId: asciiString(chainId),
      harbors: genesis.harbors.map((h) => asciiString(h.id)),
      accounts: {
        nextNonce: (harbor, sender) => chain.accountNonce(harbor, sender),
        balance: (harbor, sender) => chain.account(harbor, sender).balance,
      },
      metrics: this.metrics.pool,
      journal,
      verifier,
    });
    const restored = this.pool.restore(await journal.entries());
    if (restored > 0) log.info("transaction pool restored", { transactions: restored });

    const network = new P2PNetwork(
      {
        index: this.index,
        secretKey: key.secretKey,
        committee: genesis.committee.validators.map((v, index) => ({
          index,
          publicKey: v.publicKey,
          multiaddr: asciiString(v.address),
        })),
        ...(this.options.listen === undefined ? {} : { listen: this.options.listen }),
      },
      this.metrics.network,
    );
    this.network = network;

    const transport = consensusTransport(network, (from, bytes) => this.consensus?.handleBytes(from, bytes));
    const consensus: ConsensusNode = new ConsensusNode({
      committee: genesis.committee,
      params: genesis.params,
      chainId,
      authority: this.index,
      secretKey: key.secretKey,
      network: transport,
      store: new LevelConsensusStore(db),
      onCommit: (subDag) => this.onCommit(subDag),
      onPeerBatch: (batch) => signatures.prefetch(batch.transactions),
      onOrphanedBatches: (refs) => void this.resubmitOrphaned(refs),
      deliverFrom: chain.nextCommitIndex,
      metrics: this.metrics.consensus,
      onFatal: (err) => this.fail(`consensus stopped: a store write failed: ${errorMessage(err)}`),
      onError: (err, from, kind) =>
        log.warn("dropped a message that broke a handler", { from, kind, error: errorMessage(err) }),
    });
    this.consensus = consensus;
    this.transport = transport;

    this.finality = new FinalityCollector(
      consensus.committee,
      chainId,
      {
        onFinal: (certificate) => {
          this.markFinal(certificate.height);
          void chain.store.putFinality(certificate).catch((err) =>
            log.error("cannot store a finality certificate", {
              height: certificate.height,
              error: errorMessage(err),
            }),
          );
        },
        onDisagreement: (d) => {
          this.metrics.finality.disagreements.inc();
          log.error(`header disagreement: ${describeDisagreement(d)}`, {
            height: d.height,
            signer: d.signer,
          });
        },
        onConflict: (c) => this.diverge(conflictReason(c.height, c.localHash, c.certifiedHash)),
        onInvalid: (reason) => this.metrics.finality.signaturesDropped.inc({ reason }),
      },
      this.finalizedHeight + 1,
    );

    network.registerMessageProtocol(
      { id: FINALITY_PROTOCOL, maxMessageSize: BlockSignature.maxSize },
      (_from, _protocol, bytes) => {
        try {
          this.finality?.add(BlockSignature.deserialize(bytes));
        } catch {
          this.metrics.finality.signaturesDropped.inc({ reason: "malformed" });
        }
      },
    );
    registerSyncProtocols(network, {
      store: chain.store,
      status: () => {
        const s = this.consensus?.running === true ? this.consensus.status() : undefined;
        return {
          finalizedHeight: this.finalizedHeight,
          lastCommittedRound: s?.lastCommittedRound ?? 0,
          gcRound: s?.gcRound ?? 0,
        };
      },
      checkpoint: () => this.consensus?.checkpoint(),
      metrics: this.metrics.sync,
    });
    const catchUp = new CatchUp({
      chain,
      committee: consensus.committee,
      chainId,
      gcDepth: genesis.params.gcDepth,
      peers: this.peers,
      blocks: networkBlockSource(network),
      checkpoints: networkCheckpointSource(network),
      metrics: this.metrics.sync,
      log,
      onBlock: (block, certificate) => {
        // Pooled transactions the synced block executed are done; later nonces of their senders move up.
        this.pool?.removeCommitted(block.executed);
        this.markFinal(certificate.height);
        this.finality?.advance(certificate.height);
      },
    });
    this.catchUp = catchUp;
    this.backfill = new FinalityBackfill({
      store: chain.store,
      height: () => chain.height,
      committee: consensus.committee,
      chainId,
      peers: this.peers,
      source: networkCertificateSource(network),
      log,
      onCertificate: async (certificate) => {
        await chain.store.putFinality(certificate);
        this.markFinal(certificate.height);
        this.finality?.settle(certificate.height);
      },
      onConflict: (height, localHash, certifiedHash) =>
        this.diverge(conflictReason(height, localHash, certifiedHash)),
      onInvalid: (reason) => this.metrics.finality.signaturesDropped.inc({ reason }),
    });
    network.on("connect", (peer) => log.info("peer connected", { peer }));
    network.on("disconnect", (peer) => log.info("peer disconnected", { peer }));

    await network.start();
    // RPC and metrics answer from here on, also while a start-up catch-up runs (mass_health says "syncing").
    const health = new HealthMonitor(
      stallAfterMs(genesis.params.maxHeaderDelayMs, genesis.params.leaderTimeoutMs),
    );
    const peersForQuorum = peersNeededForQuorum(consensus.committee, this.index);
    const status = (): NodeStatus => {
      const s = this.consensus!.status();
      const { status, reason } = health.observe({
        now: Date.now(),
        height: chain.height,
        consensusRound: s.round,
        pendingTransactions: this.pool?.size ?? 0,
        peers: network.connectedPeers().length,
        peersForQuorum,
        // Behind the DAG's front by more than a few rounds, or catching up by block sync.
        syncing: s.highestRound - s.round > SYNCING_LAG_ROUNDS || this.catchUp?.active === true,
        stopping: this.stopping,
        diverged: this.divergence,
      });
      this.reportHealth(status, reason);
      return {
        status,
        reason,
        blockSyncing: this.catchUp?.active === true,
        peers: network.connectedPeers().length,
        committeeSize: consensus.committee.size,
        consensusRound: s.round,
        finalizedHeight: this.finalizedHeight,
      };
    };
    // Evaluated on every RPC status answer too; the timer keeps the metric and the log current without clients.
    this.healthTimer = setInterval(status, HEALTH_INTERVAL_MS);
    this.rpc = new RpcServer({
      ...this.options.rpc,
      connectionLimits: rpcConnectionLimits(genesis.committee.validators.length),
      methods: massMethods({
        genesis,
        genesisHash: chain.genesisHash,
        chain,
        pool: this.pool,
        validatorIndex: this.index,
        status,
      }),
      metrics: this.metrics.rpc,
      onInternalError: (method, err) => log.error("RPC method failed", { method, error: errorMessage(err) }),
    });
    this.rpcPort = (await this.rpc.start()).port;
    if (this.options.metricsEndpoint) {
      this.metricsServer = new MetricsServer(this.metrics.registry);
      this.metricsPort = (await this.metricsServer.start(this.options.metricsEndpoint)).port;
    }
    if (this.divergence !== undefined) {
      log.error("not starting consensus: this node's state is not the certified one", {
        reason: this.divergence,
      });
      return;
    }
    if (repair || (await catchUp.behindAtStart()))
      this.consensus = consensus.withCheckpoint(await catchUp.run(repair ? "repair" : "start"));
    // Blocks executed before a restart but not yet final: sign them again for peers still collecting.
    for (let h = this.finalizedHeight + 1; h <= chain.height; h++) {
      const block = await chain.store.blockByHeight(h);
      if (block) this.signBlock(h, blockHash(block.header));
    }
    await this.consensus.start();
    catchUp.watch(
      () => this.consensus?.running === true,
      (trigger) => this.resync(trigger),
    );

    this.backfill.start();
    this.pumpTimer = setInterval(() => this.pumpPool(), POOL_PUMP_INTERVAL_MS);
    log.info("validator started", {
      index: this.index,
      height: chain.height,
      finalized: this.finalizedHeight,
      p2p: network.listenAddresses()[0],
      rpc: `http://${this.options.rpc.host}:${this.rpcPort}`,
      metrics: this.metricsServer
        ? `http://${this.options.metricsEndpoint!.host}:${this.metricsPort}/metrics`
        : "off",
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.pumpTimer);
    clearInterval(this.healthTimer);
    this.catchUp?.stop();
    await this.backfill?.stop();
    await this.rpc?.stop();
    await this.metricsServer?.stop();
    await this.consensus?.stop();
    await this.network?.stop();
    await this.runner?.close();
    await this.verifyPool?.close();
    await this.db?.close();
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

  /**
   * A running validator fell behind its peers' gc window: stops consensus, catches up by block sync
   * and a checkpoint, and starts consensus again from there.
   */
  private async resync(trigger: string): Promise<void> {
    const old = this.consensus!;
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      old.stop().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CONSENSUS_STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!stopped) old.crash();
    try {
      const next = old.withCheckpoint(await this.catchUp!.run(trigger));
      this.consensus = next;
      await next.start();
    } catch (err) {
      if (this.stopping) return;
      const fatal = err instanceof SyncError && err.code === SyncErrorCode.ReexecutionMismatch;
      this.fail(`${fatal ? "cannot reproduce a certified block" : "catch-up failed"}: ${errorMessage(err)}`);
    }
  }

  private async onCommit(subDag: CommittedSubDag): Promise<void> {
    const chain = this.chain!;
    const fetched = performance.now();
    const transactions = (await this.committedBatches(subDag)).flatMap((b) => b.transactions);
    const started = performance.now();
    let block: ExecutedBlock;
    try {
      block = await chain.execute({
        commitIndex: subDag.index,
        leaderRound: subDag.leaderRound,
        leaderDigest: subDag.leaderDigest,
        leaderTime: subDag.leader.header.createdAt,
        transactions,
      });
    } catch (err) {
      this.fail(`block execution failed at commit ${subDag.index}: ${errorMessage(err)}`);
      throw err;
    }
    this.pool!.removeCommitted(block.executed);
    this.signatures!.forget(block.executed.map((t) => t.hashHex));
    this.pool!.unreleaseHashes(block.deferred);
    this.signBlock(block.header.height, block.hash);
    const executedMs = performance.now() - started;
    this.metrics.chain.blockExecutionSeconds.observe(executedMs / 1000);
    this.log.debug("block", {
      height: block.header.height,
      txs: block.txHashes.length,
      leaderRound: subDag.leaderRound,
      fetchMs: Math.round(started - fetched),
      commitLagMs: Date.now() - subDag.leader.header.createdAt,
      ...block.timings,
      totalMs: Math.round(executedMs),
    });
  }

  /**
   * The batches of a committed sub-DAG. A validator that caught up through certificate sync may not
   * hold them all: it asks each missing batch's header author (then everyone) until they arrive.
   * A certificate proves a quorum stored its batches, so some honest peer can always answer.
   */
  private async committedBatches(subDag: CommittedSubDag): Promise<Batch[]> {
    const consensus = this.consensus!;
    const authorOf = new Map<string, number>();
    for (const certificate of subDag.certificates) {
      for (const ref of certificate.header.payload)
        authorOf.set(toHex(ref.digest), certificate.header.author);
    }
    for (let attempt = 0; ; attempt++) {
      const batches = await consensus.getBatches(subDag.batches);
      const missing = subDag.batches.filter((_, i) => batches[i] === undefined);
      if (missing.length === 0) return batches as Batch[];
      if (this.stopping)
        throw new ChainError(ChainErrorCode.Stopped, "stopping while fetching committed batches");
      if (attempt === 0)
        this.log.info("fetching committed batches", { commit: subDag.index, missing: missing.length });
      const byPeer = new Map<number, Uint8Array[]>();
      for (const ref of missing) {
        const author = authorOf.get(toHex(ref.digest));
        const peers =
          attempt < BATCH_FETCH_AUTHOR_ATTEMPTS && author !== undefined && author !== this.index
            ? [author]
            : this.peers;
        for (const peer of peers) {
          const list = byPeer.get(peer) ?? [];
          list.push(ref.digest);
          byPeer.set(peer, list);
        }
      }
      for (const [peer, digests] of byPeer) {
        for (let i = 0; i < digests.length; i += MAX_SYNC_DIGESTS) {
          this.transport!.send(peer, {
            kind: MessageKind.BatchesRequest,
            body: { digests: digests.slice(i, i + MAX_SYNC_DIGESTS) },
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, BATCH_FETCH_RETRY_MS));
    }
  }

  /** Hands the transactions of orphaned own batches back to the pool's release queue. */
  private async resubmitOrphaned(refs: BatchRef[]): Promise<void> {
    this.metrics.consensus.orphanedBatches.inc(refs.length);
    try {
      const batches = await this.consensus!.getBatches(refs);
      const hashes = batches.flatMap((b) => b?.transactions.map((tx) => toHex(txHashOfBytes(tx))) ?? []);
      this.pool?.unreleaseHashes(hashes);
      this.log.info("resubmitting transactions of orphaned batches", {
        batches: refs.length,
        transactions: hashes.length,
      });
    } catch (err) {
      // Stopping, or the batches are gone: the pool's release timeout still covers them.
      this.log.debug("cannot read orphaned batches", { error: errorMessage(err) });
    }
  }

  private markFinal(height: number): void {
    this.finalizedHeight = Math.max(this.finalizedHeight, height);
    this.metrics.finality.finalizedHeight.set(this.finalizedHeight);
  }

  /** Marks the node diverged: it stops signing blocks and says so in health, metrics and the log. */
  private diverge(reason: string): void {
    if (this.divergence !== undefined) return;
    this.divergence = reason;
    this.metrics.health.divergences.inc();
    this.log.error(`DIVERGED: ${reason}`);
  }

  /** Sets the health metric and logs each change of status. */
  private reportHealth(status: HealthStatus, reason: string): void {
    for (const s of HEALTH_STATUSES) this.metrics.health.status.set({ status: s }, s === status ? 1 : 0);
    if (status === this.lastHealth) return;
    if (status === "ok") this.log.info("health: ok", { was: this.lastHealth });
    else this.log.warn(`health: ${status}`, { reason });
    this.lastHealth = status;
  }

  private signBlock(height: number, blockHash: Uint8Array): void {
    // A diverged node's blocks are not the chain's: its signature must not help certify them.
    if (this.divergence !== undefined) return;
    const message = consensusSigningMessage(SigningDomain.Block, this.options.genesis.chainId, blockHash);
    const signature: BlockSignature = {
      height,
      blockHash,
      signer: this.index,
      signature: sign(this.options.key.secretKey, message),
    };
    this.finality!.executed(height, blockHash);
    this.finality!.add(signature);
    this.network!.broadcast(FINALITY_PROTOCOL, BlockSignature.serialize(signature));
  }

  /** Moves transactions whose nonce turn has come into the worker; stops at the worker's back-pressure. */
  private pumpPool(): void {
    const pool = this.pool;
    const consensus = this.consensus;
    if (!pool || !consensus || this.stopping) return;
    const ready = pool.takeReady(POOL_PUMP_BYTES);
    for (let i = 0; i < ready.length; i++) {
      if (consensus.submitTransaction(ready[i]!.bytes) === SubmitResult.Busy) {
        pool.unrelease(ready.slice(i));
        return;
      }
    }
  }
}
