import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { GetRoute } from "../rpc/index.js";
import { ConnectionGuard } from "../util/connectionGuard.js";
import type { Startable } from "../util/lifecycle.js";
import { listen } from "../util/listen.js";
import { METRICS_CONNECTION_LIMITS } from "./fdBudget.js";

/** A scraper sends a bodiless GET: its headers arrive at once or never. */
const METRICS_HEADERS_TIMEOUT_MS = 5_000;

/**
 * Serves the registry in Prometheus text format at GET /metrics, on its own port, beside bodiless
 * `routes` (the health probes, so a scraper-only network can probe too). Every other path is a 404.
 */
export class MetricsServer implements Startable {
  private server: Server | undefined;
  private address: AddressInfo | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly endpoint: { host: string; port: number },
    private readonly routes: readonly GetRoute[] = [],
  ) {}

  /** The port it listens on, once started. */
  get port(): number {
    return this.address?.port ?? 0;
  }

  async start(): Promise<void> {
    const server = createServer(
      {
        headersTimeout: METRICS_HEADERS_TIMEOUT_MS,
        requestTimeout: METRICS_HEADERS_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => {
        res.on("error", () => res.destroy());
        const path = (req.url ?? "/").split("?")[0]!;
        const route = this.routes.find((r) => r.path === path);
        if (route !== undefined && (req.method === "GET" || req.method === "HEAD")) {
          Promise.resolve()
            .then(() => route.handle(req, res, path))
            .catch(() => {
              // The same routes on the RPC port log their failures; here the probe just sees a 500.
              if (!res.headersSent) res.writeHead(500);
              res.end();
            });
          return;
        }
        if (req.method !== "GET" || path !== "/metrics") {
          res.writeHead(404).end();
          return;
        }
        this.registry.metrics().then(
          (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
          (err) => res.writeHead(500).end(String(err)),
        );
      },
    );
    new ConnectionGuard(METRICS_CONNECTION_LIMITS).attach(server);
    server.on("clientError", (_err, socket) => socket.destroy());
    this.server = server;
    this.address = await listen(server, this.endpoint.host, this.endpoint.port, "metrics");
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
