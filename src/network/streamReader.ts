import type { Stream, StreamMessageEvent } from "@libp2p/interface";
import { NetworkError, NetworkErrorCode } from "./errors.js";
import { FrameDecoder } from "./framing.js";
import type { PeerRateLimiter } from "./rateLimiter.js";
import { NetworkDropReason, type NetworkStats } from "./stats.js";
import type { MessageHandler } from "./types.js";

export interface ReaderContext {
  fromIndex: number;
  protocol: string;
  maxMessageSize: number;
  limiter: PeerRateLimiter;
  stats: NetworkStats;
  handler: MessageHandler;
}

/** Feeds a 'message' event's chunks (one buffer or a list of them) to a decoder. */
export function pushChunks(decoder: FrameDecoder, event: StreamMessageEvent): void {
  const data = event.data;
  if (data instanceof Uint8Array) decoder.push(data);
  else for (const chunk of data) decoder.push(chunk);
}

/** The drop reason of a decoder error: oversize or malformed framing. */
export function framingDropReason(err: unknown): NetworkDropReason {
  return err instanceof NetworkError && err.code === NetworkErrorCode.FrameTooLarge
    ? NetworkDropReason.Oversize
    : NetworkDropReason.Malformed;
}

/**
 * Reads one inbound message stream to its end, delivering each message to the handler in order.
 * Over-rate messages are dropped; an oversize or malformed frame resets the stream. While a handler's
 * promise is pending the stream is paused, so Yamux stops granting window and the sender backs up.
 */
export function readMessages(stream: Stream, ctx: ReaderContext): void {
  const decoder = new FrameDecoder(ctx.maxMessageSize);
  let busy = false;

  const deliverBuffered = (): void => {
    let delivered = 0;
    let bytes = 0;
    try {
      for (let message = decoder.next(); message !== undefined; message = decoder.next()) {
        if (!ctx.limiter.tryTake(message.length)) {
          ctx.stats.dropped(NetworkDropReason.RateLimited);
          continue;
        }
        delivered++;
        bytes += message.length;
        let result: void | Promise<void>;
        try {
          result = ctx.handler(ctx.fromIndex, ctx.protocol, message);
        } catch {
          ctx.stats.dropped(NetworkDropReason.HandlerError);
          continue;
        }
        if (result !== undefined && typeof result.then === "function") {
          waitFor(result);
          break;
        }
      }
    } catch (err) {
      ctx.stats.dropped(framingDropReason(err));
      stream.removeEventListener("message", onMessage);
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (delivered > 0) ctx.stats.received(ctx.protocol, delivered, bytes);
    }
  };

  const waitFor = (pending: Promise<void>): void => {
    busy = true;
    if (stream.readStatus === "readable") stream.pause();
    pending
      .catch(() => ctx.stats.dropped(NetworkDropReason.HandlerError))
      .finally(() => {
        busy = false;
        deliverBuffered();
        if (!busy && stream.readStatus === "paused") stream.resume();
      });
  };

  const onMessage = (event: StreamMessageEvent): void => {
    pushChunks(decoder, event);
    if (!busy) deliverBuffered();
  };

  stream.addEventListener("message", onMessage);
}
