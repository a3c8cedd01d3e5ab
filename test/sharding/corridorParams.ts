import type { CorridorParams } from "../../src/types/corridor.js";

/**
 * Corridor limits for the randomized schedules: small enough that a few transactions a block meet
 * each of them (held deliveries, in-flight refusals, refunds at a timeout of a few blocks).
 */
export const SCHEDULE_CORRIDOR_PARAMS: Partial<CorridorParams> = {
  timeoutBlocks: 4,
  maxInFlight: 4_000_000n,
  maxDeliveriesPerBlock: 2,
};
