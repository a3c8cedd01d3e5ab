import { Registry } from "prom-client";
import { createChainMetrics } from "./chain.js";
import { createConsensusMetrics } from "./consensus.js";
import { createCorridorMetrics } from "./corridors.js";
import { createFinalityMetrics } from "./finality.js";
import { createHealthMetrics } from "./health.js";
import { createNetworkMetrics } from "./network.js";
import { type BuildInfo, createNodeMetrics, UNKNOWN_BUILD } from "./node.js";
import { createPoolMetrics } from "./pool.js";
import { createRpcMetrics } from "./rpc.js";
import { createSyncMetrics } from "./sync.js";

export type { ChainMetrics } from "./chain.js";
export type { ConsensusMetrics } from "./consensus.js";
export type { CorridorMetrics, CorridorSample } from "./corridors.js";
export type { FinalityMetrics } from "./finality.js";
export type { HealthMetrics } from "./health.js";
export type { NetworkMetrics } from "./network.js";
export type { BuildInfo, NodeMetrics } from "./node.js";
export type { PoolMetrics } from "./pool.js";
export type { RpcMetrics } from "./rpc.js";
export type { SyncMetrics } from "./sync.js";
export {
  createChainMetrics,
  createConsensusMetrics,
  createCorridorMetrics,
  createFinalityMetrics,
  createHealthMetrics,
  createNetworkMetrics,
  createNodeMetrics,
  createPoolMetrics,
  createRpcMetrics,
  createSyncMetrics,
  UNKNOWN_BUILD,
};

/**
 * Every metric of a validator, created once on one registry. Each component takes its own group
 * (`ChainMetrics | null`, …; null in tests) and never creates metrics itself. `build` labels
 * `mass_build_info`; the registry also gets prom-client's default `process_*` and `nodejs_*` metrics.
 */
export function createMetrics(registry: Registry = new Registry(), build: BuildInfo = UNKNOWN_BUILD) {
  return {
    registry,
    node: createNodeMetrics(registry, build),
    consensus: createConsensusMetrics(registry),
    network: createNetworkMetrics(registry),
    pool: createPoolMetrics(registry),
    chain: createChainMetrics(registry),
    finality: createFinalityMetrics(registry),
    sync: createSyncMetrics(registry),
    rpc: createRpcMetrics(registry),
    health: createHealthMetrics(registry),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
export { type Labels, metricTotal, metricValues } from "./read.js";
