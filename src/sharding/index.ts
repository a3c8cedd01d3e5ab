export { type CorridorAnchor, corridorInclusion, corridorLeaf, corridorRoot } from "./anchor.js";
export { CorridorBlock, type CorridorReceiptFields, type StoredCorridorReceipt } from "./corridorBlock.js";
export type { CorridorView } from "./corridorChain.js";
export { corridorIdOf, parseCorridorId } from "./corridorId.js";
export { ShardingError, ShardingErrorCode } from "./errors.js";
export {
  acceptsDepartures,
  type CorridorLifecycle,
  type LifecycleActor,
  LifecycleFault,
  type LifecycleRole,
  transitionFault,
} from "./lifecycle.js";
export { corridorReceiptDigest, ZERO_DIGEST } from "./receipts.js";
export { routeMessages } from "./router.js";
