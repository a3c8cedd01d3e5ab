import { Counter, Gauge, type Registry } from "prom-client";

/** What the node says of itself. */
export function createHealthMetrics(registry: Registry) {
  const registers = [registry];
  return {
    status: new Gauge({
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
  };
}

export type HealthMetrics = ReturnType<typeof createHealthMetrics>;
