import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { MessageKind } from "../consensus/messages.js";
import type { ConsensusMetrics, DropReason } from "../consensus/metrics.js";

/** Latency buckets (seconds) from 5 ms to 10 s: consensus targets < 2 s, RPC answers in ms. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/**
 * Every metric of the node, created once by one factory. Components take `NodeMetrics | null`
 * (null in tests and the simulator) and never create metrics themselves.
 */
export function createNodeMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  return {
    registry,
    consensusRound: new Gauge({
      name: "mass_consensus_round",
      help: "Highest DAG round this validator proposed",
      registers,
    }),
    certificatesFormed: new Counter({
      name: "mass_consensus_certificates_total",
      help: "Certificates accepted into the DAG",
      registers,
    }),
    committedLeaders: new Counter({
      name: "mass_consensus_committed_leaders_total",
      help: "Leaders committed",
      registers,
    }),
    commitLatency: new Histogram({
      name: "mass_consensus_commit_latency_seconds",
      help: "From a certificate's header creation to its commit",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    blockExecutionSeconds: new Histogram({
      name: "mass_chain_block_execution_seconds",
      help: "From a committed sub-DAG's batches in hand to its block stored",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    blocks: new Counter({ name: "mass_chain_blocks_total", help: "Blocks executed", registers }),
    height: new Gauge({ name: "mass_chain_height", help: "Height of the last executed block", registers }),
    finalizedHeight: new Gauge({
      name: "mass_chain_finalized_height",
      help: "Height of the last block with a finality certificate",
      registers,
    }),
    txReceived: new Counter({
      name: "mass_tx_received_total",
      help: "Transactions received from clients",
      registers,
    }),
    txExecuted: new Counter({
      name: "mass_tx_executed_total",
      help: "Transactions executed in blocks, by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
    txRejected: new Counter({
      name: "mass_tx_rejected_total",
      help: "Transactions the pool rejected, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    poolSize: new Gauge({ name: "mass_txpool_size", help: "Transactions waiting in the pool", registers }),
    consensusDropped: new Counter({
      name: "mass_consensus_dropped_total",
      help: "Consensus messages dropped, by kind and reason",
      labelNames: ["kind", "reason"] as const,
      registers,
    }),
    orphanedBatches: new Counter({
      name: "mass_consensus_orphaned_batches_total",
      help: "Own batches whose certificate no leader committed; their transactions were sent again",
      registers,
    }),
    equivocations: new Counter({
      name: "mass_consensus_equivocations_total",
      help: "Equivocating headers detected (evidence stored)",
      registers,
    }),
    finalityInvalid: new Counter({
      name: "mass_finality_signatures_dropped_total",
      help: "Block signatures dropped, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    health: new Gauge({
      name: "mass_health_status",
      help: "1 for the node's current health status (ok, stalled, no-peers, syncing, diverged, stopping), 0 for the others",
      labelNames: ["status"] as const,
      registers,
    }),
    divergences: new Counter({
      name: "mass_divergences_total",
      help: "Times this node found its state or a block it executed disagreeing with the certified chain",
      registers,
    }),
    finalityDisagreements: new Counter({
      name: "mass_finality_disagreements_total",
      help: "Committee members that signed a different header for a height this node executed",
      registers,
    }),
    syncTargetRound: new Gauge({
      name: "mass_sync_target_round",
      help: "Highest round seen from peers",
      registers,
    }),
    syncCommittedRound: new Gauge({
      name: "mass_sync_committed_round",
      help: "Last committed leader round",
      registers,
    }),
    blockSyncHeight: new Gauge({
      name: "mass_blocksync_height",
      help: "Height of the last block block sync appended",
      registers,
    }),
    blockSyncTarget: new Gauge({
      name: "mass_blocksync_target_height",
      help: "Height block sync is catching up to",
      registers,
    }),
    blockSyncBlocks: new Counter({
      name: "mass_blocksync_blocks_total",
      help: "Finalized blocks fetched from peers, verified and executed",
      registers,
    }),
    blockSyncRejected: new Counter({
      name: "mass_blocksync_peer_failures_total",
      help: "Block-sync requests that failed or returned a rejected block, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    blockSyncRuns: new Counter({
      name: "mass_blocksync_runs_total",
      help: "Catch-ups by block sync and checkpoint, by trigger",
      labelNames: ["trigger"] as const,
      registers,
    }),
    checkpointsInstalled: new Counter({
      name: "mass_consensus_checkpoints_installed_total",
      help: "Consensus checkpoints installed after block sync",
      registers,
    }),
    syncRequestsServed: new Counter({
      name: "mass_sync_requests_served_total",
      help: "Block-sync and checkpoint requests answered, by protocol",
      labelNames: ["protocol"] as const,
      registers,
    }),
    syncRequestsDropped: new Counter({
      name: "mass_sync_requests_dropped_total",
      help: "Block-sync and checkpoint requests refused, by protocol and reason",
      labelNames: ["protocol", "reason"] as const,
      registers,
    }),
    rpcRequests: new Counter({
      name: "mass_rpc_requests_total",
      help: "JSON-RPC calls, by method and outcome",
      labelNames: ["method", "outcome"] as const,
      registers,
    }),
    rpcLatency: new Histogram({
      name: "mass_rpc_latency_seconds",
      help: "JSON-RPC call latency, by method",
      labelNames: ["method"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>;

/** The consensus core's metrics interface, reported through the node's prom-client metrics. */
export function consensusMetricsOf(metrics: NodeMetrics): ConsensusMetrics {
  let highestRound = 0;
  return {
    messageDropped: (kind: MessageKind | undefined, reason: DropReason) =>
      metrics.consensusDropped.inc({ kind: kind === undefined ? "unknown" : MessageKind[kind], reason }),
    roundAdvanced: (round) => metrics.consensusRound.set(round),
    certificateAccepted: (round) => {
      metrics.certificatesFormed.inc();
      highestRound = Math.max(highestRound, round);
      metrics.syncTargetRound.set(highestRound);
    },
    leaderCommitted: (leaderRound, _certificates, latencyMs) => {
      metrics.committedLeaders.inc();
      metrics.syncCommittedRound.set(leaderRound);
      metrics.commitLatency.observe(latencyMs / 1000);
    },
    equivocationDetected: () => metrics.equivocations.inc(),
  };
}
