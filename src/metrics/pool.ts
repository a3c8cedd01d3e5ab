import { Counter, Gauge, type Registry } from "prom-client";

/** The transaction pool. */
export function createPoolMetrics(registry: Registry) {
  const registers = [registry];
  return {
    txReceived: new Counter({
      name: "mass_tx_received_total",
      help: "Transactions received from clients",
      registers,
    }),
    txRejected: new Counter({
      name: "mass_tx_rejected_total",
      help: "Transactions the pool rejected, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    poolSize: new Gauge({ name: "mass_txpool_size", help: "Transactions waiting in the pool", registers }),
  };
}

export type PoolMetrics = ReturnType<typeof createPoolMetrics>;
