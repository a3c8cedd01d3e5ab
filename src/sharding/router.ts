import { CorridorReceiptKind } from "../types/corridor.js";
import { type CorridorMessage, CorridorMessageKind } from "../types/execution.js";
import { asciiString } from "../types/primitives.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import type { CorridorBlock } from "./corridorBlock.js";
import { corridorIdOf } from "./corridorId.js";
import { acceptsDepartures } from "./lifecycle.js";
import { ZERO_DIGEST } from "./receipts.js";
import type { TransferRecord } from "./transfers.js";

/**
 * How corridor messages move between blocks (docs/protocol.md, "Corridors"): a block's outbound
 * messages are routed at its end (`routeOutbound`, which records their receipts), wait in the
 * chain's pending list, and are scheduled for delivery at the start of a later block
 * (`scheduleInbound`, which holds what may not cross yet and refunds what timed out).
 */

/** The answer to a departure, back through the same corridor to its origin. */
export function replyTo(departure: CorridorMessage, kind: CorridorMessageKind): CorridorMessage {
  return {
    ...departure,
    kind,
    sourceHarbor: departure.destinationHarbor,
    destinationHarbor: departure.sourceHarbor,
    receipt: ZERO_DIGEST,
  };
}

/** The corridor a message would cross; undefined when its harbors are one or not harbor ids at all. */
function corridorOf(message: CorridorMessage): string | undefined {
  try {
    return corridorIdOf(asciiString(message.sourceHarbor), asciiString(message.destinationHarbor));
  } catch {
    return undefined;
  }
}

/** The receipt that ends a transfer, by the destination's answer. */
const ANSWER_RECEIPT_KINDS: ReadonlyMap<CorridorMessageKind, CorridorReceiptKind> = new Map([
  [CorridorMessageKind.Settlement, CorridorReceiptKind.Arrival],
  [CorridorMessageKind.Refusal, CorridorReceiptKind.Refusal],
  [CorridorMessageKind.Expired, CorridorReceiptKind.Refund],
]);

/** A migration of the harbors' native balances: credited on delivery, so it never waits to be settled. */
function isNative(message: CorridorMessage): boolean {
  return bytesEqual(message.sourceAsset, ZERO_DIGEST) && bytesEqual(message.destinationAsset, ZERO_DIGEST);
}

/**
 * Routes one block's outbound messages and returns those to deliver in a later block.
 * - A departure crosses its corridor when the corridor is ACTIVE and the value fits its in-flight
 *   limit: a Departure receipt, and its transfer opens with deadline = this height + its timeout
 *   (the message's, capped at the corridor's). Otherwise it is refused at once: a refusal goes back
 *   to the origin, recorded as a Refusal receipt when a corridor exists at all.
 * - An acknowledgement (Settlement), refusal or expiry answer (Expired) from the destination ends
 *   its open transfer (Arrival, Refusal or Refund receipt) and goes on to the origin, which retires
 *   or refunds the escrow.
 * - Anything else (a transit that already departed, an answer to no open transfer) is dropped:
 *   every transfer opens once and ends once.
 * Past `departureCapacity` departures the pending list is full: further ones are refused at once.
 */
export function routeOutbound(
  block: CorridorBlock,
  messages: readonly CorridorMessage[],
  departureCapacity: number,
): CorridorMessage[] {
  const next: CorridorMessage[] = [];
  let capacity = departureCapacity;
  for (const message of messages) {
    const id = corridorOf(message);
    const corridor = id !== undefined && block.hasCorridor(id) ? id : undefined;
    if (message.kind === CorridorMessageKind.Departure) {
      if (block.openTransfer(message.transitId) !== undefined) continue;
      const refusal = replyTo(message, CorridorMessageKind.Refusal);
      if (corridor === undefined) {
        block.refuse(undefined, message, refusal);
        next.push(refusal);
        continue;
      }
      const params = block.params(corridor);
      const open = acceptsDepartures(block.lifecycle(corridor).state);
      if (!open || capacity <= 0 || block.inFlight(corridor) + message.amount > params.maxInFlight) {
        block.refuse(corridor, message, refusal);
        next.push(refusal);
        continue;
      }
      const asked = message.timeoutBlocks;
      const timeout = asked === 0 || asked > params.timeoutBlocks ? params.timeoutBlocks : asked;
      block.depart(corridor, message, block.height + timeout);
      capacity -= 1;
      next.push(message);
      continue;
    }
    const transfer = block.openTransfer(message.transitId);
    if (transfer === undefined || !bytesEqual(transfer.destinationHarbor, message.sourceHarbor)) continue;
    const kind = ANSWER_RECEIPT_KINDS.get(message.kind as CorridorMessageKind);
    if (kind === undefined) continue;
    block.end(transfer, kind, message);
    next.push(message);
  }
  return next;
}

export interface InboundSchedule {
  /** Delivered in this block, in order. */
  deliver: CorridorMessage[];
  /** Departures that may not cross yet (corridor not ACTIVE, delivery limit): pending for the next block. */
  hold: CorridorMessage[];
}

/**
 * Chooses which pending messages this block delivers. Answers going back to an origin always pass.
 * A departure passes while its corridor is ACTIVE and under `maxDeliveriesPerBlock` for the block;
 * otherwise it waits, until the block of its deadline, where it is refunded instead (a Refund
 * receipt, and a refusal delivered to the origin in this same block): value is never stuck. A
 * Smart Asset's departure needs a block after its delivery to be SETTLEd, so it is delivered only
 * before its deadline; one delivered and still unsettled in the block of its deadline gets an
 * Expiry, delivered first, so that block's SETTLE can no longer claim it.
 */
export function scheduleInbound(block: CorridorBlock, pending: readonly CorridorMessage[]): InboundSchedule {
  const deliver: CorridorMessage[] = [];
  const hold: CorridorMessage[] = [];
  const delivered = new Map<string, number>();
  const waiting = new Set<string>();
  for (const message of pending) {
    if (message.kind === CorridorMessageKind.Departure) waiting.add(toHex(message.transitId));
  }
  for (const transfer of block.transfersDue()) {
    if (!waiting.has(toHex(transfer.transitId))) deliver.push(expiryOf(transfer));
  }
  for (const message of pending) {
    if (message.kind !== CorridorMessageKind.Departure) {
      deliver.push(message);
      continue;
    }
    const transfer = block.openTransfer(message.transitId);
    if (transfer === undefined) continue;
    const id = asciiString(transfer.corridor);
    const count = delivered.get(id) ?? 0;
    const inTime = isNative(message) || block.height < transfer.deadline;
    if (
      inTime &&
      acceptsDepartures(block.lifecycle(id).state) &&
      count < block.params(id).maxDeliveriesPerBlock
    ) {
      delivered.set(id, count + 1);
      deliver.push(message);
    } else if (block.height >= transfer.deadline) {
      const refund = replyTo(message, CorridorMessageKind.Refusal);
      block.end(transfer, CorridorReceiptKind.Refund, refund);
      deliver.push(refund);
    } else {
      hold.push(message);
    }
  }
  return { deliver, hold };
}

/** The Expiry of a delivered, unsettled transfer, addressed to its destination (which holds the arrival). */
function expiryOf(transfer: TransferRecord): CorridorMessage {
  return {
    kind: CorridorMessageKind.Expiry,
    transitId: transfer.transitId,
    sourceHarbor: transfer.sourceHarbor,
    destinationHarbor: transfer.destinationHarbor,
    sourceAsset: transfer.asset,
    destinationAsset: ZERO_DIGEST,
    sender: transfer.sender,
    recipient: transfer.recipient,
    amount: transfer.amount,
    receipt: ZERO_DIGEST,
    timeoutBlocks: 0,
  };
}
