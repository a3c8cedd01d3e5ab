import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "./buckets.js";
import { createCorridorMetrics } from "./corridors.js";

/** Block execution. */
export function createChainMetrics(registry: Registry) {
  const registers = [registry];
  return {
    blockExecutionSeconds: new Histogram({
      name: "mass_chain_block_execution_seconds",
      help: "From a committed sub-DAG's batches in hand to its block stored",
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    blocks: new Counter({ name: "mass_chain_blocks_total", help: "Blocks executed", registers }),
    height: new Gauge({ name: "mass_chain_height", help: "Height of the last executed block", registers }),
    txExecuted: new Counter({
      name: "mass_tx_executed_total",
      help: "Transactions executed in blocks, by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
    /** The corridors the chain's blocks move value through. */
    corridors: createCorridorMetrics(registry),
  };
}

export type ChainMetrics = ReturnType<typeof createChainMetrics>;
