import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "./buckets.js";

/** The consensus core's metrics (primary, worker, committer); the simulator gives each node its own registry. */
export function createConsensusMetrics(registry: Registry) {
  const registers = [registry];
  return {
    round: new Gauge({
      name: "mass_consensus_round",
      help: "Highest DAG round this validator proposed",
      registers,
    }),
    certificates: new Counter({
      name: "mass_consensus_certificates_total",
      help: "Certificates accepted into the DAG",
      registers,
    }),
    highestCertifiedRound: new Gauge({
      name: "mass_sync_target_round",
      help: "Highest round seen from peers",
      registers,
    }),
    committedLeaders: new Counter({
      name: "mass_consensus_committed_leaders_total",
      help: "Leaders committed",
      registers,
    }),
    committedCertificates: new Counter({
      name: "mass_consensus_committed_certificates_total",
      help: "Certificates ordered by committed leaders",
      registers,
    }),
    committedRound: new Gauge({
      name: "mass_sync_committed_round",
      help: "Last committed leader round",
      registers,
    }),
    commitLatency: new Histogram({
      name: "mass_consensus_commit_latency_seconds",
      help: "From a certificate's header creation to its commit",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    dropped: new Counter({
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
  };
}

export type ConsensusMetrics = ReturnType<typeof createConsensusMetrics>;
