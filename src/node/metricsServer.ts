import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { ConnectionGuard } from "../util/connectionGuard.js";
import { listen } from "../util/listen.js";
import { METRICS_CONNECTION_LIMITS } from "./fdBudget.js";

/** A scraper sends a bodiless GET: its headers arrive at once or never. */
const METRICS_HEADERS_TIMEOUT_MS = 5_000;

/** Serves the registry in Prometheus text format at GET /metrics, on its own port. */
export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly registry: Registry) {}

  async start(endpoint: { host: string; port: number }): Promise<AddressInfo> {
    const server = createServer(
      {
        headersTimeout: METRICS_HEADERS_TIMEOUT_MS,
        requestTimeout: METRICS_HEADERS_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => {
        res.on("error", () => res.destroy());
        if (req.method !== "GET" || req.url !== "/metrics") {
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
    return listen(server, endpoint.host, endpoint.port, "metrics");
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
