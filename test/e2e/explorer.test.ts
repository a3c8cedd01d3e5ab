import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { attestTx, migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../../src/client/index.js";
import { ComplianceState } from "../../src/compliance/state.js";
import { sign } from "../../src/crypto/ed25519.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { type Cluster, signedTransfer, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const CHROMIUM = "/usr/bin/chromium";
/** Headless, and nothing that reaches for the network (the machine's is closed). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CHAIN_ID = "mass-devnet";
const RPC_OFFSET = 1000;
/** Set to a directory to keep the screenshots (the test's own temp dir is removed at its end). */
const KEEP_SCREENSHOTS = process.env.EXPLORER_SCREENSHOTS;

interface TxAnswer {
  status: string;
  outcome?: string;
  receipt?: { messages: { transitId: string }[] } | null;
}

describe("the explorer in headless Chromium, over a 4-validator devnet", () => {
  let cluster: Cluster | undefined;
  let browser: BrowserContext | undefined;
  after(async () => {
    await browser?.close();
    await cluster?.stopAll();
  });
  // At the suite's level, after the hook above: removed once Chromium and the validators are gone.
  const dir = tempDir("mass-explorer-");

  it("shows live blocks, finds a transfer's receipt, draws the DAG and the tensor, lists corridors", {
    timeout: 90_000,
  }, async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `the explorer's browser test needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (as root; .ci/run does)`,
    );
    const shots = join(dir, "screenshots");
    mkdirSync(shots);
    if (KEEP_SCREENSHOTS) mkdirSync(KEEP_SCREENSHOTS, { recursive: true });

    cluster = await startCluster(join(dir, "home"), 4);
    const client = cluster.clients[0]!;
    const key = (name: string) => readKeyFile(join(cluster!.home, "keys", `${name}.json`));
    const faucet = key("faucet");
    const alice = key("alice");
    const bob = key("bob");
    const attester = key("attester");
    await waitFor("validator 0 to produce blocks", 30_000, async () =>
      Number((await client.call<{ height: string }>("mass_chainInfo")).height) >= 2 ? true : undefined,
    );

    const send = async (bytes: Uint8Array) =>
      (await client.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(bytes)])).txHash;
    const envelope = (sender: typeof faucet, nonce: number) => ({
      chainId: CHAIN_ID,
      harbor: "pk-sifc",
      sender: sender.publicKey,
      nonce,
      gasLimit: TRANSFER_GAS_LIMIT,
      fee: 10n,
    });
    const transfer = await send(signedTransfer(CHAIN_ID, faucet, alice.publicKey, 0, 1_000n));
    // An address nobody attested: the transfer reverts, naming the failing cell.
    const stranger = new Uint8Array(32).fill(7);
    const reverted = await send(signedTransfer(CHAIN_ID, faucet, stranger, 1, 5n));
    const migrate = await send(
      signTransaction(
        migrateTx(envelope(faucet, 2), {
          destinationHarbor: "ae-difc",
          recipient: bob.publicKey,
          amount: 500n,
        }),
        faucet.secretKey,
        sign,
      ).bytes,
    );
    // A subject with one cell of each compliance state, and one attestation already past its expiry.
    const subject = new Uint8Array(32).fill(0x5a);
    const cells = [
      ...Object.values(ComplianceState)
        .filter((s): s is ComplianceState => typeof s === "number")
        .map((state) => ({ state, expiresAt: 0 })),
      { state: ComplianceState.COMPLIANT, expiresAt: 1 },
    ];
    const attests: string[] = [];
    for (const [domain, cell] of cells.entries()) {
      const body = attestTx(envelope(attester, domain), {
        subject,
        jurisdiction: "PAK",
        domain,
        state: cell.state,
        attestationRef: new Uint8Array(32).fill(domain + 1),
        expiresAt: cell.expiresAt,
      });
      attests.push(await send(signTransaction(body, attester.secretKey, sign).bytes));
    }
    const answers = await waitFor("the transactions to be final", 30_000, async () => {
      const all = await Promise.all(
        [transfer, reverted, migrate, ...attests].map((h) =>
          client.call<TxAnswer>("mass_getTransaction", [h]),
        ),
      );
      return all.every((a) => a.status === "finalized") ? all : undefined;
    });
    assert.deepEqual(
      answers.map((a) => a.outcome),
      ["Success", "Revert", "Success", ...attests.map(() => "Success")],
    );
    const transitId = answers[2]!.receipt!.messages[0]!.transitId;
    // The migration is credited in a later block: its Arrival receipt is on the corridor then.
    await waitFor("the migration to be credited", 20_000, async () =>
      (await client.call<{ status: string }>("mass_getTransfer", [transitId])).status === "credited"
        ? true
        : undefined,
    );

    browser = await chromium.launchPersistentContext(mkdtempSync(join(dir, "profile-")), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page: Page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    const shot = async (name: string) => {
      const path = join(shots, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      if (KEEP_SCREENSHOTS) copyFileSync(path, join(KEEP_SCREENSHOTS, `${name}.png`));
    };
    const search = async (query: string) => {
      await page.fill("#search", query);
      await page.press("#search", "Enter");
    };
    const text = async (selector: string) => (await page.locator(selector).first().textContent()) ?? "";
    const url = `http://127.0.0.1:${cluster.basePort + RPC_OFFSET}/explorer/`;

    try {
      await page.goto(url);
      // Live blocks: the height shown moves on by itself (the page polls every second).
      const height = page.getByTestId("height");
      await height.waitFor();
      const first = Number(await height.textContent());
      await waitFor("the page's height to advance", 20_000, async () =>
        Number(await height.textContent()) > first ? true : undefined,
      );
      await page.locator("tr.block-row").first().waitFor();
      assert.ok((await page.locator("tr.block-row").count()) >= 2);
      await waitFor("a final block on the page", 10_000, async () =>
        (await page.locator("tr.block-row .badge.good").count()) > 0 ? true : undefined,
      );
      await shot("blocks");

      // Search the transfer's hash: its page shows the receipt.
      await search(transfer);
      await page.getByTestId("outcome").waitFor();
      assert.equal(await text("[data-testid=outcome]"), "Success");
      const txPage = await text("main");
      assert.match(txPage, /Receipt/);
      assert.ok(txPage.includes(transfer), "the page names the transaction");
      assert.ok(txPage.includes(toHex(alice.publicKey)), "the decoded payload names the recipient");
      await shot("transaction");

      // A revert's reason is shown as text.
      await search(reverted);
      await page.locator("[data-testid=revert-reason]").waitFor();
      assert.equal(await text("[data-testid=outcome]"), "Revert");
      const reason = await text("[data-testid=revert-reason]");
      assert.match(reason, /is UNKNOWN/);
      assert.ok(reason.includes(toHex(stranger)), reason);
      await shot("revert");

      // The DAG: certificates (nodes), parent edges, committed leaders with their sub-DAG highlighted.
      await page.click("a[data-nav=dag]");
      await page.locator("svg#dag circle.cert").first().waitFor();
      assert.ok((await page.locator("svg#dag circle.cert").count()) >= 8);
      assert.ok((await page.locator("svg#dag line.edge").count()) > 0);
      assert.ok((await page.locator("svg#dag circle.anchor").count()) > 0);
      assert.ok((await page.locator("svg#dag line.edge.hl").count()) > 0);
      await page.getByTestId("dag-commit").waitFor();
      await shot("dag");

      // The tensor heat map: every harbor's cells, and the subject with one cell per state.
      await page.click("a[data-nav=tensor]");
      const pk = page.locator("[data-harbor=pk-sifc]");
      await pk.locator("rect.cell").first().waitFor();
      assert.ok((await page.locator("svg.tensor rect.cell:not(.empty)").count()) >= 3 * 20);
      for (const state of [
        "NON_COMPLIANT",
        "SUSPENDED",
        "UNKNOWN",
        "PENDING",
        "COMPLIANT",
        "EXEMPT",
        "EXPIRED",
      ])
        assert.ok((await pk.locator(`rect.cell[data-state=${state}]`).count()) > 0, `a ${state} cell`);
      assert.equal(await pk.locator("rect.cell.expired").count(), 1);
      await shot("tensor");

      // Corridors: the three of the devnet; the migration's corridor lists its receipts.
      await page.click("a[data-nav=corridors]");
      await page.locator("tr.corridor-row").first().waitFor();
      assert.equal(await page.locator("tr.corridor-row").count(), 3);
      await shot("corridors");
      await page.click("a[href='#/corridor/ae-difc~pk-sifc']");
      await page.locator("tr.receipt-row").first().waitFor();
      assert.ok((await page.locator("tr.receipt-row").count()) >= 2, "a Departure and an Arrival");
      await shot("corridor");

      // A transit id found by search: the transfer page.
      await search(transitId);
      await page.getByTestId("transfer-status").waitFor();
      assert.equal(await text("[data-testid=transfer-status]"), "credited");
      await shot("transfer");
      assert.deepEqual(pageErrors, []);
    } catch (err) {
      // The temp dir goes with the test: keep what the page showed when it failed.
      const kept = join(mkdtempSync(join(tmpdir(), "mass-explorer-failure-")), "failure.png");
      await page.screenshot({ path: kept, fullPage: true }).catch(() => undefined);
      throw new Error(
        `${err instanceof Error ? err.message : String(err)}\n  page: ${page.url()}\n  screenshot: ${kept}`,
        {
          cause: err,
        },
      );
    }
  });
});
