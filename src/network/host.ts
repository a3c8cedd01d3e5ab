import "./polyfills.js";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import type { ConnectionGater, Ed25519PrivateKey, Libp2p, MultiaddrConnection } from "@libp2p/interface";
import { ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import {
  CONNECTION_CLOSE_TIMEOUT_MS,
  DIAL_TIMEOUT_MS,
  INBOUND_CONNECTION_THRESHOLD,
  INBOUND_UPGRADE_TIMEOUT_MS,
  LIBP2P_MAX_PENDING_CONNECTIONS,
  MAX_CONNECTIONS_PER_PEER,
  MAX_PENDING_HANDSHAKES,
  MAX_PENDING_HANDSHAKES_PER_HOST,
  STREAM_MAX_READ_BUFFER,
  YAMUX_MAX_STREAM_WINDOW,
} from "./constants.js";

export interface HostOptions {
  privateKey: Ed25519PrivateKey;
  listen: string;
  /** Who may connect once authenticated; the host adds its own bounds on unfinished handshakes. */
  gater: ConnectionGater;
  /** Committee peers this host talks to: sizes the connection limits. */
  peers: number;
}

/**
 * A libp2p host (TCP, Noise, Yamux, identify, ping), created stopped. No peer discovery: the peer
 * book comes from genesis and the network dials committee members itself.
 */
export function createHost(options: HostOptions): Promise<Libp2p> {
  // At least one, for a committee of one: libp2p refuses a limit of zero.
  const maxConnections = Math.max(1, options.peers) * MAX_CONNECTIONS_PER_PEER;
  return createLibp2p({
    start: false,
    privateKey: options.privateKey,
    addresses: { listen: [options.listen] },
    // The hard bound on inbound sockets, whatever gets past libp2p's counts while they are torn down.
    transports: [tcp({ maxConnections: LIBP2P_MAX_PENDING_CONNECTIONS + maxConnections })],
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
    connectionGater: withHandshakeSlots(options.gater, new HandshakeSlots()),
    connectionManager: {
      maxConnections,
      maxIncomingPendingConnections: LIBP2P_MAX_PENDING_CONNECTIONS,
      inboundUpgradeTimeout: INBOUND_UPGRADE_TIMEOUT_MS,
      inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
      dialTimeout: DIAL_TIMEOUT_MS,
      connectionCloseTimeout: CONNECTION_CLOSE_TIMEOUT_MS,
    },
  });
}

/** `gater`, with every inbound connection holding a handshake slot until its peer is identified. */
function withHandshakeSlots(gater: ConnectionGater, slots: HandshakeSlots): ConnectionGater {
  return {
    ...gater,
    denyInboundConnection: (maConn) => {
      slots.admit(maConn);
      return gater.denyInboundConnection?.(maConn) ?? false;
    },
    denyInboundEncryptedConnection: (peerId, maConn) => {
      slots.release(maConn);
      return gater.denyInboundEncryptedConnection?.(peerId, maConn) ?? false;
    },
  };
}

/**
 * Inbound connections still in their handshake, bounded per remote host and in total. A newcomer is
 * always admitted: the oldest pending handshake of its host, or of the busiest host when every slot
 * is taken, is aborted instead. Honest handshakes finish in milliseconds, so the oldest is the
 * likeliest idler, and strangers holding slots cannot keep a committee peer out — which refusing
 * newcomers (libp2p's own policy) lets them do, even from the committee's own address.
 */
export class HandshakeSlots {
  private readonly byHost = new Map<string, Set<MultiaddrConnection>>();
  private total = 0;

  admit(maConn: MultiaddrConnection): void {
    const host = hostOf(maConn);
    const own = this.byHost.get(host);
    if (own !== undefined && own.size >= MAX_PENDING_HANDSHAKES_PER_HOST) this.evictOldest(own);
    else if (this.total >= MAX_PENDING_HANDSHAKES) this.evictOldest(this.busiest());
    let pending = this.byHost.get(host);
    if (pending === undefined) {
      pending = new Set();
      this.byHost.set(host, pending);
    }
    pending.add(maConn);
    this.total++;
    maConn.addEventListener("close", () => this.release(maConn), { once: true });
  }

  /** The connection finished its handshake or closed; idempotent. */
  release(maConn: MultiaddrConnection): void {
    const host = hostOf(maConn);
    const pending = this.byHost.get(host);
    if (pending === undefined || !pending.delete(maConn)) return;
    this.total--;
    if (pending.size === 0) this.byHost.delete(host);
  }

  private busiest(): Set<MultiaddrConnection> {
    let busiest = new Set<MultiaddrConnection>();
    for (const pending of this.byHost.values()) if (pending.size > busiest.size) busiest = pending;
    return busiest;
  }

  private evictOldest(pending: Set<MultiaddrConnection>): void {
    const [oldest] = pending;
    if (oldest === undefined) return;
    this.release(oldest);
    oldest.abort(new Error("handshake slot taken by a newer connection"));
  }
}

/** The remote IP (the first component of a TCP address), the unit of the per-host bound. */
function hostOf(maConn: MultiaddrConnection): string {
  return maConn.remoteAddr.getComponents()[0]?.value ?? maConn.remoteAddr.toString();
}
