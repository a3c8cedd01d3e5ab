import { Counter, Histogram, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "./buckets.js";

/** The JSON-RPC server. */
export function createRpcMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: "mass_rpc_requests_total",
      help: "JSON-RPC calls, by method and outcome",
      labelNames: ["method", "outcome"] as const,
      registers,
    }),
    latency: new Histogram({
      name: "mass_rpc_latency_seconds",
      help: "JSON-RPC call latency, by method",
      labelNames: ["method"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

export type RpcMetrics = ReturnType<typeof createRpcMetrics>;
