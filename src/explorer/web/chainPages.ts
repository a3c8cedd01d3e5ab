// The chain's pages: live blocks and finality, a block, a transaction, an account.

import { memberName, type PageContext } from "./context.js";
import { ADDRESS_FIELDS, decodePayload } from "./decode.js";
import { type Child, type El, h } from "./dom.js";
import { ago, amount, short, signersOf, textOfHex, utcTime } from "./format.js";
import { CORRIDOR_MESSAGE_KINDS, nameOf } from "./names.js";
import {
  type AccountJson,
  type BlockJson,
  type FinalityJson,
  type Health,
  isNotFound,
  rpc,
  rpcBatch,
  type TxJson,
} from "./rpc.js";
import { badge, errorBox, href, idLink, kv, mono, note, outcomeTone, row, section, table } from "./ui.js";

/** Blocks the live list shows. */
const RECENT_BLOCKS = 15;
/** Transactions of a block whose outcome the block page looks up (one batch request). */
const OUTCOMES_SHOWN = 100;

function finalityBadge(info: PageContext["info"], finality: FinalityJson | null): El {
  if (finality === null) return badge("pending", "warn");
  const signers = signersOf(finality.signers);
  return badge(`final ${signers.length}/${info.committee.length}`, "good");
}

function stat(label: string, value: Child, testId: string): El {
  return h(
    "div",
    { class: "stat" },
    h("div", { class: "label" }, label),
    h("div", { class: "value", "data-testid": testId }, value),
  );
}

/** Live blocks: the newest blocks and their finality, polled every second. */
export async function blocksPage(ctx: PageContext): Promise<void> {
  const blocks = new Map<number, BlockJson>();
  const stats = h("div", { class: "stats" });
  const list = h("div", {});
  ctx.main.replaceChildren(
    h("h1", {}, "Blocks"),
    stats,
    section("Latest blocks", note("Updated every second from mass_getLatestBlock."), list),
  );
  ctx.every(1_000, async () => {
    const [healthAnswer, latestAnswer] = await rpcBatch([
      ["mass_health", []],
      ["mass_getLatestBlock", []],
    ]);
    if (!ctx.alive()) return;
    if (healthAnswer?.status === "rejected") throw healthAnswer.reason;
    const health = (healthAnswer as PromiseFulfilledResult<Health>).value;
    if (latestAnswer?.status === "fulfilled") {
      const latest = latestAnswer.value as BlockJson;
      const top = Number(latest.header.height);
      blocks.set(top, latest);
      // Missing heights below the newest, and shown blocks not final yet.
      const wanted: number[] = [];
      for (let hgt = top - 1; hgt >= Math.max(1, top - RECENT_BLOCKS + 1); hgt--) {
        const known = blocks.get(hgt);
        if (known === undefined || known.finality === null) wanted.push(hgt);
      }
      const answers = await rpcBatch(wanted.map((n) => ["mass_getBlockByHeight", [String(n)]]));
      answers.forEach((a) => {
        if (a.status === "fulfilled") {
          const b = a.value as BlockJson;
          blocks.set(Number(b.header.height), b);
        }
      });
      for (const hgt of [...blocks.keys()]) if (hgt <= top - RECENT_BLOCKS) blocks.delete(hgt);
    } else if (!isNotFound(latestAnswer?.reason)) throw latestAnswer?.reason;
    if (!ctx.alive()) return;
    const tone = health.status === "ok" ? "good" : health.status === "syncing" ? "warn" : "bad";
    stats.replaceChildren(
      stat("Height", health.height, "height"),
      stat("Finalized", health.finalizedHeight, "finalized"),
      stat("Consensus round", health.consensusRound, "round"),
      stat(
        "Health",
        badge(health.reason === "" ? health.status : `${health.status}: ${health.reason}`, tone),
        "health",
      ),
      stat("Peers", `${health.peers} / ${health.committeeSize - 1}`, "peers"),
      stat("Pool", String(health.txPoolSize), "pool"),
    );
    const now = Date.now();
    const rows = [...blocks.values()]
      .sort((a, b) => Number(b.header.height) - Number(a.header.height))
      .map((b) =>
        row(
          [
            h("a", { href: href("block", b.header.height) }, b.header.height),
            idLink("block", b.header.height, short(b.hash)),
            h("span", { title: utcTime(b.header.timestamp) }, ago(b.header.timestamp, now)),
            b.header.leaderRound,
            String(b.transactions.length),
            finalityBadge(ctx.info, b.finality),
          ],
          { class: "block-row" },
        ),
      );
    list.replaceChildren(
      rows.length === 0
        ? note("No block after genesis yet: waiting for the first commit.")
        : table(["Height", "Hash", "Time", "Leader round", "Txs", "Finality"], rows, "blocks"),
    );
  });
}

function finalitySection(ctx: PageContext, block: BlockJson): El {
  const f = block.finality;
  if (f === null)
    return section(
      "Finality",
      badge("not final yet", "warn"),
      note("Executed here; a quorum's signatures have not arrived. Reload to check again."),
    );
  const signers = new Set(signersOf(f.signers));
  const total = ctx.info.committee.reduce((s, m) => s + Number(m.stake), 0);
  const signed = ctx.info.committee.reduce((s, m, i) => s + (signers.has(i) ? Number(m.stake) : 0), 0);
  return section(
    "Finality certificate",
    h(
      "p",
      {},
      badge("final", "good"),
      ` signed by ${signers.size} of ${ctx.info.committee.length} validators, stake ${signed} of ${total}`,
    ),
    table(
      ["Validator", "Public key", "Stake", "Signed"],
      ctx.info.committee.map((m, i) =>
        row(
          [
            memberName(ctx.info, i),
            h("span", { class: "mono", title: m.publicKey }, short(m.publicKey)),
            m.stake,
            signers.has(i) ? badge("signed", "good") : badge("no", "muted"),
          ],
          { class: signers.has(i) ? "signer" : "non-signer" },
        ),
      ),
      "signers",
    ),
  );
}

export async function blockPage(ctx: PageContext, height: string): Promise<void> {
  const block = await rpc<BlockJson>("mass_getBlockByHeight", [height]);
  if (!ctx.alive()) return;
  const hdr = block.header;
  const n = Number(hdr.height);
  const outcomes = await rpcBatch(
    block.transactions.slice(0, OUTCOMES_SHOWN).map((t) => ["mass_getTransaction", [t]]),
  );
  if (!ctx.alive()) return;
  const txRows = block.transactions.map((t, i) => {
    const answer = outcomes[i];
    const tx = answer?.status === "fulfilled" ? (answer.value as TxJson) : undefined;
    const kind = tx?.transaction
      ? decodePayload(Number(tx.transaction.body.kind), tx.transaction.body.payload).kind
      : "";
    return row([
      String(i),
      idLink("tx", t),
      kind,
      tx?.transaction?.body.harbor ?? "",
      tx ? badge(tx.outcome ?? tx.status, outcomeTone(tx.outcome)) : "",
    ]);
  });
  ctx.main.replaceChildren(
    h("h1", {}, `Block ${hdr.height} `, finalityBadge(ctx.info, block.finality)),
    h(
      "p",
      { class: "pager" },
      n > 1 ? h("a", { href: href("block", String(n - 1)) }, "← previous") : "",
      " ",
      h("a", { href: href("block", String(n + 1)) }, "next →"),
    ),
    section(
      "Header",
      kv([
        ["Hash", mono(block.hash)],
        ["Height", hdr.height],
        [
          "Parent",
          n > 1
            ? h(
                "a",
                { href: href("block", String(n - 1)), class: "mono", title: hdr.parentHash },
                hdr.parentHash,
              )
            : mono(hdr.parentHash),
        ],
        ["Time", `${utcTime(hdr.timestamp)} (${hdr.timestamp})`],
        ["Leader round", h("a", { href: "#/dag" }, hdr.leaderRound)],
        ["Leader certificate", mono(hdr.leaderCertificate)],
        ["Chain", hdr.chainId],
        ["Transactions root", mono(hdr.txRoot)],
        ["Receipts root", mono(hdr.receiptRoot)],
        ["State root", mono(hdr.stateRoot)],
        ["Corridor root", mono(hdr.corridorRoot)],
        ["Anchor root", mono(hdr.anchorRoot)],
      ]),
    ),
    section(
      `Transactions (${block.transactions.length})`,
      txRows.length === 0
        ? note("No transaction in this block.")
        : table(["#", "Hash", "Kind", "Harbor", "Outcome"], txRows, "txs"),
      block.transactions.length > OUTCOMES_SHOWN
        ? note(`Outcomes shown for the first ${OUTCOMES_SHOWN}.`)
        : null,
    ),
    finalitySection(ctx, block),
  );
}

function payloadValue(name: string, value: string): Child {
  if (ADDRESS_FIELDS.has(name) && /^0x[0-9a-f]{64}$/.test(value)) return idLink("account", value, value);
  if (name === "amount") return amount(value);
  if (name === "corridor") return h("a", { href: href("corridor", value) }, value);
  if (name === "expiresAt") return value === "0" ? "never" : `${utcTime(value)} (${value})`;
  return /^0x/.test(value) ? mono(value) : value;
}

export async function txPage(ctx: PageContext, hash: string): Promise<void> {
  const tx = await rpc<TxJson>("mass_getTransaction", [hash]);
  if (!ctx.alive()) return;
  const body = tx.transaction?.body;
  const decoded = body ? decodePayload(Number(body.kind), body.payload) : undefined;
  const parts: El[] = [
    h(
      "h1",
      {},
      decoded === undefined ? "Transaction " : `${decoded.kind} transaction `,
      badge(
        tx.status,
        tx.status === "finalized" ? "good" : tx.status === "executed" ? "info" : "warn",
        "tx-status",
      ),
    ),
    section(
      "Transaction",
      kv([
        ["Hash", mono(tx.txHash)],
        ["Status", tx.status],
        [
          "Block",
          tx.block
            ? h(
                "span",
                {},
                h("a", { href: href("block", tx.block.height) }, `#${tx.block.height}`),
                `, position ${tx.block.index}`,
              )
            : "not in a block yet",
        ],
        ...(body
          ? ([
              ["Harbor", body.harbor],
              ["Sender", idLink("account", body.sender, body.sender)],
              ["Nonce", body.nonce],
              ["Gas limit", amount(body.gasLimit)],
              ["Fee", amount(body.fee)],
              ["Kind", `${decoded?.kind} (${body.kind})`],
            ] as [string, Child][])
          : []),
      ]),
    ),
  ];
  if (decoded !== undefined && body !== undefined) {
    parts.push(
      section(
        "Payload",
        decoded.error === undefined
          ? kv(decoded.fields.map(([name, value]) => [name, payloadValue(name, value)]))
          : h("div", {}, note(`Could not decode: ${decoded.error}`), mono(body.payload)),
      ),
    );
  }
  const receipt = tx.receipt;
  if (receipt) {
    const reason = textOfHex(receipt.reason);
    parts.push(
      section(
        "Receipt",
        kv([
          ["Outcome", badge(tx.outcome ?? "?", outcomeTone(tx.outcome), "outcome")],
          [
            "Reason",
            reason === "" ? "–" : h("span", { class: "reason", "data-testid": "revert-reason" }, reason),
          ],
          ["Gas used", amount(receipt.gasUsed)],
          ["Program counter", receipt.pc],
          ["Jurisdiction", receipt.jurisdiction],
          ["Receipt sequence", receipt.sequence],
          ["Return data", receipt.returnData === "0x" ? "–" : mono(receipt.returnData)],
          ["Storage writes", String(receipt.storageMutations.length)],
          ["Tensor updates", String(receipt.tensorUpdates.length)],
          ["Logs", String(receipt.logs.length)],
          ["Attestations", String(receipt.attestations.length)],
        ]),
        receipt.messages.length === 0
          ? null
          : table(
              ["Corridor message", "Transit", "From", "To", "Recipient", "Amount"],
              receipt.messages.map((m) =>
                row([
                  nameOf(CORRIDOR_MESSAGE_KINDS, Number(m.kind)),
                  idLink("transfer", m.transitId),
                  m.sourceHarbor,
                  m.destinationHarbor,
                  idLink("account", m.recipient),
                  amount(m.amount),
                ]),
              ),
            ),
      ),
    );
  } else if (tx.status === "pending") {
    parts.push(section("Receipt", note("Pending in the pool: no receipt until a block executes it.")));
  }
  parts.push(h("details", {}, h("summary", {}, "Raw JSON"), h("pre", {}, JSON.stringify(tx, null, 2))));
  ctx.main.replaceChildren(...parts);
}

export async function accountPage(ctx: PageContext, address: string): Promise<void> {
  const answers = await rpcBatch(ctx.info.harbors.map((hb) => ["mass_getAccount", [hb.id, address]]));
  if (!ctx.alive()) return;
  ctx.main.replaceChildren(
    h("h1", {}, "Account"),
    h("p", {}, mono(address)),
    section(
      "Balance and nonce per harbor",
      table(
        ["Harbor", "Jurisdiction", "Balance", "Nonce", "Pending nonce"],
        ctx.info.harbors.map((hb, i) => {
          const a = answers[i];
          if (a?.status !== "fulfilled")
            return row([
              hb.id,
              hb.jurisdiction,
              errorBox(a?.reason instanceof Error ? a.reason.message : "unavailable"),
              "",
              "",
            ]);
          const acct = a.value as AccountJson;
          return row([hb.id, hb.jurisdiction, amount(acct.balance), acct.nonce, acct.pendingNonce], {
            class: "account-row",
          });
        }),
        "accounts",
      ),
      note("Each harbor keeps its own accounts: an address has a balance and a nonce in every harbor."),
    ),
    section(
      "Compliance",
      h(
        "p",
        {},
        "This address's tensor cells are rows of the ",
        h("a", { href: "#/tensor" }, "compliance heat map"),
        ".",
      ),
    ),
  );
}
