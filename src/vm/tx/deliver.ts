import { tensorReader } from "../../compliance/predicate.js";
import { transferRefusal } from "../../compliance/transferRule.js";
import { sha256 } from "../../crypto/hash.js";
import { replyTo } from "../../sharding/router.js";
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
 *   transfer limit. Passing credits native value at once and acknowledges it with a Settlement, or
 *   records an Arrival the destination asset may SETTLE once; failing emits a Refusal back so the
 *   origin refunds (native) or can UNLOCK (asset). An asset's transit id is accepted once: a replay
 *   is Invalid (a native departure is delivered once by the sharding layer and leaves no record).
 * - Expiry (at the destination, in the block of the deadline): an arrival not yet SETTLEd closes,
 *   so it can never be claimed, and an Expired goes back.
 * - Refusal or Expired / Settlement (at the origin): a native escrow is paid back / retired; an
 *   asset's in-transit lock becomes unlockable / is retired.
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
    case CorridorMessageKind.Expiry: {
      const key = arrivalKey(message.transitId);
      const arrival = world.arrivals.get(key);
      if (arrival === undefined || arrival.settled)
        return done(ExecutionOutcome.Invalid, "no unsettled arrival");
      world.arrivals.set(key, { message: arrival.message, settled: true });
      world.effects.messages.push(replyTo(arrival.message, CorridorMessageKind.Expired));
      return done(ExecutionOutcome.Success);
    }
    case CorridorMessageKind.Refusal:
    case CorridorMessageKind.Expired:
    case CorridorMessageKind.Settlement: {
      const key = lockKey(message.transitId);
      const lock = world.locks.get(key);
      if (lock === undefined || lock.status !== LockStatus.InTransit) {
        return done(ExecutionOutcome.Invalid, "no lock in transit under that id");
      }
      const refused = message.kind !== CorridorMessageKind.Settlement;
      if (bytesEqual(lock.asset, ZERO32)) {
        // The native escrow: a refusal pays it back to its owner, an acknowledgement retires it.
        if (refused) {
          const owner = world.getAccount(lock.owner);
          world.setAccount(lock.owner, { ...owner, balance: owner.balance + lock.amount });
        }
        world.locks.set(key, null);
      } else {
        world.locks.set(key, refused ? { ...lock, status: LockStatus.Refused } : null);
      }
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
  if (refusal === undefined && isNative(message)) {
    // Native value is credited on arrival, and the acknowledgement retires the origin's escrow. No
    // arrival is kept: the sharding layer delivers a departure only while its transfer is open, and
    // a native one ends in the block of its delivery, so state does not grow with every migration.
    const recipient = world.getAccount(message.recipient);
    world.setAccount(message.recipient, { ...recipient, balance: recipient.balance + message.amount });
    world.effects.messages.push(replyTo(message, CorridorMessageKind.Settlement));
    return done(ExecutionOutcome.Success);
  }
  if (refusal === undefined) {
    world.arrivals.set(key, { message, settled: false });
    return done(ExecutionOutcome.Success);
  }
  // Remember a refused asset transit too, so a replayed departure cannot be delivered again.
  if (!isNative(message)) world.arrivals.set(key, { message, settled: true });
  world.effects.messages.push(replyTo(message, CorridorMessageKind.Refusal));
  return recordReceipt(world, ctx, undefined, sha256(CorridorMessage.serialize(message)), ZERO32, {
    ...nativeResult(world, ExecutionOutcome.Revert, 0, `compliance: ${refusal}`),
    messages: world.effects.messages,
  });
}

/** A migration of the harbors' native balances (not of a Smart Asset). */
function isNative(message: CorridorMessage): boolean {
  return bytesEqual(message.sourceAsset, ZERO32) && bytesEqual(message.destinationAsset, ZERO32);
}
