import "./polyfills.js";
import type { Connection, Libp2p, PeerId, Stream } from "@libp2p/interface";
import type { NetworkMetrics } from "../metrics/index.js";
import { deadline } from "../util/deadline.js";
import { errorMessage } from "../util/errors.js";
import type { Startable } from "../util/lifecycle.js";
import {
  DEFAULT_INBOUND_BYTES_PER_SECOND,
  DEFAULT_INBOUND_MESSAGES_PER_SECOND,
  DEFAULT_MAX_QUEUED_BYTES_PER_PEER,
  DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MESSAGE_MAX_INBOUND_STREAMS,
  REQUEST_MAX_STREAMS,
} from "./constants.js";
import { NetworkError, NetworkErrorCode } from "./errors.js";
import { createHost } from "./host.js";
import { libp2pPrivateKey } from "./identity.js";
import { CommitteeBook, type CommitteePeer } from "./peerBook.js";
import { QueueBudget } from "./queueBudget.js";
import { PeerRateLimiter } from "./rateLimiter.js";
import { Reconnector } from "./reconnector.js";
import { sendRequest, serveRequest } from "./request.js";
import { NetworkDropReason, NetworkStats, type NetworkStatsSnapshot } from "./stats.js";
import { readMessages } from "./streamReader.js";
import { StreamWriter } from "./streamWriter.js";
import type {
  MessageHandler,
  MessageProtocol,
  NetworkConfig,
  PeerEventListeners,
  QueueLimits,
  RateLimits,
  RequestHandler,
  RequestOptions,
  RequestProtocol,
} from "./types.js";

type Lifecycle = "created" | "starting" | "running" | "stopped";

interface PeerOutbound {
  budget: QueueBudget;
  writers: Map<string, StreamWriter>;
}

/**
 * The validator-to-validator network: a libp2p host whose identity is the validator's Ed25519 key,
 * talking only to committee members. Generic over message contents: protocols are registered by id
 * with size limits, before `start`.
 *
 * - `send`/`broadcast`: fire-and-forget, in order per (peer, protocol) over long-lived streams;
 *   `send` returns false (and counts a `queue_full` drop) when the peer's bounded queue is full — the
 *   newest message is the one refused, queued ones are kept.
 * - `request`: one response per request, with timeout and AbortSignal.
 * - Inbound: authenticated by the Noise-verified PeerId; outsiders are refused at the handshake;
 *   per-peer token buckets drop excess; oversize frames reset the stream.
 */
export class P2PNetwork implements Startable {
  readonly index: number;
  private readonly book: CommitteeBook;
  private readonly counters: NetworkStats;
  private readonly queueLimits: QueueLimits;
  private readonly rateLimits: RateLimits;
  private readonly messageProtocols = new Map<
    string,
    { protocol: MessageProtocol; handler: MessageHandler }
  >();
  private readonly requestProtocols = new Map<
    string,
    { protocol: RequestProtocol; handler: RequestHandler }
  >();
  private readonly outbound = new Map<number, PeerOutbound>();
  private readonly limiters = new Map<number, PeerRateLimiter>();
  private readonly connected = new Set<number>();
  /** Open inbound streams, reset by `stop` so closing connections need not wait for them. */
  private readonly inboundStreams = new Set<Stream>();
  private readonly listeners: { [E in keyof PeerEventListeners]: Set<PeerEventListeners[E]> } = {
    connect: new Set(),
    disconnect: new Set(),
  };
  private readonly lifetime = new AbortController();
  private readonly reconnector: Reconnector;
  private state: Lifecycle = "created";
  private host: Libp2p | undefined;

  constructor(
    private readonly config: NetworkConfig,
    metrics: NetworkMetrics | null = null,
  ) {
    this.index = config.index;
    this.book = new CommitteeBook(config.committee, config.index);
    this.counters = new NetworkStats(metrics);
    this.queueLimits = {
      maxBytes: config.queue?.maxBytes ?? DEFAULT_MAX_QUEUED_BYTES_PER_PEER,
      maxMessages: config.queue?.maxMessages ?? DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER,
    };
    this.rateLimits = {
      messagesPerSecond: config.inboundRate?.messagesPerSecond ?? DEFAULT_INBOUND_MESSAGES_PER_SECOND,
      bytesPerSecond: config.inboundRate?.bytesPerSecond ?? DEFAULT_INBOUND_BYTES_PER_SECOND,
    };
    for (const [name, value] of Object.entries({ ...this.queueLimits, ...this.rateLimits })) {
      if (!(value > 0)) throw new NetworkError(NetworkErrorCode.InvalidConfig, `${name} must be positive`);
    }
    this.reconnector = new Reconnector({
      selfIndex: config.index,
      peers: this.book.peers.values(),
      isConnected: (index) => this.connected.has(index),
      dial: (peer, signal) => this.requireHost().dial(peer.dialAddress, { signal }),
      dialed: (outcome) => metrics?.dials.inc({ outcome }),
    });
  }

  /** This node's libp2p PeerId. */
  get peerId(): PeerId {
    return this.book.self.peerId;
  }

  registerMessageProtocol(protocol: MessageProtocol, handler: MessageHandler): void {
    this.assertRegistrable(protocol.id, [protocol.maxMessageSize]);
    this.messageProtocols.set(protocol.id, { protocol, handler });
  }

  registerRequestProtocol(protocol: RequestProtocol, handler: RequestHandler): void {
    this.assertRegistrable(protocol.id, [protocol.maxRequestSize, protocol.maxResponseSize]);
    this.requestProtocols.set(protocol.id, { protocol, handler });
  }

  /** Subscribes to peer connect/disconnect; returns the unsubscribe function. */
  on<E extends keyof PeerEventListeners>(event: E, listener: PeerEventListeners[E]): () => void {
    const set = this.listeners[event] as Set<PeerEventListeners[E]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Listens, then dials every committee peer (and keeps redialing those that are down). */
  async start(): Promise<void> {
    if (this.state !== "created") {
      throw new NetworkError(NetworkErrorCode.AlreadyStarted, `network is ${this.state}`);
    }
    this.state = "starting";
    try {
      this.host = await createHost({
        privateKey: await libp2pPrivateKey(this.config.secretKey),
        listen: this.config.listen ?? this.book.selfMember.multiaddr,
        gater: {
          denyDialPeer: (peerId) => this.book.indexOf(peerId) === undefined,
          denyInboundEncryptedConnection: (peerId) => this.refuseOutsider(peerId),
          denyOutboundEncryptedConnection: (peerId) => this.refuseOutsider(peerId),
        },
        peers: this.book.peers.size,
      });
      await this.installHandlers(this.host);
      await this.host.start();
    } catch (err) {
      await this.stop();
      if ((err as { name?: string }).name === "UnsupportedListenAddressesError") {
        const address = this.config.listen ?? this.book.selfMember.multiaddr;
        throw new NetworkError(
          NetworkErrorCode.ListenFailed,
          `cannot listen on ${address}: ${/EADDRINUSE/.test(errorMessage(err)) ? "the port is in use (another node running?)" : errorMessage(err)}`,
        );
      }
      throw err;
    }
    if (this.state !== "starting") return; // stopped while starting
    this.state = "running";
    const signal = this.config.signal;
    if (signal?.aborted) return this.stop();
    signal?.addEventListener("abort", () => void this.stop(), { once: true, signal: this.lifetime.signal });
    this.reconnector.start();
  }

  private async installHandlers(host: Libp2p): Promise<void> {
    for (const { protocol } of this.messageProtocols.values()) {
      await host.handle(
        protocol.id,
        (stream, connection) => this.onMessageStream(protocol, stream, connection),
        {
          maxInboundStreams: MESSAGE_MAX_INBOUND_STREAMS,
        },
      );
    }
    for (const { protocol } of this.requestProtocols.values()) {
      await host.handle(
        protocol.id,
        (stream, connection) => this.onRequestStream(protocol, stream, connection),
        {
          maxInboundStreams: REQUEST_MAX_STREAMS,
          maxOutboundStreams: REQUEST_MAX_STREAMS,
        },
      );
    }
    host.addEventListener("peer:connect", (event) => this.onPeerConnect(event.detail));
    host.addEventListener("peer:disconnect", (event) => this.onPeerDisconnect(event.detail));
  }

  /** Closes every stream and connection and clears every timer; pending requests reject with RequestAborted. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopped";
    this.lifetime.abort();
    this.reconnector.stop();
    for (const peer of this.outbound.values()) for (const writer of peer.writers.values()) writer.close();
    for (const stream of this.inboundStreams) stream.abort(new Error("network stopped"));
    this.inboundStreams.clear();
    await this.host?.stop();
    this.connected.clear();
    this.counters.metrics?.peersConnected.set(0);
  }

  /**
   * Queues `bytes` for `peerIndex` on `protocol`; false when the peer's queue is full (the message is
   * dropped and counted) or the network is stopped. `bytes` is not copied: do not modify it afterwards.
   */
  send(peerIndex: number, protocol: string, bytes: Uint8Array): boolean {
    this.assertSendable(protocol, bytes);
    this.book.peer(peerIndex);
    return this.enqueue(peerIndex, protocol, bytes);
  }

  /** `send` to every other committee member; returns how many accepted the message. */
  broadcast(protocol: string, bytes: Uint8Array): number {
    this.assertSendable(protocol, bytes);
    let accepted = 0;
    for (const index of this.book.peers.keys()) if (this.enqueue(index, protocol, bytes)) accepted++;
    return accepted;
  }

  /** Sends one request and resolves with the response; rejects with RequestTimeout/Aborted/Failed. */
  async request(
    peerIndex: number,
    protocol: string,
    bytes: Uint8Array,
    options: RequestOptions = {},
  ): Promise<Uint8Array> {
    const registered = this.requestProtocols.get(protocol);
    if (registered === undefined) {
      throw new NetworkError(
        NetworkErrorCode.UnknownProtocol,
        `request protocol ${protocol} is not registered`,
      );
    }
    if (bytes.length > registered.protocol.maxRequestSize) {
      throw new NetworkError(
        NetworkErrorCode.MessageTooLarge,
        `request of ${bytes.length} bytes exceeds the limit`,
      );
    }
    const peer = this.book.peer(peerIndex);
    const host = this.requireHost();
    const started = performance.now();
    const metrics = this.counters.metrics;
    return sendRequest(
      {
        protocol: registered.protocol,
        openStream: (signal) => host.dialProtocol(peer.dialAddress, protocol, { signal }),
        lifetime: this.lifetime.signal,
      },
      bytes,
      options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      options.signal,
    ).then(
      (response) => {
        metrics?.requests.inc({ protocol, outcome: "ok" });
        metrics?.requestSeconds.observe({ protocol }, (performance.now() - started) / 1000);
        return response;
      },
      (err: NetworkError) => {
        metrics?.requests.inc({ protocol, outcome: err.code });
        throw err;
      },
    );
  }

  isConnected(peerIndex: number): boolean {
    return this.connected.has(peerIndex);
  }

  connectedPeers(): number[] {
    return [...this.connected].sort((a, b) => a - b);
  }

  /** Where the host listens (with /p2p/<peerId>), once started. */
  listenAddresses(): string[] {
    return this.host?.getMultiaddrs().map((address) => address.toString()) ?? [];
  }

  /** Bytes and messages queued for a peer and not yet written. */
  queued(peerIndex: number): { bytes: number; messages: number } {
    const budget = this.outbound.get(peerIndex)?.budget;
    return { bytes: budget?.bytes ?? 0, messages: budget?.messages ?? 0 };
  }

  /** Counters of messages sent, received and dropped (by reason) since construction. */
  stats(): NetworkStatsSnapshot {
    return this.counters.snapshot();
  }

  private enqueue(peerIndex: number, protocol: string, bytes: Uint8Array): boolean {
    if (this.state === "stopped") return false;
    if (!this.writer(peerIndex, protocol).enqueue(bytes)) {
      this.counters.dropped(NetworkDropReason.QueueFull);
      return false;
    }
    return true;
  }

  private writer(peerIndex: number, protocol: string): StreamWriter {
    let peer = this.outbound.get(peerIndex);
    if (peer === undefined) {
      const metrics = this.counters.metrics;
      const gauges =
        metrics === null ? undefined : { bytes: metrics.queuedBytes, messages: metrics.queuedMessages };
      peer = { budget: new QueueBudget(this.queueLimits, gauges, peerIndex), writers: new Map() };
      this.outbound.set(peerIndex, peer);
    }
    let writer = peer.writers.get(protocol);
    if (writer === undefined) {
      const target = this.book.peer(peerIndex);
      writer = new StreamWriter({
        protocol,
        budget: peer.budget,
        stats: this.counters,
        isConnected: () => this.connected.has(peerIndex),
        openStream: () => this.openMessageStream(target, protocol),
      });
      peer.writers.set(protocol, writer);
    }
    return writer;
  }

  private async openMessageStream(peer: CommitteePeer, protocol: string): Promise<Stream> {
    return this.requireHost().dialProtocol(peer.peerId, protocol, { signal: this.lifetime.signal });
  }

  private onMessageStream(protocol: MessageProtocol, stream: Stream, connection: Connection): void {
    const fromIndex = this.authenticate(stream, connection);
    if (fromIndex === undefined) return;
    const registered = this.messageProtocols.get(protocol.id)!;
    readMessages(stream, {
      fromIndex,
      protocol: protocol.id,
      maxMessageSize: protocol.maxMessageSize,
      limiter: this.limiter(fromIndex),
      stats: this.counters,
      handler: registered.handler,
    });
  }

  private onRequestStream(protocol: RequestProtocol, stream: Stream, connection: Connection): void {
    const fromIndex = this.authenticate(stream, connection);
    if (fromIndex === undefined) return;
    const timeout = deadline(DEFAULT_REQUEST_TIMEOUT_MS, this.lifetime.signal);
    void serveRequest(stream, {
      fromIndex,
      protocol,
      handler: this.requestProtocols.get(protocol.id)!.handler,
      limiter: this.limiter(fromIndex),
      stats: this.counters,
      signal: timeout.signal,
    }).finally(timeout.clear);
  }

  /** The committee index behind a stream; resets and counts streams from outsiders (defence in depth). */
  private authenticate(stream: Stream, connection: Connection): number | undefined {
    const fromIndex = this.book.indexOf(connection.remotePeer);
    if (fromIndex === undefined || fromIndex === this.index || this.state === "stopped") {
      this.counters.dropped(NetworkDropReason.NotCommittee);
      stream.abort(new Error("not a committee member"));
      return undefined;
    }
    this.inboundStreams.add(stream);
    stream.addEventListener("close", () => this.inboundStreams.delete(stream), { once: true });
    return fromIndex;
  }

  private limiter(peerIndex: number): PeerRateLimiter {
    let limiter = this.limiters.get(peerIndex);
    if (limiter === undefined) {
      let largest = 0;
      for (const { protocol } of this.messageProtocols.values())
        largest = Math.max(largest, protocol.maxMessageSize);
      for (const { protocol } of this.requestProtocols.values())
        largest = Math.max(largest, protocol.maxRequestSize);
      limiter = new PeerRateLimiter(this.rateLimits, largest);
      this.limiters.set(peerIndex, limiter);
    }
    return limiter;
  }

  private refuseOutsider(peerId: PeerId): boolean {
    const index = this.book.indexOf(peerId);
    if (index !== undefined && index !== this.index) return false;
    this.counters.dropped(NetworkDropReason.NotCommittee);
    return true;
  }

  private onPeerConnect(peerId: PeerId): void {
    const index = this.book.indexOf(peerId);
    if (index === undefined || this.connected.has(index) || this.state === "stopped") return;
    this.connected.add(index);
    this.counters.metrics?.peersConnected.set(this.connected.size);
    this.reconnector.connected(index);
    for (const writer of this.outbound.get(index)?.writers.values() ?? []) writer.wake();
    for (const listener of this.listeners.connect) listener(index);
  }

  private onPeerDisconnect(peerId: PeerId): void {
    const index = this.book.indexOf(peerId);
    if (index === undefined || !this.connected.delete(index) || this.state === "stopped") return;
    this.counters.metrics?.peersConnected.set(this.connected.size);
    this.reconnector.disconnected(index);
    for (const listener of this.listeners.disconnect) listener(index);
  }

  private assertRegistrable(id: string, limits: number[]): void {
    if (this.state !== "created") {
      throw new NetworkError(NetworkErrorCode.AlreadyStarted, "protocols must be registered before start");
    }
    if (this.messageProtocols.has(id) || this.requestProtocols.has(id)) {
      throw new NetworkError(NetworkErrorCode.DuplicateProtocol, `protocol ${id} is already registered`);
    }
    if (!limits.every((limit) => Number.isSafeInteger(limit) && limit > 0 && limit < 2 ** 32)) {
      throw new NetworkError(
        NetworkErrorCode.InvalidConfig,
        `protocol ${id}: size limits must be in [1, 2^32)`,
      );
    }
  }

  private assertSendable(protocol: string, bytes: Uint8Array): void {
    const registered = this.messageProtocols.get(protocol);
    if (registered === undefined) {
      throw new NetworkError(
        NetworkErrorCode.UnknownProtocol,
        `message protocol ${protocol} is not registered`,
      );
    }
    if (bytes.length > registered.protocol.maxMessageSize) {
      throw new NetworkError(
        NetworkErrorCode.MessageTooLarge,
        `message of ${bytes.length} bytes exceeds the ${protocol} limit of ${registered.protocol.maxMessageSize}`,
      );
    }
  }

  private requireHost(): Libp2p {
    if (this.host === undefined || this.state === "stopped") {
      throw new NetworkError(NetworkErrorCode.NotStarted, `network is ${this.state}`);
    }
    return this.host;
  }
}
