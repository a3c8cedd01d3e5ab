import type { CorridorMetrics, CorridorSample } from "../metrics/index.js";
import type { CorridorLedger } from "../sharding/index.js";
import { type CorridorReceipt, CorridorReceiptKind, CorridorState } from "../types/corridor.js";
import { asciiString } from "../types/primitives.js";

/** An enum member's name as mass_getCorridor spells it (ACTIVE, DEPARTURE); UNKNOWN_<code> otherwise. */
const nameOf = (names: Record<number, string>, code: number): string =>
  names[code]?.toUpperCase() ?? `UNKNOWN_${code}`;

/**
 * Feeds the corridor metrics from the chain's corridor ledger: the gauges read it when scraped,
 * and `blockCommitted` counts the receipts each block appended, by kind.
 */
export class CorridorMetricsFeed {
  constructor(
    private readonly metrics: CorridorMetrics,
    private readonly ledger: CorridorLedger,
  ) {
    metrics.watch(() => this.samples());
  }

  /** After a block is committed: counts the receipts its corridor round appended, by kind. */
  blockCommitted(appended: readonly { corridor: string; receipts: readonly CorridorReceipt[] }[]): void {
    for (const { corridor, receipts } of appended) {
      for (const receipt of receipts) {
        this.metrics.receipts.inc({ corridor, kind: nameOf(CorridorReceiptKind, receipt.kind) });
      }
    }
  }

  private samples(): CorridorSample[] {
    const open = new Map<string, number>();
    for (const t of this.ledger.openTransfers()) {
      const id = asciiString(t.corridor);
      open.set(id, (open.get(id) ?? 0) + 1);
    }
    return this.ledger.list().map((c) => ({
      id: c.id,
      state: nameOf(CorridorState, c.state),
      openTransfers: open.get(c.id) ?? 0,
      valueInFlight: this.ledger.inFlight(c.id),
    }));
  }
}
