import { asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { type TransferRecord, TransferStatus } from "./transfers.js";

/**
 * The transfers in transit, in memory: what routing and timeouts need every block (is this transit
 * open, how much value is in flight through a corridor). Ended transfers live only in the database.
 */
export class TransferBook {
  private readonly openByTransit = new Map<string, TransferRecord>();
  private readonly inFlightByCorridor = new Map<string, bigint>();
  /** Open transfers by deadline: the ones a block at that height must end. */
  private readonly openByDeadline = new Map<number, Set<string>>();

  constructor(open: Iterable<TransferRecord>) {
    this.apply(open);
  }

  open(transitHex: string): TransferRecord | undefined {
    return this.openByTransit.get(transitHex);
  }

  /** Every open transfer, oldest departure first. */
  openTransfers(): TransferRecord[] {
    return [...this.openByTransit.values()];
  }

  /** The open transfers whose deadline is `height`. */
  dueAt(height: number): TransferRecord[] {
    const due = this.openByDeadline.get(height);
    return due === undefined ? [] : [...due].map((hex) => this.openByTransit.get(hex)!);
  }

  inFlight(corridor: string): bigint {
    return this.inFlightByCorridor.get(corridor) ?? 0n;
  }

  /** Takes a committed block's transfer changes. */
  apply(records: Iterable<TransferRecord>): void {
    for (const record of records) {
      const hex = toHex(record.transitId);
      const corridor = asciiString(record.corridor);
      const before = this.openByTransit.get(hex);
      if (before !== undefined) {
        this.addInFlight(corridor, -before.amount);
        this.removeDue(before.deadline, hex);
      }
      if (record.status === TransferStatus.InTransit) {
        this.openByTransit.set(hex, record);
        this.addInFlight(corridor, record.amount);
        const due = this.openByDeadline.get(record.deadline) ?? new Set<string>();
        due.add(hex);
        this.openByDeadline.set(record.deadline, due);
      } else {
        this.openByTransit.delete(hex);
      }
    }
  }

  private removeDue(deadline: number, hex: string): void {
    const due = this.openByDeadline.get(deadline);
    due?.delete(hex);
    if (due?.size === 0) this.openByDeadline.delete(deadline);
  }

  private addInFlight(corridor: string, amount: bigint): void {
    const total = (this.inFlightByCorridor.get(corridor) ?? 0n) + amount;
    if (total === 0n) this.inFlightByCorridor.delete(corridor);
    else this.inFlightByCorridor.set(corridor, total);
  }
}
