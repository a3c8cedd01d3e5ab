// Small building blocks the pages share: tables, links to other pages, badges.

import { type Child, type El, h } from "./dom.js";
import { short } from "./format.js";

export type LinkKind = "block" | "tx" | "account" | "corridor" | "transfer";

export function href(kind: LinkKind, id: string): string {
  return `#/${kind}/${encodeURIComponent(id)}`;
}

/** A link to another page showing `id` shortened (the full value in its title). */
export function idLink(kind: LinkKind, id: string, text = short(id)): El {
  return h("a", { href: href(kind, id), title: id, class: "mono" }, text);
}

/** A full-length value in monospace, selectable. */
export function mono(value: string): El {
  return h("span", { class: "mono wrap" }, value);
}

export function badge(text: string, tone: "good" | "bad" | "warn" | "info" | "muted", testId?: string): El {
  return h("span", { class: `badge ${tone}`, "data-testid": testId }, text);
}

/** A two-column table of labelled values. */
export function kv(rows: [label: string, value: Child][]): El {
  return h(
    "table",
    { class: "kv" },
    h("tbody", {}, ...rows.map(([label, value]) => h("tr", {}, h("th", {}, label), h("td", {}, value)))),
  );
}

export function table(headers: string[], rows: El[], className = ""): El {
  return h(
    "table",
    { class: `list ${className}`.trim() },
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", {}, t)))),
    h("tbody", {}, ...rows),
  );
}

export function row(cells: Child[], props: Record<string, string> = {}): El {
  return h("tr", props, ...cells.map((c) => h("td", {}, c)));
}

export function section(title: string, ...children: Child[]): El {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

export function note(text: string): El {
  return h("p", { class: "note" }, text);
}

export function errorBox(message: string): El {
  return h("div", { class: "error", role: "alert" }, message);
}

export function outcomeTone(outcome: string | null | undefined): "good" | "bad" | "warn" | "muted" {
  if (outcome === "Success") return "good";
  if (outcome === "Revert" || outcome === "Invalid") return "bad";
  if (outcome === "OutOfGas") return "warn";
  return "muted";
}
