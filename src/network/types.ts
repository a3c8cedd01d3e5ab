/** Configuration and callback types of the network layer. */

/** One committee member as genesis names it. */
export interface CommitteeMember {
  index: number;
  /** 32-byte Ed25519 public key: also the member's libp2p identity. */
  publicKey: Uint8Array;
  /** Where the member listens, e.g. "/ip4/127.0.0.1/tcp/7000" (no /p2p suffix needed). */
  multiaddr: string;
}

/** Per-peer inbound limits (token buckets); excess messages are dropped and counted. */
export interface RateLimits {
  messagesPerSecond: number;
  bytesPerSecond: number;
}

/** Per-peer outbound queue bound; a `send` that would exceed it is refused (returns false). */
export interface QueueLimits {
  maxBytes: number;
  maxMessages: number;
}

export interface NetworkConfig {
  /** This validator's committee index. */
  index: number;
  /** This validator's 32-byte Ed25519 secret key (RFC 8032 seed); it must match its committee entry. */
  secretKey: Uint8Array;
  committee: readonly CommitteeMember[];
  /** Listen address; defaults to this member's committee multiaddr. */
  listen?: string;
  queue?: Partial<QueueLimits>;
  inboundRate?: Partial<RateLimits>;
  /** Aborting it stops the network. */
  signal?: AbortSignal;
}

/** Fire-and-forget messages on one protocol. */
export interface MessageProtocol {
  /** Full protocol id, e.g. consensusProtocol("header"). */
  id: string;
  /** Largest message body accepted or sent, in bytes. */
  maxMessageSize: number;
}

/** Request/response on one protocol; both sides register it with the same limits. */
export interface RequestProtocol {
  id: string;
  maxRequestSize: number;
  maxResponseSize: number;
}

/**
 * Receives each inbound message in order per (peer, protocol). The bytes belong to the handler. When
 * it returns a promise, reading from that peer's stream pauses until it settles: a slow consumer
 * pushes back on the sender instead of buffering without bound.
 */
export type MessageHandler = (fromIndex: number, protocol: string, bytes: Uint8Array) => void | Promise<void>;

/** Answers one request; a throw resets the stream and the requester gets RequestFailed. */
export type RequestHandler = (
  fromIndex: number,
  request: Uint8Array,
  signal: AbortSignal,
) => Promise<Uint8Array>;

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface PeerEventListeners {
  /** A committee peer got its first connection. */
  connect: (peerIndex: number) => void;
  /** A committee peer lost its last connection. */
  disconnect: (peerIndex: number) => void;
}
