/** Tuning constants of the network layer, each with the reason for its value. */

/** Prefix of the consensus protocols; `consensusProtocol(name)` appends the message name. */
export const CONSENSUS_PROTOCOL_PREFIX = "/mass/consensus/1.0.0";

/**
 * Largest batch of queued messages written to a stream in one `send`. Writing messages one by one
 * costs a Yamux frame, a Noise frame and a syscall each (46 k msg/s of 512 B on this machine);
 * coalescing ~64 of them per write reaches 560 k msg/s. 64 KiB also fits one Yamux frame.
 */
export const MAX_COALESCED_WRITE_BYTES = 64 * 1024;

/** Default per-peer outbound queue bound in bytes: enough for a few large batches, bounded memory. */
export const DEFAULT_MAX_QUEUED_BYTES_PER_PEER = 32 * 1024 * 1024;

/** Default per-peer outbound queue bound in messages: caps per-message overhead for tiny messages. */
export const DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER = 65_536;

/**
 * Default per-peer inbound rate limits. Generous: 46 k tx/s of 512 B batched by workers is ~24 MB/s
 * per peer; the limits exist to cap a misbehaving member, not to shape honest traffic.
 */
export const DEFAULT_INBOUND_MESSAGES_PER_SECOND = 200_000;
export const DEFAULT_INBOUND_BYTES_PER_SECOND = 256 * 1024 * 1024;

/** Token-bucket burst, in seconds of the sustained rate: absorbs bursts after a pause or a GC. */
export const RATE_LIMIT_BURST_SECONDS = 1;

/**
 * Redial delays for a committee peer that is down: the first retry comes quickly (a restart takes
 * about a second), then doubles up to the cap, which bounds how long a recovered peer stays cut off.
 */
export const RECONNECT_INITIAL_DELAY_MS = 100;
export const RECONNECT_MAX_DELAY_MS = 5_000;
export const RECONNECT_BACKOFF_FACTOR = 2;
/** Each delay is drawn uniformly from [delay × (1 − jitter), delay]: peers restarting together spread out. */
export const RECONNECT_JITTER = 0.5;

/**
 * Of two committee peers, the one with the higher index dials the other this much later, so the
 * two rarely dial each other at once: simultaneous dials leave duplicate connections, and in a
 * 3-node experiment on this machine one end of such a duplicate stayed half-upgraded until closed.
 */
export const HIGHER_INDEX_DIAL_DEFER_MS = 1_000;

/** A dial that hangs (SYN to a dead host) is abandoned after this and retried with backoff. */
export const DIAL_TIMEOUT_MS = 3_000;

/**
 * libp2p rejects more than 5 connections per second from one host by default; every validator of
 * a local cluster shares 127.0.0.1, and rapid redials after a restart would be reset. It also bounds
 * how fast one host's newcomers can evict that host's pending handshakes (see below).
 */
export const INBOUND_CONNECTION_THRESHOLD = 1_000;

/**
 * An inbound connection that has not finished Noise and muxer negotiation by then is dropped: the
 * dialer abandons its dial after DIAL_TIMEOUT_MS anyway (libp2p's default holds a slot for 10 s).
 */
export const INBOUND_UPGRADE_TIMEOUT_MS = DIAL_TIMEOUT_MS;

/** Inbound connections still in their handshake, all hosts together: bounds what strangers hold. */
export const MAX_PENDING_HANDSHAKES = 128;
/**
 * One host's share of the pending handshakes; its newcomers evict its own oldest. At
 * INBOUND_CONNECTION_THRESHOLD a host needs 64 ms or more to evict one. In the strangers test
 * (400 strangers, one process) their slots lived 130 ms or more, honest handshakes took 30–70 ms.
 */
export const MAX_PENDING_HANDSHAKES_PER_HOST = 64;
/**
 * libp2p's own pending count refuses instead of evicting; it also holds evicted connections not yet
 * torn down and identified ones still negotiating the muxer, so it sits above ours.
 */
export const LIBP2P_MAX_PENDING_CONNECTIONS = 2 * MAX_PENDING_HANDSHAKES;

/**
 * Upgraded connections per committee peer: a duplicate pair from a simultaneous dial plus one left
 * from a restart not yet seen dead. Only committee peers pass the gater, so this bounds the rest.
 */
export const MAX_CONNECTIONS_PER_PEER = 3;

/** Default timeout of `request` when the caller gives none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Inbound streams per connection and protocol. A message protocol uses one long-lived stream per
 * direction; a few more cover a stream being replaced while the old one closes.
 */
export const MESSAGE_MAX_INBOUND_STREAMS = 8;
/** Concurrent requests a peer may have in flight per protocol; more are reset by libp2p. */
export const REQUEST_MAX_STREAMS = 128;

/**
 * Largest Yamux receive window per stream. A paused stream (slow handler) buffers at most one
 * window, so this bounds inbound memory per stream; 4 MiB still fills loopback and LAN links.
 */
export const YAMUX_MAX_STREAM_WINDOW = 4 * 1024 * 1024;
/** Read buffer limit of a stream: above one full window so a paused stream is never reset by libp2p. */
export const STREAM_MAX_READ_BUFFER = 2 * YAMUX_MAX_STREAM_WINDOW;

/** How long `stop` lets libp2p close each connection before it aborts it. */
export const CONNECTION_CLOSE_TIMEOUT_MS = 500;

/** A stream writer that failed to open a stream waits this long before trying again. */
export const STREAM_REOPEN_DELAY_MS = 200;
