import { tensorReader } from "../../compliance/predicate.js";
import { transferRefusal } from "../../compliance/transferRule.js";
import { sha256 } from "../../crypto/hash.js";
import { CorridorMessage, CorridorMessageKind, ExecutionOutcome, LockStatus } from "../../types/execution.js";
import { asciiBytes } from "../../types/primitives.js";
import { bytesEqual } from "../../util/bytes.js";
import type { SealedReceipt } from "../receipt.js";
import { arrivalKey, lockKey } from "../state/keys.js";
import { type World, ZERO32 } from "../state/world.js";
import { recordReceipt } from "./apply.js";
import type { HarborContext } from "./context.js";
import { nativeResult } from "./outcome.js";

/**
 * Delivers one corridor message to its destination harbor (the block's first phase), on the
 * harbor's native receipt chain:
 * - Departure: the destination re-checks the recipient against its `migrate` import requirements and
 *   transfer limit. Passing records an Arrival the destination asset may SETTLE once; failing emits a
 *   Refusal back so the origin can UNLOCK. A transit id is accepted once: a replay is Invalid.
 * - Refusal / Settlement (at the origin): the in-transit lock becomes unlockable / is retired.
 */
export function deliverMessage(world: World, ctx: HarborContext, message: CorridorMessage): SealedReceipt {
  world.beginExecution();
  const hash = sha256(CorridorMessage.serialize(message));
  const done = (outcome: ExecutionOutcome, reason = "") =>
    recordReceipt(world, ctx, undefined, hash, ZERO32, nativeResult(world, outcome, 0, reason));
  if (!bytesEqual(message.destinationHarbor, asciiBytes(ctx.harbor))) {
    return done(ExecutionOutcome.Invalid, "message addressed to another harbor");
  }
  switch (message.kind as CorridorMessageKind) {
    case CorridorMessageKind.Departure:
      return deliverDeparture(world, ctx, message, done);
    case CorridorMessageKind.Refusal:
    case CorridorMessageKind.Settlement: {
      const key = lockKey(message.transitId);
      const lock = world.locks.get(key);
      if (lock === undefined || lock.status !== LockStatus.InTransit) {
        return done(ExecutionOutcome.Invalid, "no lock in transit under that id");
      }
      world.locks.set(
        key,
        message.kind === CorridorMessageKind.Refusal ? { ...lock, status: LockStatus.Refused } : null,
      );
      return done(ExecutionOutcome.Success);
    }
    default:
      return done(ExecutionOutcome.Invalid, `unknown message kind ${message.kind}`);
  }
}

function deliverDeparture(
  world: World,
  ctx: HarborContext,
  message: CorridorMessage,
  done: (outcome: ExecutionOutcome, reason?: string) => SealedReceipt,
): SealedReceipt {
  const key = arrivalKey(message.transitId);
  if (world.arrivals.get(key) !== undefined) return done(ExecutionOutcome.Invalid, "transit already arrived");
  const pack = ctx.rulePack;
  const refusal = transferRefusal(
    ctx.harbor,
    pack,
    [{ subject: message.recipient, jurisdiction: ctx.jurisdiction, domains: pack.operations.migrate.import }],
    message.amount,
    tensorReader(world, ctx.timestamp),
  );
  if (refusal === undefined) {
    world.arrivals.set(key, { message, settled: false });
    return done(ExecutionOutcome.Success);
  }
  // Remember the refused transit too, so a replayed departure cannot be delivered again.
  world.arrivals.set(key, { message, settled: true });
  world.effects.messages.push({
    ...message,
    kind: CorridorMessageKind.Refusal,
    sourceHarbor: message.destinationHarbor,
    destinationHarbor: message.sourceHarbor,
    receipt: ZERO32,
  });
  return recordReceipt(world, ctx, undefined, sha256(CorridorMessage.serialize(message)), ZERO32, {
    ...nativeResult(world, ExecutionOutcome.Revert, 0, `compliance: ${refusal}`),
    messages: world.effects.messages,
  });
}
