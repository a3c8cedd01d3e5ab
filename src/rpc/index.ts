// JSON-RPC 2.0: the server, the `mass_` methods and a minimal client.
export { ClientError, ClientErrorCode, MassClient } from "./client.js";
export type {
  CorridorJson,
  CorridorReceiptJson,
  CorridorReceiptProofJson,
  TransferJson,
} from "./corridorJson.js";
export { type CorridorRpcDeps, corridorMethods, DEFAULT_RECEIPTS_PAGE } from "./corridorMethods.js";
export { RpcError, RpcErrorCode } from "./errors.js";
export {
  HEALTH_STATUSES,
  type HealthStatus,
  type MassRpcDeps,
  massMethods,
  type NodeStatus,
} from "./methods.js";
export { type GetRoute, type RpcMethod, type RpcParams, RpcServer, type RpcServerOptions } from "./server.js";
