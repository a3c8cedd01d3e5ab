import type { Stream } from "@libp2p/interface";
import { MAX_COALESCED_WRITE_BYTES, STREAM_REOPEN_DELAY_MS } from "./constants.js";
import { encodeFrames, framedLength } from "./framing.js";
import type { QueueBudget } from "./queueBudget.js";
import type { NetworkStats } from "./stats.js";

export interface WriterContext {
  protocol: string;
  budget: QueueBudget;
  stats: NetworkStats;
  isConnected(): boolean;
  /** Opens a new outbound stream on an existing connection. */
  openStream(): Promise<Stream>;
}

/** Compact the queue array once this many written slots sit before its head. */
const QUEUE_COMPACT_THRESHOLD = 1024;

/**
 * The outbound side of one (peer, protocol): a FIFO of messages written, coalesced, to one long-lived
 * stream. Sends queued in one turn of the event loop go out together in a single write; when the
 * stream reports a full buffer, writing stops until its 'drain' event (never `onDrain()`, which
 * resolves at once after the first drain). Messages wait while the peer is disconnected and go out
 * on the next connection; a stream that closes is replaced. Bytes already handed to a stream that
 * then dies are lost: consensus retransmits.
 */
export class StreamWriter {
  private queue: (Uint8Array | undefined)[] = [];
  private head = 0;
  private stream: Stream | undefined;
  private opening = false;
  private flushScheduled = false;
  private drainStream: Stream | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly ctx: WriterContext) {}

  /** Queues `message` (not copied: the caller must not modify it); false when the peer's queue is full. */
  enqueue(message: Uint8Array): boolean {
    if (this.closed || !this.ctx.budget.tryReserve(framedLength(message))) return false;
    this.queue.push(message);
    this.schedule();
    return true;
  }

  /** The peer (re)connected: open a stream if messages are waiting. */
  wake(): void {
    if (this.head < this.queue.length) this.schedule();
  }

  /** Drops the queue and the stream; the writer is unusable afterwards. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    let bytes = 0;
    for (let i = this.head; i < this.queue.length; i++) bytes += framedLength(this.queue[i]!);
    this.ctx.budget.release(bytes, this.queue.length - this.head);
    this.ctx.budget.publish();
    this.queue = [];
    this.head = 0;
    this.stream?.abort(new Error("network stopped"));
    this.stream = undefined;
  }

  private schedule(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Writes what the stream accepts, then publishes the queue size (once per event-loop turn at most). */
  private flush(): void {
    this.write();
    this.ctx.budget.publish();
  }

  private write(): void {
    if (this.closed || this.head === this.queue.length) return;
    const stream = this.stream;
    if (stream === undefined) {
      this.open();
      return;
    }
    // A drain we are waiting for may have been missed; the stream's own flag is authoritative.
    if (this.drainStream === stream && stream.writableNeedsDrain) return;
    this.drainStream = undefined;
    while (this.head < this.queue.length) {
      if (stream.status !== "open" || stream.writeStatus !== "writable") {
        this.detach(stream);
        break;
      }
      let end = this.head;
      let bytes = 0;
      while (end < this.queue.length) {
        const length = framedLength(this.queue[end]!);
        if (end > this.head && bytes + length > MAX_COALESCED_WRITE_BYTES) break;
        bytes += length;
        end++;
      }
      const batch = encodeFrames(this.queue as Uint8Array[], this.head, end, bytes);
      const count = end - this.head;
      this.queue.fill(undefined, this.head, end);
      this.head = end;
      this.ctx.budget.release(bytes, count);
      this.ctx.stats.sent(this.ctx.protocol, count, bytes);
      let writable: boolean;
      try {
        writable = stream.send(batch);
      } catch {
        this.detach(stream);
        break;
      }
      if (!writable) {
        this.awaitDrain(stream);
        break;
      }
    }
    this.compact();
  }

  private awaitDrain(stream: Stream): void {
    this.drainStream = stream;
    const done = (): void => {
      stream.removeEventListener("drain", done);
      stream.removeEventListener("close", done);
      if (this.drainStream !== stream) return;
      this.drainStream = undefined;
      this.flush();
    };
    stream.addEventListener("drain", done);
    stream.addEventListener("close", done);
  }

  private open(): void {
    if (this.opening || this.closed || !this.ctx.isConnected()) return;
    this.opening = true;
    this.ctx.openStream().then(
      (stream) => {
        this.opening = false;
        if (this.closed) {
          stream.abort(new Error("network stopped"));
          return;
        }
        this.stream = stream;
        stream.addEventListener("close", () => this.detach(stream), { once: true });
        this.flush();
      },
      () => {
        this.opening = false;
        if (this.closed) return;
        clearTimeout(this.reopenTimer);
        this.reopenTimer = setTimeout(() => this.wake(), STREAM_REOPEN_DELAY_MS);
      },
    );
  }

  private detach(stream: Stream): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    if (this.drainStream === stream) this.drainStream = undefined;
    if (stream.status === "open") stream.abort(new Error("stream replaced"));
    this.wake();
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= QUEUE_COMPACT_THRESHOLD && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
