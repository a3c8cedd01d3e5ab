import "./polyfills.js";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import type { ConnectionGater, Ed25519PrivateKey, Libp2p } from "@libp2p/interface";
import { ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import {
  CONNECTION_CLOSE_TIMEOUT_MS,
  DIAL_TIMEOUT_MS,
  INBOUND_CONNECTION_THRESHOLD,
  STREAM_MAX_READ_BUFFER,
  YAMUX_MAX_STREAM_WINDOW,
} from "./constants.js";

export interface HostOptions {
  privateKey: Ed25519PrivateKey;
  listen: string;
  gater: ConnectionGater;
}

/**
 * A libp2p host (TCP, Noise, Yamux, identify, ping), created stopped. No peer discovery: the peer
 * book comes from genesis and the network dials committee members itself.
 */
export function createHost(options: HostOptions): Promise<Libp2p> {
  return createLibp2p({
    start: false,
    privateKey: options.privateKey,
    addresses: { listen: [options.listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [
      yamux({
        streamOptions: {
          maxStreamWindowSize: YAMUX_MAX_STREAM_WINDOW,
          maxReadBufferLength: STREAM_MAX_READ_BUFFER,
        },
      }),
    ],
    services: { identify: identify(), ping: ping() },
    connectionGater: options.gater,
    connectionManager: {
      inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
      dialTimeout: DIAL_TIMEOUT_MS,
      connectionCloseTimeout: CONNECTION_CLOSE_TIMEOUT_MS,
    },
  });
}
