import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { listen } from "../util/listen.js";

/** Serves the registry in Prometheus text format at GET /metrics, on its own port. */
export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly registry: Registry) {}

  async start(endpoint: { host: string; port: number }): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      if (req.method !== "GET" || req.url !== "/metrics") {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        (err) => res.writeHead(500).end(String(err)),
      );
    });
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
