import type { Stream, StreamMessageEvent } from "@libp2p/interface";
import { deadline } from "../util/deadline.js";
import { errorMessage } from "../util/errors.js";
import { NetworkError, NetworkErrorCode } from "./errors.js";
import { encodeFrame, FrameDecoder } from "./framing.js";
import type { PeerRateLimiter } from "./rateLimiter.js";
import { NetworkDropReason, type NetworkStats } from "./stats.js";
import { framingDropReason, pushChunks } from "./streamReader.js";
import type { RequestHandler, RequestProtocol } from "./types.js";

/**
 * Request/response runs one short-lived stream per request: the requester writes one frame and
 * closes its writable end, the responder answers with one frame and closes. A failure on either side
 * resets the stream. Streams cost a round of protocol negotiation, which suits sync traffic (fetching
 * missing certificates and batches), not the per-message hot path.
 */

/** Resolves with the first frame read from `stream`; rejects on a framing error, on close, or on abort. */
export function readOneFrame(stream: Stream, maxLength: number, signal: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder(maxLength);
    const cleanup = (): void => {
      stream.removeEventListener("message", onMessage);
      stream.removeEventListener("close", onClose);
      stream.removeEventListener("remoteCloseWrite", onClose);
      signal.removeEventListener("abort", onAbort);
    };
    const onMessage = (event: StreamMessageEvent): void => {
      pushChunks(decoder, event);
      let frame: Uint8Array | undefined;
      try {
        frame = decoder.next();
      } catch (err) {
        cleanup();
        reject(err);
        return;
      }
      if (frame !== undefined) {
        cleanup();
        resolve(frame);
      }
    };
    const onClose = (): void => {
      cleanup();
      reject(new NetworkError(NetworkErrorCode.RequestFailed, "stream closed before a complete message"));
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal.reason);
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    stream.addEventListener("message", onMessage);
    stream.addEventListener("close", onClose);
    stream.addEventListener("remoteCloseWrite", onClose);
    signal.addEventListener("abort", onAbort);
  });
}

export interface RequesterContext {
  protocol: RequestProtocol;
  /** Opens a stream to the peer (dialing it if needed). */
  openStream(signal: AbortSignal): Promise<Stream>;
  /** Aborted when the network stops. */
  lifetime: AbortSignal;
}

/** Sends one request and waits for its response; errors are NetworkErrors with Timeout/Aborted/Failed codes. */
export async function sendRequest(
  ctx: RequesterContext,
  request: Uint8Array,
  timeoutMs: number,
  callerSignal?: AbortSignal,
): Promise<Uint8Array> {
  const timeout = deadline(timeoutMs, ctx.lifetime, callerSignal);
  const signal = timeout.signal;
  let stream: Stream | undefined;
  try {
    stream = await ctx.openStream(signal);
    const response = readOneFrame(stream, ctx.protocol.maxResponseSize, signal);
    // Handled below, after the close; without this a rejection during the close would be unhandled.
    response.catch(() => undefined);
    stream.send(encodeFrame(request));
    await stream.close({ signal });
    return await response;
  } catch (err) {
    stream?.abort(err instanceof Error ? err : new Error(String(err)));
    if (err instanceof NetworkError && err.code !== NetworkErrorCode.RequestFailed) throw err;
    if (timeout.timedOut()) {
      throw new NetworkError(NetworkErrorCode.RequestTimeout, `no response within ${timeoutMs} ms`, {
        protocol: ctx.protocol.id,
      });
    }
    if (signal.aborted) {
      throw new NetworkError(NetworkErrorCode.RequestAborted, "request aborted", {
        protocol: ctx.protocol.id,
      });
    }
    throw new NetworkError(
      NetworkErrorCode.RequestFailed,
      `request failed: ${errorMessage(err)}`,
      {
        protocol: ctx.protocol.id,
      },
      { cause: err },
    );
  } finally {
    timeout.clear();
  }
}

export interface ResponderContext {
  fromIndex: number;
  protocol: RequestProtocol;
  handler: RequestHandler;
  limiter: PeerRateLimiter;
  stats: NetworkStats;
  /** Bounds reading the request and running the handler; aborted on timeout or stop. */
  signal: AbortSignal;
}

/** Serves one inbound request stream: read, rate-limit, answer, close; any failure resets the stream. */
export async function serveRequest(stream: Stream, ctx: ResponderContext): Promise<void> {
  let request: Uint8Array;
  try {
    request = await readOneFrame(stream, ctx.protocol.maxRequestSize, ctx.signal);
  } catch (err) {
    if (err instanceof NetworkError && err.code !== NetworkErrorCode.RequestFailed) {
      ctx.stats.dropped(framingDropReason(err));
    }
    stream.abort(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  if (!ctx.limiter.tryTake(request.length)) {
    ctx.stats.dropped(NetworkDropReason.RateLimited);
    stream.abort(new Error("rate limited"));
    return;
  }
  ctx.stats.received(ctx.protocol.id, 1, request.length);
  try {
    const response = await ctx.handler(ctx.fromIndex, request, ctx.signal);
    if (response.length > ctx.protocol.maxResponseSize) {
      throw new NetworkError(
        NetworkErrorCode.MessageTooLarge,
        `response of ${response.length} bytes exceeds the limit`,
      );
    }
    stream.send(encodeFrame(response));
    ctx.stats.sent(ctx.protocol.id, 1, response.length);
    await stream.close({ signal: ctx.signal });
  } catch (err) {
    ctx.stats.dropped(NetworkDropReason.RequestHandlerError);
    stream.abort(err instanceof Error ? err : new Error(String(err)));
  }
}
