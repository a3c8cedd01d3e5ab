import { Counter, Gauge, Histogram, Registry } from "prom-client";

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
    peers: new Gauge({ name: "mass_peers", help: "Connected committee peers", registers }),
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
