import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The network's prom-client metrics; `createNetworkMetrics` registers them, the network updates them. */
export interface NetworkMetrics {
  peersConnected: Gauge;
  messagesSent: Counter<"protocol">;
  bytesSent: Counter<"protocol">;
  messagesReceived: Counter<"protocol">;
  bytesReceived: Counter<"protocol">;
  dropped: Counter<"reason">;
  queuedBytes: Gauge<"peer">;
  queuedMessages: Gauge<"peer">;
  dials: Counter<"outcome">;
  requests: Counter<"protocol" | "outcome">;
  requestSeconds: Histogram<"protocol">;
}

/** Request round trips: sub-millisecond on loopback up to the default 10 s timeout. */
const REQUEST_SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

export function createNetworkMetrics(registry: Registry): NetworkMetrics {
  const registers = [registry];
  return {
    peersConnected: new Gauge({
      name: "mass_network_peers_connected",
      help: "Committee peers with at least one open connection",
      registers,
    }),
    messagesSent: new Counter({
      name: "mass_network_messages_sent_total",
      help: "Messages written to peers' streams",
      labelNames: ["protocol"],
      registers,
    }),
    bytesSent: new Counter({
      name: "mass_network_bytes_sent_total",
      help: "Framed message bytes written to peers' streams",
      labelNames: ["protocol"],
      registers,
    }),
    messagesReceived: new Counter({
      name: "mass_network_messages_received_total",
      help: "Messages received from committee peers and delivered",
      labelNames: ["protocol"],
      registers,
    }),
    bytesReceived: new Counter({
      name: "mass_network_bytes_received_total",
      help: "Message body bytes received from committee peers and delivered",
      labelNames: ["protocol"],
      registers,
    }),
    dropped: new Counter({
      name: "mass_network_dropped_total",
      help: "Messages, streams or connections dropped, by reason",
      labelNames: ["reason"],
      registers,
    }),
    queuedBytes: new Gauge({
      name: "mass_network_outbound_queue_bytes",
      help: "Bytes queued for a peer and not yet written",
      labelNames: ["peer"],
      registers,
    }),
    queuedMessages: new Gauge({
      name: "mass_network_outbound_queue_messages",
      help: "Messages queued for a peer and not yet written",
      labelNames: ["peer"],
      registers,
    }),
    dials: new Counter({
      name: "mass_network_dials_total",
      help: "Dials to committee peers, by outcome",
      labelNames: ["outcome"],
      registers,
    }),
    requests: new Counter({
      name: "mass_network_requests_total",
      help: "Outgoing requests, by protocol and outcome",
      labelNames: ["protocol", "outcome"],
      registers,
    }),
    requestSeconds: new Histogram({
      name: "mass_network_request_seconds",
      help: "Round-trip time of successful outgoing requests",
      labelNames: ["protocol"],
      buckets: REQUEST_SECONDS_BUCKETS,
      registers,
    }),
  };
}
