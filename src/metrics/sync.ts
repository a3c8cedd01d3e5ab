import { Counter, Gauge, type Registry } from "prom-client";

/** Block sync, checkpoints and the requests this node serves for them. */
export function createSyncMetrics(registry: Registry) {
  const registers = [registry];
  return {
    height: new Gauge({
      name: "mass_blocksync_height",
      help: "Height of the last block block sync appended",
      registers,
    }),
    targetHeight: new Gauge({
      name: "mass_blocksync_target_height",
      help: "Height block sync is catching up to",
      registers,
    }),
    blocks: new Counter({
      name: "mass_blocksync_blocks_total",
      help: "Finalized blocks fetched from peers, verified and executed",
      registers,
    }),
    peerFailures: new Counter({
      name: "mass_blocksync_peer_failures_total",
      help: "Block-sync requests that failed or returned a rejected block, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    runs: new Counter({
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
    requestsServed: new Counter({
      name: "mass_sync_requests_served_total",
      help: "Block-sync and checkpoint requests answered, by protocol",
      labelNames: ["protocol"] as const,
      registers,
    }),
    requestsDropped: new Counter({
      name: "mass_sync_requests_dropped_total",
      help: "Block-sync and checkpoint requests refused, by protocol and reason",
      labelNames: ["protocol", "reason"] as const,
      registers,
    }),
  };
}

export type SyncMetrics = ReturnType<typeof createSyncMetrics>;
