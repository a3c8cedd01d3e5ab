import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RpcMetrics } from "../metrics/index.js";
import { ConnectionGuard, type ConnectionLimits } from "../util/connectionGuard.js";
import { errorMessage, MassError } from "../util/errors.js";
import type { Startable } from "../util/lifecycle.js";
import { listen } from "../util/listen.js";
import { RpcError, RpcErrorCode } from "./errors.js";

/** Largest request body: a batch of max-size transactions fits well within it. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Calls in one batch: bounds the work one HTTP request can queue. */
export const MAX_BATCH_CALLS = 256;
/** Requests being served at once; beyond it clients get ServerBusy instead of an ever-growing queue. */
export const MAX_CONCURRENT_REQUESTS = 512;
/** Bytes of request bodies held while they arrive, over all connections: bounds memory under a flood. */
export const MAX_BUFFERED_REQUEST_BYTES = 64 * 1024 * 1024;
/** Default connection bounds; the node derives its own from the file-descriptor limit. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 1024, maxPerAddress: 128 };
/** A client must send its headers within this: slow-loris connections are cut. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** A whole request (headers and body) must arrive within this; 4 MiB at a slow 1 Mbit/s fits. */
export const REQUEST_TIMEOUT_MS = 45_000;
/** An idle keep-alive connection is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often Node checks the timeouts above (its default, 30 s, lets a slow client hold on far longer). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** Time requests in progress get to finish when the server stops. */
const STOP_GRACE_MS = 1_000;
/** Characters of an error message sent back: an error never echoes a huge parameter whole. */
export const MAX_ERROR_MESSAGE_CHARS = 256;

export type RpcParams = unknown[] | Record<string, unknown> | undefined;
export type RpcMethod = (params: RpcParams) => unknown | Promise<unknown>;

export interface RpcServerOptions {
  host: string;
  port: number;
  methods: Record<string, RpcMethod>;
  metrics?: RpcMetrics | null;
  connectionLimits?: ConnectionLimits;
  /** Header and whole-request deadlines; the defaults suit public clients, tests shorten them. */
  timeouts?: { headersMs: number; requestMs: number };
  /** Logs internal errors (bugs); client errors are answered, not logged. */
  onInternalError?: (method: string, err: unknown) => void;
  /** Bodiless GET (and HEAD) routes served beside JSON-RPC on the same port (health probes, pages). */
  getRoutes?: readonly GetRoute[];
  /**
   * Origins whose browser pages may call this endpoint (CORS): exact origins such as
   * "https://app.example", or "*" for any. None by default: only same-origin pages (the explorer).
   */
  corsOrigins?: readonly string[];
}

/** How long a browser may cache a CORS preflight answer, in seconds: the policy only changes at restart. */
const CORS_MAX_AGE_SECONDS = 600;

/**
 * A GET route: `path` matches the request path exactly, or, ending in "/", every path under it.
 * The handler answers from what the node holds; it never reads a body (a GET has none).
 */
export interface GetRoute {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void>;
}

function findRoute(routes: readonly GetRoute[], path: string): GetRoute | undefined {
  return routes.find((r) => (r.path.endsWith("/") ? path.startsWith(r.path) : path === r.path));
}

type BodyRead = { kind: "body"; text: string } | { kind: "too-large" } | { kind: "aborted" };

interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: string | number | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

const errorResponse = (
  id: JsonRpcResponse["id"],
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse => {
  const capped =
    message.length > MAX_ERROR_MESSAGE_CHARS ? `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : message;
  return {
    jsonrpc: "2.0",
    id,
    error: data === undefined ? { code, message: capped } : { code, message: capped, data },
  };
};

function isValidId(id: unknown): id is string | number | null {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/**
 * JSON-RPC 2.0 over HTTP POST, to the letter of the specification: parse errors, invalid requests,
 * batches (answered in one array, notifications omitted; an all-notification batch gets no body),
 * and notifications (requests without an id, never answered).
 */
export class RpcServer implements Startable {
  private server: Server | undefined;
  private address: AddressInfo | undefined;
  private inFlight = 0;
  private buffered = 0;
  readonly connections: ConnectionGuard;

  constructor(private readonly options: RpcServerOptions) {
    this.connections = new ConnectionGuard(options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS);
  }

  async start(): Promise<AddressInfo> {
    const server = createServer(
      {
        headersTimeout: this.options.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS,
        requestTimeout: this.options.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      },
      (req, res) => {
        this.handleHttp(req, res).catch((err: unknown) => this.options.onInternalError?.("http", err));
      },
    );
    this.connections.attach(server);
    // A malformed or reset request ends its own connection, never the process.
    server.on("clientError", (_err, socket) => socket.destroy());
    this.server = server;
    this.address = await listen(server, this.options.host, this.options.port, "JSON-RPC");
    return this.address;
  }

  /** The port it listens on, once started. */
  get port(): number {
    return this.address?.port ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeIdleConnections();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Requests still arriving or being answered get a short grace, then their connections are cut.
    const cut = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
    await closed;
    clearTimeout(cut);
  }

  /** Handles one JSON-RPC payload (the HTTP body); undefined means "send no body". Exposed for tests and WebSocket. */
  async handlePayload(body: string): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      return errorResponse(null, RpcErrorCode.ParseError, `Parse error: ${errorMessage(err)}`);
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0)
        return errorResponse(null, RpcErrorCode.InvalidRequest, "Invalid Request: empty batch");
      if (parsed.length > MAX_BATCH_CALLS) {
        return errorResponse(
          null,
          RpcErrorCode.InvalidRequest,
          `Invalid Request: batch of more than ${MAX_BATCH_CALLS} calls`,
        );
      }
      const responses = await Promise.all(parsed.map((call) => this.handleCall(call)));
      const answered = responses.filter((r): r is JsonRpcResponse => r !== undefined);
      return answered.length > 0 ? answered : undefined;
    }
    return this.handleCall(parsed);
  }

  private async handleCall(call: unknown): Promise<JsonRpcResponse | undefined> {
    if (typeof call !== "object" || call === null || Array.isArray(call)) {
      return errorResponse(null, RpcErrorCode.InvalidRequest, "Invalid Request: not an object");
    }
    const { jsonrpc, method, params, id } = call as Record<string, unknown>;
    const hasId = "id" in call;
    if (hasId && !isValidId(id)) {
      return errorResponse(
        null,
        RpcErrorCode.InvalidRequest,
        "Invalid Request: id must be a string, number or null",
      );
    }
    const responseId = hasId ? (id as JsonRpcResponse["id"]) : null;
    if (jsonrpc !== "2.0")
      return errorResponse(responseId, RpcErrorCode.InvalidRequest, 'Invalid Request: jsonrpc must be "2.0"');
    if (typeof method !== "string")
      return errorResponse(
        responseId,
        RpcErrorCode.InvalidRequest,
        "Invalid Request: method must be a string",
      );
    if (params !== undefined && (typeof params !== "object" || params === null)) {
      return errorResponse(
        responseId,
        RpcErrorCode.InvalidRequest,
        "Invalid Request: params must be an array or an object",
      );
    }
    const response = await this.invoke(method, params as RpcParams, responseId);
    return hasId ? response : undefined;
  }

  private async invoke(
    method: string,
    params: RpcParams,
    id: JsonRpcResponse["id"],
  ): Promise<JsonRpcResponse> {
    const handler = Object.hasOwn(this.options.methods, method) ? this.options.methods[method] : undefined;
    if (handler === undefined)
      return errorResponse(id, RpcErrorCode.MethodNotFound, `Method not found: ${method}`);
    const started = performance.now();
    try {
      const result = await handler(params);
      this.observe(method, "ok", started);
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (err) {
      this.observe(method, "error", started);
      if (err instanceof RpcError) return errorResponse(id, err.rpcCode, err.message, err.data);
      if (err instanceof MassError) {
        return errorResponse(id, RpcErrorCode.InvalidParams, err.message, { code: err.code });
      }
      this.options.onInternalError?.(method, err);
      return errorResponse(id, RpcErrorCode.InternalError, "Internal error");
    }
  }

  private observe(method: string, outcome: "ok" | "error", started: number): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    metrics.requests.inc({ method, outcome });
    metrics.latency.observe({ method }, (performance.now() - started) / 1000);
  }

  /** Sets the CORS headers for an allowed origin; false when the request's origin is not allowed. */
  private applyCors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const allowed = this.options.corsOrigins ?? [];
    if (origin === undefined) return true;
    res.setHeader("vary", "Origin");
    if (allowed.includes("*")) res.setHeader("access-control-allow-origin", "*");
    else if (allowed.includes(origin)) res.setHeader("access-control-allow-origin", origin);
    else return false;
    return true;
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on("error", () => res.destroy());
    const corsAllowed = this.applyCors(req, res);
    if (req.method === "OPTIONS") {
      req.resume();
      if (!corsAllowed) {
        res.writeHead(403, { "content-type": "text/plain" }).end("origin not allowed\n");
        return;
      }
      res
        .writeHead(204, {
          "access-control-allow-methods": "POST, GET, OPTIONS",
          "access-control-allow-headers": "content-type",
          "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
        })
        .end();
      return;
    }
    if (req.method === "GET" || req.method === "HEAD") {
      const path = (req.url ?? "/").split("?")[0]!;
      const route = findRoute(this.options.getRoutes ?? [], path);
      req.resume();
      if (route === undefined) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        return;
      }
      try {
        await route.handle(req, res, path);
      } catch (err) {
        this.options.onInternalError?.(`GET ${route.path}`, err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end();
      }
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST, GET, OPTIONS" }).end();
      return;
    }
    if (this.inFlight >= MAX_CONCURRENT_REQUESTS || this.buffered >= MAX_BUFFERED_REQUEST_BYTES) {
      req.resume();
      this.reply(
        res,
        503,
        errorResponse(null, RpcErrorCode.ServerBusy, "Server busy: too many requests in flight"),
      );
      return;
    }
    const body = await this.readBody(req);
    if (body.kind === "aborted") return;
    if (body.kind === "too-large") {
      this.reply(
        res,
        413,
        errorResponse(null, RpcErrorCode.InvalidRequest, `Request body over ${MAX_REQUEST_BYTES} bytes`),
      );
      return;
    }
    const socket = req.socket;
    this.connections.busy(socket);
    res.once("close", () => this.connections.idle(socket));
    this.inFlight += 1;
    try {
      const response = await this.handlePayload(body.text);
      if (res.destroyed) return;
      if (response === undefined) res.writeHead(204).end();
      else this.reply(res, 200, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  /**
   * The request body as text; too large beyond MAX_REQUEST_BYTES (the rest is discarded), or
   * aborted when the client goes away first. Bytes held count towards MAX_BUFFERED_REQUEST_BYTES.
   */
  private readBody(req: IncomingMessage): Promise<BodyRead> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let held = 0;
      let settled = false;
      const settle = (result: BodyRead) => {
        if (settled) return;
        settled = true;
        this.buffered -= held;
        held = 0;
        resolve(result);
      };
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REQUEST_BYTES) {
          chunks.length = 0;
          this.buffered -= held;
          held = 0;
          return;
        }
        chunks.push(chunk);
        held += chunk.length;
        this.buffered += chunk.length;
      });
      req.on("end", () =>
        settle(
          size > MAX_REQUEST_BYTES
            ? { kind: "too-large" }
            : { kind: "body", text: Buffer.concat(chunks).toString("utf8") },
        ),
      );
      req.on("error", () => settle({ kind: "aborted" }));
      req.on("close", () => settle({ kind: "aborted" }));
    });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res
      .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
      .end(text);
  }
}
