import { Counter, Gauge, type Registry } from "prom-client";

/** A corridor as its gauges show it; read from the chain when Prometheus scrapes. */
export interface CorridorSample {
  id: string;
  /** Lifecycle state as mass_getCorridor names it: ACTIVE, SUSPENDED, … */
  state: string;
  /** Transfers departed through it and neither credited nor refunded yet. */
  openTransfers: number;
  /** Their value, in native units. */
  valueInFlight: bigint;
}

/**
 * Corridors between harbors: receipts appended to their receipt chains (counted as blocks commit),
 * and gauges of their state, open transfers and value in flight, computed at scrape time from
 * what `watch` was given, so they cost nothing per block and are current from the first scrape.
 */
export function createCorridorMetrics(registry: Registry) {
  const registers = [registry];
  let source: () => readonly CorridorSample[] = () => [];
  return {
    receipts: new Counter({
      name: "mass_corridor_receipts_total",
      help: "Receipts appended to corridors' receipt chains, by corridor and kind (DEPARTURE, ARRIVAL, REFUSAL, REFUND, TRANSITION)",
      labelNames: ["corridor", "kind"] as const,
      registers,
    }),
    state: new Gauge({
      name: "mass_corridor_state",
      help: "1 for a corridor's current lifecycle state",
      labelNames: ["corridor", "state"] as const,
      registers,
      collect() {
        // Reset: a corridor that changed state drops its old series instead of reporting both.
        this.reset();
        for (const c of source()) this.set({ corridor: c.id, state: c.state }, 1);
      },
    }),
    transfersOpen: new Gauge({
      name: "mass_corridor_transfers_open",
      help: "Transfers in transit through a corridor (departed, neither credited nor refunded)",
      labelNames: ["corridor"] as const,
      registers,
      collect() {
        for (const c of source()) this.set({ corridor: c.id }, c.openTransfers);
      },
    }),
    valueInFlight: new Gauge({
      name: "mass_corridor_value_in_flight",
      help: "Native value in transit through a corridor (a float: exact below 2^53 units)",
      labelNames: ["corridor"] as const,
      registers,
      collect() {
        for (const c of source()) this.set({ corridor: c.id }, Number(c.valueInFlight));
      },
    }),
    /** Where the gauges read corridors from; the chain sets it when it opens (a later chain replaces it). */
    watch(read: () => readonly CorridorSample[]): void {
      source = read;
    },
  };
}

export type CorridorMetrics = ReturnType<typeof createCorridorMetrics>;
