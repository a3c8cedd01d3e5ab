// The explorer's shell: the header with navigation and search, hash routing (#/block/12, #/tx/0x…),
// and the lifetime of the page shown (its polling stops when another page is opened).

import { accountPage, blockPage, blocksPage, txPage } from "./chainPages.js";
import type { Page, PageContext } from "./context.js";
import { corridorPage, corridorsPage, transferPage } from "./corridorPages.js";
import { doc, type El, h, win } from "./dom.js";
import { dagPage, tensorPage } from "./pictures.js";
import { type ChainInfo, isNotFound, RpcFailure, rpc, rpcBatch } from "./rpc.js";
import { classify } from "./search.js";
import { errorBox, href } from "./ui.js";

const HASH = "(0x[0-9a-fA-F]{64})";

const ROUTES: [pattern: RegExp, page: Page, nav: string][] = [
  [/^$/, blocksPage, "blocks"],
  [/^block\/(\d{1,16})$/, blockPage, "blocks"],
  [new RegExp(`^tx/${HASH}$`), txPage, "blocks"],
  [new RegExp(`^account/${HASH}$`), accountPage, ""],
  [/^corridors$/, corridorsPage, "corridors"],
  [/^corridor\/([^/]+)$/, corridorPage, "corridors"],
  [new RegExp(`^transfer/${HASH}$`), transferPage, "corridors"],
  [/^dag$/, dagPage, "dag"],
  [/^tensor$/, tensorPage, "tensor"],
];

const NAV: [key: string, label: string, target: string][] = [
  ["blocks", "Blocks", "#/"],
  ["dag", "DAG", "#/dag"],
  ["tensor", "Tensor", "#/tensor"],
  ["corridors", "Corridors", "#/corridors"],
];

function message(err: unknown): string {
  if (err instanceof RpcFailure)
    return isNotFound(err) ? `Not found: ${err.message}` : `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

/** Where a search entry leads: 32-byte values are asked for as a transaction, transfer, block, else an account. */
async function searchTarget(input: string): Promise<string> {
  const q = classify(input);
  if (q.kind === "invalid") throw new Error(q.message);
  if (q.kind === "height") return href("block", q.height);
  if (q.kind === "corridor") return href("corridor", q.id);
  const [tx, transfer, block] = await rpcBatch([
    ["mass_getTransaction", [q.hex]],
    ["mass_getTransfer", [q.hex]],
    ["mass_getBlockByHash", [q.hex]],
  ]);
  if (tx?.status === "fulfilled") return href("tx", q.hex);
  if (transfer?.status === "fulfilled") return href("transfer", q.hex);
  if (block?.status === "fulfilled")
    return href("block", (block.value as { header: { height: string } }).header.height);
  return href("account", q.hex);
}

async function chainInfo(main: El): Promise<ChainInfo> {
  for (;;) {
    try {
      return await rpc<ChainInfo>("mass_chainInfo");
    } catch (err) {
      main.replaceChildren(errorBox(`Cannot reach the node: ${message(err)}. Retrying…`));
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

async function start(): Promise<void> {
  const root = doc().getElementById("app")!;
  const main = h("main", { id: "main" });
  const banner = h("div", { class: "banner", hidden: true });
  const chainLabel = h("span", { class: "chain" });
  const navLinks = NAV.map(([key, label, target]) => h("a", { href: target, "data-nav": key }, label));
  const input = h("input", {
    id: "search",
    type: "search",
    placeholder: "height, block or tx hash, address, transit id, corridor id",
    "aria-label": "search",
    autocomplete: "off",
    spellcheck: "false",
  });
  const searchError = h("span", { class: "search-error", role: "status" });
  const form = h(
    "form",
    {
      class: "search",
      onsubmit: (ev) => {
        ev.preventDefault();
        searchError.textContent = "";
        searchTarget(input.value).then(
          (target) => {
            if (win().location.hash === target) route();
            else win().location.hash = target;
          },
          (err: unknown) => {
            searchError.textContent = message(err);
          },
        );
      },
    },
    input,
    h("button", { type: "submit" }, "Search"),
    searchError,
  );
  root.replaceChildren(
    h(
      "header",
      {},
      h("a", { class: "brand", href: "#/" }, "MASS L1 ", h("span", {}, "explorer")),
      chainLabel,
      h("nav", {}, ...navLinks),
      form,
    ),
    banner,
    main,
  );

  const info = await chainInfo(main);
  chainLabel.textContent = `${info.chainId} · validator ${info.validatorIndex} · ${info.committee.length} validators · ${info.harbors.length} harbors`;

  let generation = 0;
  let timers: ReturnType<typeof setTimeout>[] = [];

  function route(): void {
    const current = ++generation;
    for (const t of timers) clearTimeout(t);
    timers = [];
    banner.hidden = true;
    const path = win().location.hash.replace(/^#\/?/, "");
    const found = ROUTES.map(([pattern, page, nav]) => ({ m: pattern.exec(path), page, nav })).find(
      (r) => r.m !== null,
    );
    for (const link of navLinks)
      link.classList.toggle("active", found?.nav === link.getAttribute("data-nav"));
    const alive = () => current === generation;
    const ctx: PageContext = {
      info,
      main,
      alive,
      every(ms, task) {
        const run = () => {
          if (!alive()) return;
          task()
            .then(
              () => {
                if (alive()) ctx.warn(null);
              },
              (err: unknown) => {
                if (alive()) ctx.warn(`Live update failed: ${message(err)}`);
              },
            )
            .finally(() => {
              if (alive()) timers.push(setTimeout(run, ms));
            });
        };
        run();
      },
      warn(text) {
        banner.hidden = text === null;
        banner.textContent = text ?? "";
      },
    };
    if (found === undefined) {
      main.replaceChildren(errorBox(`No page at "${path}".`));
      return;
    }
    main.replaceChildren(h("p", { class: "note" }, "Loading…"));
    let args: string[];
    try {
      args = found.m!.slice(1).map((a) => decodeURIComponent(a));
    } catch {
      main.replaceChildren(errorBox(`"${path}" is not a well-formed address.`));
      return;
    }
    found.page(ctx, ...args).catch((err: unknown) => {
      if (alive()) main.replaceChildren(errorBox(message(err)));
    });
  }

  win().addEventListener("hashchange", route);
  route();
}

void start();
