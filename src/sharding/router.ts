import { CorridorReceiptKind, CorridorState } from "../types/corridor.js";
import { type CorridorMessage, CorridorMessageKind } from "../types/execution.js";
import { asciiString } from "../types/primitives.js";
import type { CorridorBlock } from "./corridorBlock.js";
import { corridorIdOf } from "./corridorId.js";

/** Which corridor receipt a crossing message records. */
const RECEIPT_OF: Record<CorridorMessageKind, CorridorReceiptKind> = {
  [CorridorMessageKind.Departure]: CorridorReceiptKind.Departure,
  [CorridorMessageKind.Settlement]: CorridorReceiptKind.Arrival,
  [CorridorMessageKind.Refusal]: CorridorReceiptKind.Refusal,
};

/** The refusal a departure gets back at its origin when it cannot cross. */
function refusalOf(departure: CorridorMessage): CorridorMessage {
  return {
    ...departure,
    kind: CorridorMessageKind.Refusal,
    sourceHarbor: departure.destinationHarbor,
    destinationHarbor: departure.sourceHarbor,
  };
}

/**
 * Routes one block's outbound corridor messages through their corridors, recording each crossing
 * as a receipt on the corridor's chain (in `block`), and returns the messages to deliver in the
 * next block. A departure towards a harbor without a corridor from its origin, or through a
 * corridor that is not ACTIVE, crosses nothing: a refusal goes straight back to the origin, which
 * then releases the value (it is never left locked).
 */
export function routeMessages(
  block: CorridorBlock,
  corridors: ReadonlySet<string>,
  messages: readonly CorridorMessage[],
): CorridorMessage[] {
  const next: CorridorMessage[] = [];
  for (const message of messages) {
    const source = asciiString(message.sourceHarbor);
    const destination = asciiString(message.destinationHarbor);
    const id = source === destination ? undefined : corridorIdOf(source, destination);
    const kind = message.kind as CorridorMessageKind;
    const known = id !== undefined && corridors.has(id);
    if (kind === CorridorMessageKind.Departure) {
      if (!known) {
        next.push(refusalOf(message));
        continue;
      }
      if (block.lifecycle(id).state !== CorridorState.Active) {
        const refusal = refusalOf(message);
        block.append(id, receiptFields(refusal, CorridorReceiptKind.Refusal));
        next.push(refusal);
        continue;
      }
    }
    const receiptKind = RECEIPT_OF[kind];
    if (known && receiptKind !== undefined) block.append(id, receiptFields(message, receiptKind));
    next.push(message);
  }
  return next;
}

function receiptFields(message: CorridorMessage, kind: CorridorReceiptKind) {
  return {
    kind,
    transitId: message.transitId,
    sourceHarbor: message.sourceHarbor,
    destinationHarbor: message.destinationHarbor,
    asset: message.sourceAsset,
    amount: message.amount,
    sender: message.sender,
    recipient: message.recipient,
  };
}
