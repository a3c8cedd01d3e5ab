import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorMessage, MassError } from "../util/errors.js";
import { listen } from "../util/listen.js";
import { RpcError, RpcErrorCode } from "./errors.js";

/** Largest request body: a batch of max-size transactions fits well within it. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Calls in one batch: bounds the work one HTTP request can queue. */
export const MAX_BATCH_CALLS = 256;
/** Requests being served at once; beyond it clients get ServerBusy instead of an ever-growing queue. */
export const MAX_CONCURRENT_REQUESTS = 512;

export type RpcParams = unknown[] | Record<string, unknown> | undefined;
export type RpcMethod = (params: RpcParams) => unknown | Promise<unknown>;

export interface RpcServerMetrics {
  observeRequest(method: string, outcome: "ok" | "error", seconds: number): void;
}

export interface RpcServerOptions {
  host: string;
  port: number;
  methods: Record<string, RpcMethod>;
  metrics?: RpcServerMetrics | null;
  /** Logs internal errors (bugs); client errors are answered, not logged. */
  onInternalError?: (method: string, err: unknown) => void;
}

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
): JsonRpcResponse => ({
  jsonrpc: "2.0",
  id,
  error: data === undefined ? { code, message } : { code, message, data },
});

function isValidId(id: unknown): id is string | number | null {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/**
 * JSON-RPC 2.0 over HTTP POST, to the letter of the specification: parse errors, invalid requests,
 * batches (answered in one array, notifications omitted; an all-notification batch gets no body),
 * and notifications (requests without an id, never answered).
 */
export class RpcServer {
  private server: Server | undefined;
  private inFlight = 0;

  constructor(private readonly options: RpcServerOptions) {}

  async start(): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.handleHttp(req, res));
    server.keepAliveTimeout = 5_000;
    this.server = server;
    return listen(server, this.options.host, this.options.port, "JSON-RPC");
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
      this.options.metrics?.observeRequest(method, "ok", (performance.now() - started) / 1000);
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (err) {
      this.options.metrics?.observeRequest(method, "error", (performance.now() - started) / 1000);
      if (err instanceof RpcError) return errorResponse(id, err.rpcCode, err.message, err.data);
      if (err instanceof MassError) {
        return errorResponse(id, RpcErrorCode.InvalidParams, err.message, { code: err.code });
      }
      this.options.onInternalError?.(method, err);
      return errorResponse(id, RpcErrorCode.InternalError, "Internal error");
    }
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    if (this.inFlight >= MAX_CONCURRENT_REQUESTS) {
      req.resume();
      this.reply(
        res,
        503,
        errorResponse(null, RpcErrorCode.ServerBusy, "Server busy: too many requests in flight"),
      );
      return;
    }
    this.inFlight += 1;
    try {
      const body = await readBody(req, MAX_REQUEST_BYTES);
      if (body === undefined) {
        this.reply(
          res,
          413,
          errorResponse(null, RpcErrorCode.InvalidRequest, `Request body over ${MAX_REQUEST_BYTES} bytes`),
        );
        return;
      }
      const response = await this.handlePayload(body);
      if (response === undefined) res.writeHead(204).end();
      else this.reply(res, 200, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res
      .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
      .end(text);
  }
}

/** The request body as text, or undefined when it exceeds `limit` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
