import type { WriteBatch } from "../state/db/index.js";
import { type CorridorReceipt, CorridorReceiptKind, type CorridorState } from "../types/corridor.js";
import type { CorridorMessage } from "../types/execution.js";
import { asciiBytes, asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { corridorRoot } from "./anchor.js";
import { type CorridorChain, recordOf } from "./corridorChain.js";
import { ShardingError, ShardingErrorCode } from "./errors.js";
import type { CorridorLedgerStore } from "./ledgerStore.js";
import {
  acceptsDepartures,
  applyTransition,
  type CorridorLifecycle,
  type LifecycleActor,
  transitionFault,
} from "./lifecycle.js";
import { rootAfter } from "./peaks.js";
import { corridorReceiptDigest, ZERO_DIGEST } from "./receipts.js";
import type { TransferBook } from "./transferBook.js";
import { type TransferRecord, TransferStatus } from "./transfers.js";

/** What the chain says of a transfer receipt; the ledger adds sequence, previous, height, state, evidence. */
export type CorridorReceiptFields = Pick<
  CorridorReceipt,
  "kind" | "transitId" | "sourceHarbor" | "destinationHarbor" | "asset" | "amount" | "sender" | "recipient"
>;

export interface StoredCorridorReceipt {
  receipt: CorridorReceipt;
  digest: Uint8Array;
}

/** One corridor's changes in a staged block. */
export interface StagedCorridor {
  chain: CorridorChain;
  lifecycle: CorridorLifecycle;
  receipts: StoredCorridorReceipt[];
}

const TRANSFER_KINDS: ReadonlySet<CorridorReceiptKind> = new Set([
  CorridorReceiptKind.Departure,
  CorridorReceiptKind.Arrival,
  CorridorReceiptKind.Refusal,
  CorridorReceiptKind.Refund,
]);

type Status = "open" | "written" | "closed";

/**
 * One block's corridor changes, staged so they are atomic with the block: `append`/`transition`
 * while executing, `root()` for the header, `write(batch)` into the block's batch, then `commit()`
 * once that batch is written (or `discard()`). Reads of the ledger see none of it until `commit()`.
 */
export class CorridorBlock {
  private readonly staged = new Map<string, StagedCorridor>();
  private readonly stagedTransfers = new Map<string, TransferRecord>();
  private readonly inFlightDelta = new Map<string, bigint>();
  private status: Status = "open";

  constructor(
    readonly height: number,
    private readonly chains: ReadonlyMap<string, CorridorChain>,
    private readonly store: CorridorLedgerStore,
    private readonly book: TransferBook,
    private readonly onCommit: (
      block: CorridorBlock,
      changes: readonly StagedCorridor[],
      transfers: readonly TransferRecord[],
    ) => void,
  ) {}

  /** Whether a corridor with this id exists. */
  hasCorridor(id: string): boolean {
    return this.chains.has(id);
  }

  harborsOf(id: string): readonly [string, string] {
    return this.corridor(id).chain.harbors;
  }

  params(id: string) {
    return this.corridor(id).chain.params;
  }

  /** An open transfer (in transit), with this block's changes; undefined once it ended or if never seen. */
  openTransfer(transitId: Uint8Array): TransferRecord | undefined {
    const hex = toHex(transitId);
    const staged = this.stagedTransfers.get(hex);
    if (staged !== undefined) return staged.status === TransferStatus.InTransit ? staged : undefined;
    return this.book.open(hex);
  }

  /** The transfers open at the start of this block whose deadline is this block. */
  transfersDue(): TransferRecord[] {
    return this.book.dueAt(this.height);
  }

  /** Value in flight through corridor `id`, with this block's departures and ends. */
  inFlight(id: string): bigint {
    return this.book.inFlight(id) + (this.inFlightDelta.get(id) ?? 0n);
  }

  /** Records a departure that crosses corridor `id` (a Departure receipt) and opens its transfer. */
  depart(id: string, message: CorridorMessage, deadline: number): void {
    const receipt = this.append(id, receiptFields(message, CorridorReceiptKind.Departure));
    this.putTransfer({
      ...transferOf(message, id),
      status: TransferStatus.InTransit,
      departedAt: this.height,
      deadline,
      endedAt: 0,
      receipts: [receipt.sequence],
    });
    this.inFlightDelta.set(id, (this.inFlightDelta.get(id) ?? 0n) + message.amount);
  }

  /**
   * Ends an open transfer: `Arrival` (credited), `Refusal` or `Refund` (refunded). `message` is the
   * one that ends it, going back to the origin (its harbors are the reverse of the departure's).
   */
  end(open: TransferRecord, kind: CorridorReceiptKind, message: CorridorMessage): void {
    const id = asciiString(open.corridor);
    const receipt = this.append(id, receiptFields(message, kind));
    this.putTransfer({
      ...open,
      status: kind === CorridorReceiptKind.Arrival ? TransferStatus.Credited : TransferStatus.Refunded,
      endedAt: this.height,
      receipts: [...open.receipts, receipt.sequence],
    });
    this.inFlightDelta.set(id, (this.inFlightDelta.get(id) ?? 0n) - open.amount);
  }

  /**
   * Refuses a departure at once, before it crosses anything: through corridor `id` (not ACTIVE, over
   * its in-flight limit) a Refusal receipt is recorded; towards a harbor with no corridor from its
   * origin (`id` undefined) the transfer is refunded with no receipt, since it crossed no corridor.
   */
  refuse(id: string | undefined, departure: CorridorMessage, refusal: CorridorMessage): void {
    const receipts =
      id === undefined ? [] : [this.append(id, receiptFields(refusal, CorridorReceiptKind.Refusal)).sequence];
    this.putTransfer({
      ...transferOf(departure, id ?? ""),
      status: TransferStatus.Refunded,
      departedAt: this.height,
      deadline: this.height,
      endedAt: this.height,
      receipts,
    });
  }

  private putTransfer(record: TransferRecord): void {
    this.expect("open", "change");
    this.stagedTransfers.set(toHex(record.transitId), record);
  }

  /** The corridor's lifecycle including this block's transitions so far. */
  lifecycle(id: string): CorridorLifecycle {
    return this.corridor(id).lifecycle;
  }

  /** Appends a transfer receipt (departure, arrival, refusal, refund) to corridor `id`'s chain. */
  private append(id: string, fields: CorridorReceiptFields): CorridorReceipt {
    const corridor = this.corridor(id);
    const { harbors } = corridor.chain;
    if (!TRANSFER_KINDS.has(fields.kind)) {
      throw new ShardingError(
        ShardingErrorCode.InvalidReceipt,
        `receipt kind ${fields.kind} is not a transfer kind (a transition goes through transition())`,
        { id, kind: fields.kind },
      );
    }
    const source = asciiString(fields.sourceHarbor);
    const destination = asciiString(fields.destinationHarbor);
    if (source === destination || !harbors.includes(source) || !harbors.includes(destination)) {
      throw new ShardingError(
        ShardingErrorCode.InvalidReceipt,
        `a receipt of corridor ${id} goes between its harbors, not ${source} → ${destination}`,
        { id, source, destination },
      );
    }
    const { state } = corridor.lifecycle;
    if (fields.kind === CorridorReceiptKind.Departure && !acceptsDepartures(state)) {
      throw new ShardingError(
        ShardingErrorCode.CorridorNotActive,
        `corridor ${id} is not ACTIVE (state ${state}): it takes no departure`,
        { id, state },
      );
    }
    return this.push(corridor, { ...fields, state, evidence: ZERO_DIGEST });
  }

  /**
   * Moves corridor `id` through its lifecycle as `by` (lifecycle.ts's rules) and records the move as
   * a Transition receipt from the acting harbor to the other; a resume proposal keeps HALTED.
   */
  transition(id: string, to: CorridorState, by: LifecycleActor, evidence: Uint8Array): CorridorReceipt {
    const corridor = this.corridor(id);
    const { harbors } = corridor.chain;
    const fault = transitionFault(harbors, corridor.lifecycle, to, by);
    if (fault !== undefined) {
      throw new ShardingError(
        ShardingErrorCode.TransitionRefused,
        `corridor ${id}: ${by.harbor} as ${by.role} may not move it from state ${corridor.lifecycle.state} to ${to} (${fault})`,
        { id, from: corridor.lifecycle.state, to, by, fault },
      );
    }
    corridor.lifecycle = applyTransition(corridor.lifecycle, to, by);
    const other = harbors[0] === by.harbor ? harbors[1] : harbors[0];
    return this.push(corridor, {
      kind: CorridorReceiptKind.Transition,
      transitId: ZERO_DIGEST,
      sourceHarbor: asciiBytes(by.harbor),
      destinationHarbor: asciiBytes(other),
      asset: ZERO_DIGEST,
      amount: 0n,
      sender: ZERO_DIGEST,
      recipient: ZERO_DIGEST,
      state: corridor.lifecycle.state,
      evidence,
    });
  }

  /** The header's corridorRoot with this block's receipts so far. */
  root(): Uint8Array {
    return corridorRoot(
      [...this.chains.values()].map((chain) => {
        const receipts = this.staged.get(chain.id)?.receipts ?? [];
        return {
          id: chain.id,
          mmrRoot: rootAfter(
            chain.mmr,
            receipts.map((r) => r.digest),
          ),
          mmrSize: chain.size + receipts.length,
        };
      }),
    );
  }

  /** The receipts this block appended so far, by corridor, in order. */
  appended(): { corridor: string; receipts: readonly CorridorReceipt[] }[] {
    return [...this.staged].map(([corridor, { receipts }]) => ({
      corridor,
      receipts: receipts.map((r) => r.receipt),
    }));
  }

  /** Puts every changed corridor's record and new receipts into the block's batch. */
  write(batch: WriteBatch): void {
    this.expect("open", "write");
    for (const [id, { chain, lifecycle, receipts }] of this.staged) {
      this.store.putRecord(batch, id, recordOf(lifecycle, chain.params, chain.size + receipts.length));
      for (const { receipt, digest } of receipts) this.store.putReceipt(batch, id, receipt, digest);
    }
    for (const record of this.stagedTransfers.values()) this.store.putTransfer(batch, record);
    this.status = "written";
  }

  /** Makes the block the ledger's state; call once the batch `write` filled is in the database. */
  commit(): void {
    this.expect("written", "commit");
    this.status = "closed";
    this.onCommit(this, [...this.staged.values()], [...this.stagedTransfers.values()]);
  }

  /** Drops the block (its batch was not written). */
  discard(): void {
    this.status = "closed";
  }

  private push(
    corridor: StagedCorridor,
    rest: Omit<CorridorReceipt, "sequence" | "previous" | "height">,
  ): CorridorReceipt {
    const { chain, receipts } = corridor;
    const receipt: CorridorReceipt = {
      ...rest,
      sequence: chain.size + receipts.length,
      previous: receipts.at(-1)?.digest ?? chain.lastDigest,
      height: this.height,
    };
    receipts.push({ receipt, digest: corridorReceiptDigest(receipt) });
    return receipt;
  }

  private corridor(id: string): StagedCorridor {
    this.expect("open", "change");
    const staged = this.staged.get(id);
    if (staged !== undefined) return staged;
    const chain = this.chains.get(id);
    if (chain === undefined) {
      throw new ShardingError(ShardingErrorCode.UnknownCorridor, `no corridor ${id}`, { id });
    }
    const fresh: StagedCorridor = { chain, lifecycle: chain.lifecycle, receipts: [] };
    this.staged.set(id, fresh);
    return fresh;
  }

  private expect(status: Status, action: string): void {
    if (this.status !== status) {
      throw new ShardingError(
        ShardingErrorCode.StageClosed,
        `cannot ${action} a corridor block that is ${this.status} (height ${this.height})`,
        { height: this.height, status: this.status },
      );
    }
  }
}

/** What a transfer record takes from its departure; `id` is its corridor ("" when there is none). */
function transferOf(departure: CorridorMessage, id: string) {
  return {
    transitId: departure.transitId,
    corridor: asciiBytes(id),
    sourceHarbor: departure.sourceHarbor,
    destinationHarbor: departure.destinationHarbor,
    asset: departure.sourceAsset,
    amount: departure.amount,
    sender: departure.sender,
    recipient: departure.recipient,
  };
}

function receiptFields(message: CorridorMessage, kind: CorridorReceiptKind): CorridorReceiptFields {
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
