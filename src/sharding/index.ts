export { type CorridorAnchor, corridorInclusion, corridorLeaf, corridorRoot } from "./anchor.js";
export { CorridorBlock, type CorridorReceiptFields, type StoredCorridorReceipt } from "./corridorBlock.js";
export type { CorridorView } from "./corridorChain.js";
export { corridorIdOf, parseCorridorId } from "./corridorId.js";
export { ShardingError, ShardingErrorCode } from "./errors.js";
export {
  CorridorLedger,
  type CorridorReceiptPage,
  type CorridorReceiptProof,
  MAX_RECEIPTS_PAGE,
} from "./ledger.js";
export {
  acceptsDepartures,
  type CorridorLifecycle,
  type LifecycleActor,
  LifecycleFault,
  type LifecycleRole,
  transitionFault,
} from "./lifecycle.js";
export {
  type LifecycleMove,
  type LifecyclePlan,
  type LifecycleRequest,
  planLifecycle,
} from "./lifecyclePlan.js";
export { corridorReceiptDigest, ZERO_DIGEST } from "./receipts.js";
export { type InboundSchedule, replyTo, routeOutbound, scheduleInbound } from "./router.js";
export { TRANSFER_STATUS_NAMES, TransferRecord, TransferStatus } from "./transfers.js";
