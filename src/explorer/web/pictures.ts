// The two pictures: the DAG of the last rounds and the compliance tensor as a heat map (SVG).

import type { PageContext } from "./context.js";
import { DAG_GEOMETRY, type DagLayout, defaultCommit, layoutDag } from "./dagLayout.js";
import { type El, h, svg } from "./dom.js";
import { short, utcTime } from "./format.js";
import { COMPLIANCE_STATES, DOMAINS } from "./names.js";
import { type DagJson, rpc, type TensorCellJson, type TensorPage } from "./rpc.js";
import { cellColour, EMPTY_COLOUR, STATE_COLOURS, TENSOR_GEOMETRY, tensorGrid } from "./tensorLayout.js";
import { badge, href, note, section } from "./ui.js";

const DAG_ROUND_CHOICES = [8, 12, 20, 30, 50];
const DAG_REFRESH_MS = 2_000;
/** Pages of tensor cells one harbor's map reads at most (each up to 500 cells). */
const MAX_TENSOR_PAGES = 10;
const TENSOR_PAGE = 500;

function dagPicture(
  layout: DagLayout,
  highlight: number | null,
  select: (commit: number | null) => void,
): El {
  const g = DAG_GEOMETRY;
  const grid: El[] = [];
  for (const { round, x } of layout.rounds) {
    if (round % 2 === 0)
      grid.push(
        svg("rect", {
          class: "leader-band",
          x: x - g.column / 2,
          y: g.top - 6,
          width: g.column,
          height: layout.height - g.top - g.bottom + 12,
        }),
      );
    grid.push(
      svg("text", { class: "round-label", x, y: g.top - 12, "text-anchor": "middle" }, String(round)),
    );
  }
  for (const a of layout.authors) {
    grid.push(
      svg(
        "text",
        { class: "author-label", x: g.left - 12, y: a.y + 4, "text-anchor": "end" },
        a.name || `validator ${a.index}`,
      ),
    );
    grid.push(
      svg("line", { class: "author-line", x1: g.left, y1: a.y, x2: layout.width - g.right, y2: a.y }),
    );
  }
  const edges = layout.edges.map((e) =>
    svg("line", {
      class: e.highlighted ? "edge hl" : highlight === null ? "edge" : "edge dim",
      x1: e.from.x - g.radius,
      y1: e.from.y,
      x2: e.to.x + g.radius,
      y2: e.to.y,
    }),
  );
  const nodes = layout.nodes.map((n) => {
    const c = n.cert;
    const classes = ["cert", c.committed ? "committed" : "uncommitted"];
    if (n.commit !== null) classes.push(`c${n.commit % 2}`);
    if (c.leader) classes.push("leader");
    if (c.committedLeader) classes.push("anchor");
    if (highlight !== null) classes.push(n.commit === highlight ? "hl" : "dim");
    const commitText =
      c.commitIndex === null
        ? c.committed
          ? "committed"
          : "not committed yet"
        : `ordered by commit ${c.commitIndex}`;
    const title = `round ${c.round}, author ${c.author}${c.leader ? ", leader" : ""}\n${c.digest}\n${commitText}\nparents ${c.parents.length}, batches ${c.batches}, created ${utcTime(c.createdAt)}`;
    return svg(
      "g",
      { class: "node", onclick: () => select(n.commit === highlight ? null : n.commit) },
      svg(
        "circle",
        {
          class: classes.join(" "),
          cx: n.x,
          cy: n.y,
          r: c.committedLeader ? g.radius + 3 : g.radius,
          "data-digest": c.digest,
        },
        svg("title", {}, title),
      ),
    );
  });
  return svg(
    "svg",
    {
      id: "dag",
      class: "dag",
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      width: layout.width,
      height: layout.height,
      role: "img",
      "aria-label": "consensus DAG",
    },
    svg("g", { class: "grid" }, ...grid),
    svg("g", { class: "edges" }, ...edges),
    svg("g", { class: "nodes" }, ...nodes),
  );
}

function dagLegend(): El {
  const item = (cls: string, text: string) =>
    h(
      "span",
      { class: "legend-item" },
      svg(
        "svg",
        { width: 18, height: 18, viewBox: "0 0 18 18" },
        svg("circle", { class: `cert ${cls}`, cx: 9, cy: 9, r: 6 }),
      ),
      text,
    );
  return h(
    "div",
    { class: "legend" },
    item("committed c0", "committed (sub-DAGs alternate shades)"),
    item("uncommitted", "not committed yet"),
    item("committed leader c0", "leader slot (even round)"),
    item("committed anchor c0", "committed leader"),
    item("committed c0 hl", "the selected commit's sub-DAG"),
  );
}

export async function dagPage(ctx: PageContext): Promise<void> {
  let rounds = 12;
  let live = true;
  let selected: number | null | undefined;
  let last: DagJson | undefined;
  const picture = h("div", { class: "scroll" });
  const summary = h("p", { class: "note" });
  const detail = h("div", {});
  const redraw = () => {
    if (last === undefined) return;
    const dag = last;
    const highlight = selected === undefined ? defaultCommit(dag) : selected;
    const layout = layoutDag(dag, highlight);
    picture.replaceChildren(
      dag.certificates.length === 0
        ? note("The store holds no certificate yet.")
        : dagPicture(layout, highlight, (commit) => {
            selected = commit;
            redraw();
          }),
    );
    summary.textContent = `Rounds ${dag.fromRound} to ${dag.toRound}: ${dag.certificates.length} certificates, ${layout.edges.length} parent edges shown (${layout.clipped} to rounds before the window). Last committed leader round ${dag.lastCommittedRound}; gc round ${dag.gcRound}.`;
    const commit = dag.commits.find((c) => Number(c.index) === highlight);
    detail.replaceChildren(
      commit === undefined
        ? note(
            highlight === null
              ? "Click a committed certificate to highlight the sub-DAG its commit ordered."
              : `Commit ${highlight}: its leader is before this window.`,
          )
        : h(
            "p",
            { "data-testid": "dag-commit" },
            badge(`commit ${commit.index}`, "info"),
            ` leader round ${commit.leaderRound}, leader ${short(commit.leader)}, ${commit.certificates} certificates ordered`,
            commit.height === null
              ? ""
              : h(
                  "span",
                  {},
                  " → ",
                  h("a", { href: href("block", commit.height) }, `block ${commit.height}`),
                ),
          ),
    );
  };
  const select = h(
    "select",
    {
      onchange: () => {
        rounds = Number(select.value);
        void refresh();
      },
    },
    ...DAG_ROUND_CHOICES.map((n) => h("option", { value: String(n), selected: n === rounds }, `${n} rounds`)),
  );
  const liveBox = h("input", {
    type: "checkbox",
    checked: true,
    onchange: () => {
      live = liveBox.checked;
    },
  });
  const refresh = async () => {
    const dag = await rpc<DagJson>("mass_getDag", [rounds]);
    if (!ctx.alive()) return;
    last = dag;
    if (
      selected !== undefined &&
      selected !== null &&
      !dag.certificates.some((c) => c.commitIndex === String(selected))
    )
      selected = undefined;
    redraw();
  };
  ctx.main.replaceChildren(
    h("h1", {}, "DAG"),
    section(
      "Certificates by round and author",
      h("div", { class: "controls" }, select, h("label", {}, liveBox, " live")),
      summary,
      picture,
      detail,
      dagLegend(),
      note(
        "Each certificate references a quorum of the previous round (its parents). Leaders sit on even rounds; a leader commits once enough of the next round references it, and its commit orders its causal history not ordered before: its sub-DAG.",
      ),
    ),
  );
  ctx.every(DAG_REFRESH_MS, async () => {
    if (live || last === undefined) await refresh();
  });
}

function heatMap(grid: ReturnType<typeof tensorGrid>): El {
  const g = TENSOR_GEOMETRY;
  const step = g.cell + g.gap;
  const parts: El[] = [];
  DOMAINS.forEach((d, i) => {
    const x = g.left + i * step + g.cell / 2;
    parts.push(
      svg("text", { class: "domain-label", x, y: g.top - 8, transform: `rotate(-55 ${x} ${g.top - 8})` }, d),
    );
  });
  grid.subjects.forEach((subject, r) => {
    const y = g.top + r * step;
    parts.push(
      svg(
        "a",
        { href: href("account", subject) },
        svg(
          "text",
          { class: "subject-label", x: g.left - 8, y: y + g.cell / 2 + 4, "text-anchor": "end" },
          short(subject, 5),
          svg("title", {}, subject),
        ),
      ),
    );
    grid.rows[r]!.forEach((cell, d) => {
      const x = g.left + d * step;
      const title =
        cell === undefined
          ? `${subject}\n${DOMAINS[d]}: no attestation (reads UNKNOWN)`
          : `${subject}\n${cell.domain} (${cell.jurisdiction}): ${cell.effectiveState}${cell.expired ? ` (attested ${cell.state}, expired ${utcTime(cell.expiresAt)})` : ""}\nexpires ${cell.expiresAt === "0" ? "never" : utcTime(cell.expiresAt)}\nattester ${cell.attester}`;
      parts.push(
        svg(
          "rect",
          {
            class: cell === undefined ? "cell empty" : `cell${cell.expired ? " expired" : ""}`,
            x,
            y,
            width: g.cell,
            height: g.cell,
            rx: 3,
            fill: cellColour(cell),
            "data-state": cell?.effectiveState ?? "NONE",
          },
          svg("title", {}, title),
        ),
      );
      if (cell?.expired) {
        parts.push(
          svg("path", {
            class: "expired-mark",
            d: `M${x + 5} ${y + 5}L${x + g.cell - 5} ${y + g.cell - 5}M${x + g.cell - 5} ${y + 5}L${x + 5} ${y + g.cell - 5}`,
          }),
        );
      }
    });
  });
  return svg(
    "svg",
    {
      class: "tensor",
      viewBox: `0 0 ${grid.width} ${grid.height}`,
      width: grid.width,
      height: grid.height,
      role: "img",
      "aria-label": "compliance tensor heat map",
    },
    ...parts,
  );
}

function tensorLegend(): El {
  const swatch = (colour: string, text: string, extra = "") =>
    h(
      "span",
      { class: "legend-item" },
      svg(
        "svg",
        { width: 16, height: 16, viewBox: "0 0 16 16" },
        svg("rect", { x: 1, y: 1, width: 14, height: 14, rx: 3, fill: colour }),
        extra ? svg("path", { class: "expired-mark", d: "M4 4L12 12M12 4L4 12" }) : null,
      ),
      text,
    );
  return h(
    "div",
    { class: "legend" },
    ...COMPLIANCE_STATES.map((s) => swatch(STATE_COLOURS[s]!, s)),
    swatch(EMPTY_COLOUR, "no attestation"),
    swatch(STATE_COLOURS.EXPIRED!, "expired (past expiresAt)", "x"),
  );
}

async function harborCells(
  harbor: string,
): Promise<{ cells: TensorCellJson[]; last: TensorPage; truncated: boolean }> {
  const cells: TensorCellJson[] = [];
  let cursor: string | null = null;
  let last: TensorPage | undefined;
  for (let i = 0; i < MAX_TENSOR_PAGES; i++) {
    const page: TensorPage = await rpc<TensorPage>("mass_listTensorCells", [harbor, cursor, TENSOR_PAGE]);
    cells.push(...page.data);
    last = page;
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  return { cells, last: last!, truncated: cursor !== null };
}

export async function tensorPage(ctx: PageContext): Promise<void> {
  const holder = h("div", {});
  ctx.main.replaceChildren(
    h("h1", {}, "Compliance tensor"),
    note(
      "Per harbor: one row per subject, one column per compliance domain, coloured by the state a transaction executing now reads (an attestation past its expiresAt reads EXPIRED and is crossed out). Hover a cell for its attestation.",
    ),
    tensorLegend(),
    holder,
  );
  const sections = await Promise.all(
    ctx.info.harbors.map(async (hb) => {
      const { cells, last, truncated } = await harborCells(hb.id);
      const grid = tensorGrid(cells);
      const counts = COMPLIANCE_STATES.filter((s) => (grid.counts[s] ?? 0) > 0).map(
        (s) => `${grid.counts[s]} ${s}`,
      );
      return section(
        `${hb.id} (${hb.jurisdiction})`,
        h(
          "p",
          { class: "note" },
          `${cells.length} cells of ${grid.subjects.length} subjects at block ${last.height}: ${counts.join(", ") || "none"}${grid.expired > 0 ? `; ${grid.expired} expired` : ""}.`,
        ),
        grid.subjects.length === 0
          ? note("No attestation in this harbor.")
          : h("div", { class: "scroll", "data-harbor": hb.id }, heatMap(grid)),
        truncated ? note(`Showing the first ${cells.length} cells.`) : null,
      );
    }),
  );
  if (!ctx.alive()) return;
  holder.replaceChildren(...sections);
}
