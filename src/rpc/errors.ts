import { MassError } from "../util/errors.js";

/**
 * JSON-RPC 2.0 error codes. -32700..-32600 are the specification's; -32000..-32099 are this server's
 * (docs/rpc.md lists them with their meaning).
 */
export enum RpcErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  /** The requested object does not exist (transaction, block, account). */
  NotFound = -32001,
  /** The transaction was rejected by the pool (signature, nonce, fee, size, duplicate, pool full). */
  TransactionRejected = -32002,
  /** Too many requests in flight: retry later. */
  ServerBusy = -32005,
  /** The node is starting, syncing or stopping and cannot answer this yet. */
  NotReady = -32010,
}

/** An error that reaches the client as a JSON-RPC error object. */
export class RpcError extends MassError<string> {
  constructor(
    readonly rpcCode: RpcErrorCode,
    message: string,
    readonly data?: unknown,
  ) {
    super(RpcErrorCode[rpcCode] ?? "RpcError", message);
  }
}

export const invalidParams = (message: string, data?: unknown) =>
  new RpcError(RpcErrorCode.InvalidParams, message, data);
