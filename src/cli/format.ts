import type { CorridorJson, CorridorReceiptJson, TransferJson } from "../rpc/corridorJson.js";
import type { FinalTx } from "./send.js";

/** Human-readable output of the corridor commands: one `name  value` line per fact. */

/** `name` padded into a column, then `value`. */
export function field(name: string, value: string): string {
  return `${name.padEnd(10)}${value}`;
}

export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
}

/** One JSON line on stdout (what --json prints). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A final transaction's outcome, with its reason when it failed: `Revert in pk-sifc at block 9 (final): …`. */
export function finalText(tx: FinalTx, harbor?: string): string {
  const where = harbor === undefined ? "" : ` in ${harbor}`;
  const why = tx.reason === "" ? "" : `: ${tx.reason}`;
  return `${tx.outcome}${where} at block ${tx.height} (final)${why}`;
}

export function receiptLine(r: CorridorReceiptJson): string {
  return field(
    "receipt",
    `#${r.sequence} ${r.kind} ${r.sourceHarbor} → ${r.destinationHarbor} at block ${r.height}`,
  );
}

/** Why a refunded transfer was refunded, from its receipts (they carry no reason text). */
export function refundReason(t: TransferJson): string {
  if (t.corridor === null) return `no corridor links ${t.sourceHarbor} and ${t.destinationHarbor}`;
  const last = t.receipts.at(-1);
  if (last?.kind === "REFUND") return `not delivered by its deadline, block ${t.deadline}`;
  // Refused at once, without a Departure receipt: the corridor was stopped or full.
  if (t.receipts.length === 1) {
    return last?.state === "ACTIVE"
      ? `corridor ${t.corridor} was at its in-flight limit`
      : `corridor ${t.corridor} is ${last?.state} and takes no departure`;
  }
  return `${t.destinationHarbor} refused it (the recipient fails its migrate import rules, or a limit)`;
}

export function transferLines(t: TransferJson): string[] {
  const ended = t.endedAt === null ? "not yet" : t.endedAt;
  return [
    field("status", t.status === "refunded" ? `refunded: ${refundReason(t)}` : t.status),
    field("corridor", t.corridor ?? "none"),
    field("from", `${t.sender} in ${t.sourceHarbor}`),
    field("to", `${t.recipient} in ${t.destinationHarbor}`),
    field("amount", t.amount),
    field("blocks", `departed ${t.departedAt}, deadline ${t.deadline}, ended ${ended}`),
    ...t.receipts.map(receiptLine),
  ];
}

function stateText(c: CorridorJson): string {
  const by = [
    ...(c.initiator === null ? [] : [`by ${c.initiator}`]),
    ...(c.resumeProposer === null ? [] : [`resume proposed by ${c.resumeProposer}`]),
  ];
  return by.length === 0 ? c.state : `${c.state} (${by.join(", ")})`;
}

export function corridorLines(c: CorridorJson): string[] {
  const p = c.params;
  return [
    field("corridor", c.id),
    field("state", stateText(c)),
    field("harbors", c.harbors.join(", ")),
    field("in flight", c.inFlight),
    field("receipts", `${c.receiptCount} (MMR size ${c.mmrSize}, root ${c.mmrRoot})`),
    field(
      "params",
      `timeout ${p.timeoutBlocks} blocks, at most ${p.maxInFlight} in flight, ${p.maxDeliveriesPerBlock} deliveries a block`,
    ),
  ];
}

/** Every corridor, one row each, in aligned columns. */
export function corridorTable(corridors: readonly CorridorJson[]): string[] {
  const rows = [
    ["corridor", "state", "receipts", "in flight"],
    ...corridors.map((c) => [c.id, stateText(c), c.receiptCount, c.inFlight]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}
