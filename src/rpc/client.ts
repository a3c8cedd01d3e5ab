import { MassError } from "../util/errors.js";

export enum ClientErrorCode {
  Unreachable = "RPC_UNREACHABLE",
  HttpError = "RPC_HTTP_ERROR",
  RpcError = "RPC_ERROR",
  Timeout = "RPC_TIMEOUT",
}

/** An RPC call that failed: unreachable node, HTTP failure, or a JSON-RPC error (with its code and data). */
export class ClientError extends MassError<ClientErrorCode> {
  constructor(
    code: ClientErrorCode,
    message: string,
    readonly rpcCode?: number,
    readonly data?: unknown,
  ) {
    super(code, message);
  }
}

/** Longest a call waits for the node before giving up. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** A minimal JSON-RPC 2.0 client for the `mass_` methods (the CLI and tests use it). */
export class MassClient {
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === "TimeoutError";
      throw new ClientError(
        timedOut ? ClientErrorCode.Timeout : ClientErrorCode.Unreachable,
        timedOut
          ? `${this.url} did not answer ${method} within ${this.timeoutMs} ms`
          : `cannot reach ${this.url} (is the node running?)`,
      );
    }
    if (!response.ok)
      throw new ClientError(ClientErrorCode.HttpError, `${this.url} answered HTTP ${response.status}`);
    const body = (await response.json()) as {
      result?: T;
      error?: { code: number; message: string; data?: unknown };
    };
    if (body.error) {
      throw new ClientError(
        ClientErrorCode.RpcError,
        `${method}: ${body.error.message}`,
        body.error.code,
        body.error.data,
      );
    }
    return body.result as T;
  }
}
