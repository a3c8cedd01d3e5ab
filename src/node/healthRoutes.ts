import type { ServerResponse } from "node:http";
import type { GetRoute, NodeStatus } from "../rpc/index.js";

export const LIVE_PATH = "/health/live";
export const READY_PATH = "/health/ready";

/** What the readiness probe answers, as JSON, with 200 when `status` is "ok" and 503 otherwise. */
export interface ReadinessBody {
  status: NodeStatus["status"];
  /** Why the node is not ready; empty when it is. */
  reason: string;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  // Probes must see the node's state now, never a proxy's cached copy.
  res
    .writeHead(code, { "content-type": "application/json", "cache-control": "no-store" })
    .end(`${JSON.stringify(body)}\n`);
}

/**
 * Health probes for load balancers and Kubernetes, served on the RPC and the metrics ports:
 * - `GET /health/live`: 200 whenever the process answers (a wedged event loop does not answer);
 * - `GET /health/ready`: 200 when `mass_health` says "ok", else 503 with `{status, reason}`
 *   (syncing, stalled, diverged, no-peers, stopping): take the validator out of rotation, and
 *   alert if it stays there.
 */
export function healthRoutes(status: () => Pick<NodeStatus, "status" | "reason">): GetRoute[] {
  return [
    { path: LIVE_PATH, handle: (_req, res) => json(res, 200, { status: "alive" }) },
    {
      path: READY_PATH,
      handle: (_req, res) => {
        const { status: s, reason } = status();
        const body: ReadinessBody = { status: s, reason };
        json(res, s === "ok" ? 200 : 503, body);
      },
    },
  ];
}
