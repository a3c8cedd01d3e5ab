export { type CorridorAnchor, corridorInclusion, corridorLeaf, corridorRoot } from "./anchor.js";
export { CorridorBlock, type CorridorReceiptFields, type StoredCorridorReceipt } from "./corridorBlock.js";
export type { CorridorView } from "./corridorChain.js";
export { corridorIdOf, parseCorridorId } from "./corridorId.js";
export { CorridorRound, MAX_PENDING_MESSAGES } from "./corridorRound.js";
export { ShardingError, ShardingErrorCode } from "./errors.js";
export {
  CorridorLedger,
  type CorridorReceiptPage,
  type CorridorReceiptProof,
  MAX_RECEIPTS_PAGE,
} from "./ledger.js";
export { CORRIDOR_BUCKETS } from "./ledgerStore.js";
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
  lifecycleRequests,
  planLifecycle,
  type SelectedTx,
} from "./lifecyclePlan.js";
export { corridorReceiptDigest, ZERO_DIGEST } from "./receipts.js";
export { type InboundSchedule, replyTo, routeOutbound, scheduleInbound } from "./router.js";
export { TRANSFER_STATUS_NAMES, TransferRecord, TransferStatus } from "./transfers.js";
