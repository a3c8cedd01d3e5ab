// Corridors: every corridor, one corridor with its receipts (paged), a transfer by transit id.

import type { PageContext } from "./context.js";
import { type El, h } from "./dom.js";
import { amount, short } from "./format.js";
import { type CorridorJson, type CorridorReceiptJson, type Page, rpc, type TransferJson } from "./rpc.js";
import { badge, href, idLink, kv, mono, note, row, section, table } from "./ui.js";

const RECEIPTS_PAGE = 50;

function stateBadge(state: string): El {
  const tone =
    state === "ACTIVE"
      ? "good"
      : state === "SUSPENDED" || state === "PENDING"
        ? "warn"
        : state === "DRAFT"
          ? "muted"
          : "bad";
  return badge(state, tone);
}

function receiptRows(receipts: CorridorReceiptJson[]): El[] {
  return receipts.map((r) =>
    row(
      [
        r.sequence,
        r.kind,
        idLink("transfer", r.transitId),
        `${r.sourceHarbor} → ${r.destinationHarbor}`,
        amount(r.amount),
        idLink("account", r.sender),
        idLink("account", r.recipient),
        h("a", { href: href("block", r.height) }, r.height),
      ],
      { class: "receipt-row" },
    ),
  );
}

const RECEIPT_HEADERS = ["Seq", "Kind", "Transit", "Direction", "Amount", "Sender", "Recipient", "Block"];

export async function corridorsPage(ctx: PageContext): Promise<void> {
  const corridors = await rpc<CorridorJson[]>("mass_listCorridors");
  if (!ctx.alive()) return;
  ctx.main.replaceChildren(
    h("h1", {}, "Corridors"),
    section(
      `${corridors.length} corridors`,
      corridors.length === 0
        ? note("No corridor: every harbor is on its own.")
        : table(
            ["Corridor", "State", "Harbors", "Receipts", "In flight", "Timeout (blocks)", "Initiator"],
            corridors.map((c) =>
              row(
                [
                  h("a", { href: href("corridor", c.id) }, c.id),
                  stateBadge(c.state),
                  c.harbors.join(" ⇄ "),
                  c.receiptCount,
                  amount(c.inFlight),
                  c.params.timeoutBlocks,
                  c.initiator ?? "–",
                ],
                { class: "corridor-row" },
              ),
            ),
            "corridors",
          ),
      note(
        "A corridor's receipts (departures, arrivals, refusals, refunds, transitions) form a chain whose MMR every block header commits.",
      ),
    ),
  );
}

export async function corridorPage(ctx: PageContext, id: string): Promise<void> {
  const corridor = await rpc<CorridorJson>("mass_getCorridor", [id]);
  if (!ctx.alive()) return;
  const receipts = h("div", {});
  const load = async (cursor: string) => {
    const page = await rpc<Page<{ receipt: CorridorReceiptJson; digest: string }>>(
      "mass_listCorridorReceipts",
      [id, cursor, RECEIPTS_PAGE],
    );
    if (!ctx.alive()) return;
    const from = Number(cursor);
    receipts.replaceChildren(
      page.data.length === 0
        ? note("No receipt yet.")
        : table(RECEIPT_HEADERS, receiptRows(page.data.map((d) => d.receipt)), "receipts"),
      h(
        "p",
        { class: "pager" },
        from > 0
          ? h(
              "button",
              { type: "button", onclick: () => void load(String(Math.max(0, from - RECEIPTS_PAGE))) },
              "← earlier",
            )
          : "",
        ` receipts ${from} to ${from + page.data.length - 1} of ${corridor.receiptCount} `,
        page.nextCursor !== null
          ? h("button", { type: "button", onclick: () => void load(page.nextCursor!) }, "later →")
          : "",
      ),
    );
  };
  ctx.main.replaceChildren(
    h("h1", {}, `Corridor ${corridor.id} `, stateBadge(corridor.state)),
    section(
      "Corridor",
      kv([
        ["Harbors", corridor.harbors.join(" ⇄ ")],
        ["State", corridor.state],
        ["Receipts", corridor.receiptCount],
        ["In flight", amount(corridor.inFlight)],
        ["MMR root", mono(corridor.mmrRoot)],
        ["MMR size", corridor.mmrSize],
        ["Timeout", `${corridor.params.timeoutBlocks} blocks`],
        ["Max in flight", amount(corridor.params.maxInFlight)],
        ["Max deliveries per block", corridor.params.maxDeliveriesPerBlock],
        ["Initiator", corridor.initiator ?? "–"],
        ["Resume proposer", corridor.resumeProposer ?? "–"],
      ]),
    ),
    section("Receipts", receipts),
  );
  // The newest page first: a busy corridor's first receipts are old news.
  const count = Number(corridor.receiptCount);
  await load(String(Math.max(0, count - RECEIPTS_PAGE)));
}

export async function transferPage(ctx: PageContext, transitId: string): Promise<void> {
  const t = await rpc<TransferJson>("mass_getTransfer", [transitId]);
  if (!ctx.alive()) return;
  const tone = t.status === "credited" ? "good" : t.status === "refunded" ? "bad" : "warn";
  ctx.main.replaceChildren(
    h("h1", {}, "Transfer ", badge(t.status, tone, "transfer-status")),
    section(
      "Transfer",
      kv([
        ["Transit id", mono(t.transitId)],
        [
          "Corridor",
          t.corridor === null
            ? "none (refunded in its own block)"
            : h("a", { href: href("corridor", t.corridor) }, t.corridor),
        ],
        ["From", `${t.sourceHarbor}`],
        ["To", `${t.destinationHarbor}`],
        ["Sender", idLink("account", t.sender, t.sender)],
        ["Recipient", idLink("account", t.recipient, t.recipient)],
        ["Amount", amount(t.amount)],
        ["Asset", /^0x0+$/.test(t.asset) ? "native balance" : mono(t.asset)],
        ["Departed in", h("a", { href: href("block", t.departedAt) }, `#${t.departedAt}`)],
        ["Deadline", `block ${t.deadline}`],
        [
          "Ended in",
          t.endedAt === null ? "in transit" : h("a", { href: href("block", t.endedAt) }, `#${t.endedAt}`),
        ],
      ]),
    ),
    section(
      "Receipts",
      t.receipts.length === 0
        ? note("No corridor receipt.")
        : table(RECEIPT_HEADERS, receiptRows(t.receipts), "receipts"),
    ),
    h("p", { class: "note" }, `Transit ${short(t.transitId)}.`),
  );
}
