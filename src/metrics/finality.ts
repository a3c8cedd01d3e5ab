import { Counter, Gauge, type Registry } from "prom-client";

/** Block finality: signatures gathered, certificates formed or backfilled. */
export function createFinalityMetrics(registry: Registry) {
  const registers = [registry];
  return {
    finalizedHeight: new Gauge({
      name: "mass_chain_finalized_height",
      help: "Height of the last block with a finality certificate",
      registers,
    }),
    signaturesDropped: new Counter({
      name: "mass_finality_signatures_dropped_total",
      help: "Block signatures dropped, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    disagreements: new Counter({
      name: "mass_finality_disagreements_total",
      help: "Committee members that signed a different header for a height this node executed",
      registers,
    }),
  };
}

export type FinalityMetrics = ReturnType<typeof createFinalityMetrics>;
