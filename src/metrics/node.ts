import { collectDefaultMetrics, Gauge, type Registry } from "prom-client";

/** Which build a process runs: the package version and the git commit it was built from. */
export interface BuildInfo {
  version: string;
  /** Full commit hash, or "unknown" when the build came without git (an npm tarball). */
  commit: string;
}

export const UNKNOWN_BUILD: BuildInfo = { version: "unknown", commit: "unknown" };

/**
 * The process and what the node knows of its setup: prom-client's default `process_*` and
 * `nodejs_*` metrics (CPU, memory, file descriptors, event-loop lag, GC), `mass_build_info`, and the
 * committee figures the alert rules compare live values against.
 */
export function createNodeMetrics(registry: Registry, build: BuildInfo) {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const buildInfo = new Gauge({
    name: "mass_build_info",
    help: "Always 1; the labels say which version and git commit this validator runs",
    labelNames: ["version", "commit"] as const,
    registers,
  });
  buildInfo.set({ version: build.version, commit: build.commit }, 1);
  return {
    buildInfo,
    peersForQuorum: new Gauge({
      name: "mass_node_peers_for_quorum",
      help: "Other committee members this validator must be connected to for a quorum of stake",
      registers,
    }),
    committeeSize: new Gauge({
      name: "mass_node_committee_size",
      help: "Validators in the committee, this one included",
      registers,
    }),
  };
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>;
