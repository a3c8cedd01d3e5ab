import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import type { CorridorJson, CorridorReceiptProofJson, TransferJson } from "../../src/rpc/corridorJson.js";
import { mass, type CliRun as Run } from "../helpers/cli.js";
import { type Cluster, RPC_OFFSET, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const VALIDATORS = 4;
const CORRIDOR = "ae-difc~pk-sifc";
/** What every `mass tx` command pays by default. */
const FEE = 10n;

const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

/** The result `mass tx migrate --json` prints. */
interface MigrateJson {
  txHash: string;
  transitId: string;
  status: string;
  origin: { outcome: string };
  transfer: TransferJson;
  balances: { sender: string; recipient: string };
}

describe("the corridor CLI against a 4-validator network", { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let rpc: MassClient;
  let alice = "";
  let aliceKey = "";
  let bob = "";
  /** The transit id of the first, credited migration (the queries read it). */
  let credited = "";

  const cli = (...args: string[]) => mass(...args, "--home", cluster.home);
  const balance = async (harbor: string, address: string) =>
    BigInt((await rpc.call<{ balance: string }>("mass_getAccount", [harbor, address])).balance);
  const migrate = (to: string, amount: bigint, ...extra: string[]) =>
    cli(
      "tx",
      "migrate",
      "--from",
      aliceKey,
      "--from-harbor",
      "pk-sifc",
      "--to",
      to,
      "--to-harbor",
      "ae-difc",
      "--amount",
      String(amount),
      ...extra,
    );
  const corridor = () => rpc.call<CorridorJson>("mass_getCorridor", [CORRIDOR]);

  // Made at the suite's level: tempDir() removes it when the file's tests are done.
  const dir = tempDir();
  before(async () => {
    cluster = await startCluster(join(dir, "home"), VALIDATORS);
    rpc = cluster.clients[0]!;
    aliceKey = join(cluster.home, "keys", "alice.json");
    alice = toHex(readKeyFile(aliceKey).publicKey);
    bob = toHex(readKeyFile(join(cluster.home, "keys", "bob.json")).publicKey);
    await waitFor("validator 0 to execute a block", 30_000, async () =>
      Number((await rpc.call<{ height: string }>("mass_chainInfo")).height) >= 1 ? true : undefined,
    );
  });
  after(async () => {
    await cluster?.stopAll();
  });

  it("credits alice's migration pk-sifc → bob ae-difc, prints both ends and exits 0", async () => {
    const [aliceBefore, bobBefore] = [await balance("pk-sifc", alice), await balance("ae-difc", bob)];
    const r = await migrate(bob, 1_000n);
    assert.equal(r.code, 0, show(r));
    const transit = /^transit +(0x[0-9a-f]{64})$/m.exec(r.stdout)?.[1];
    assert.ok(transit, show(r));
    credited = transit;
    assert.match(r.stdout, /^tx +0x[0-9a-f]{64}$/m);
    assert.match(r.stdout, /^origin +Success in pk-sifc at block \d+ \(final\)$/m);
    assert.match(r.stdout, /^status +credited$/m);
    assert.match(r.stdout, /^receipt +#\d+ DEPARTURE pk-sifc → ae-difc at block \d+$/m);
    assert.match(r.stdout, /^receipt +#\d+ ARRIVAL ae-difc → pk-sifc at block \d+$/m);
    const aliceAfter = await balance("pk-sifc", alice);
    const bobAfter = await balance("ae-difc", bob);
    assert.equal(aliceAfter, aliceBefore - 1_000n - FEE, "alice paid the amount and the fee");
    assert.equal(bobAfter, bobBefore + 1_000n, "bob got the amount");
    assert.match(r.stdout, new RegExp(`^balance +${aliceAfter} \\(sender in pk-sifc\\)$`, "m"));
    assert.match(r.stdout, new RegExp(`^balance +${bobAfter} \\(recipient in ae-difc\\)$`, "m"));
  });

  it("refunds a migration to an unattested address: non-zero exit, only the fee spent (with --rpc and no home)", async () => {
    const stranger = toHex(randomBytes(32));
    const aliceBefore = await balance("pk-sifc", alice);
    const url = `http://127.0.0.1:${cluster.basePort + RPC_OFFSET}/`;
    const r = await mass(
      ...["tx", "migrate", "--from", aliceKey, "--from-harbor", "pk-sifc", "--to", stranger],
      ...[
        "--to-harbor",
        "ae-difc",
        "--amount",
        "700",
        "--json",
        "--rpc",
        url,
        "--home",
        join(dir, "no-home"),
      ],
    );
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^error: transfer 0x[0-9a-f]{64} refunded: ae-difc refused it/);
    const out = JSON.parse(r.stdout) as MigrateJson;
    assert.equal(out.status, "refunded");
    assert.equal(out.origin.outcome, "Success", "the departure itself succeeded");
    assert.deepEqual(
      out.transfer.receipts.map((x) => x.kind),
      ["DEPARTURE", "REFUSAL"],
    );
    assert.equal(await balance("pk-sifc", alice), aliceBefore - FEE, "the escrow came back");
    assert.equal(BigInt(out.balances.sender), aliceBefore - FEE);
    assert.equal(await balance("ae-difc", stranger), 0n);
  });

  it("suspends the corridor (migrations refunded), refuses the other side's resume, resumes", async () => {
    const suspend = await cli(
      "tx",
      "corridor",
      "suspend",
      CORRIDOR,
      "--harbor",
      "pk-sifc",
      "--reason",
      "drill",
    );
    assert.equal(suspend.code, 0, show(suspend));
    assert.match(suspend.stdout, /^move +pk-sifc as proposer: ACTIVE → SUSPENDED, evidence 0x/m);
    assert.match(suspend.stdout, /^outcome +Success at block \d+ \(final\)$/m);
    assert.match(suspend.stdout, /^state +SUSPENDED \(by pk-sifc\)$/m);
    const view = await corridor();
    assert.equal(view.state, "SUSPENDED");
    const transition = await rpc.call<CorridorReceiptProofJson>("mass_getCorridorReceipt", [
      CORRIDOR,
      String(Number(view.receiptCount) - 1),
    ]);
    assert.equal(transition.receipt.kind, "TRANSITION");
    assert.equal(transition.receipt.evidence, toHex(createHash("sha256").update("drill").digest()));

    const aliceBefore = await balance("pk-sifc", alice);
    const refused = await migrate(bob, 300n);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /refunded: corridor ae-difc~pk-sifc is SUSPENDED and takes no departure/);
    assert.match(refused.stdout, /^status +refunded: /m);
    assert.equal(await balance("pk-sifc", alice), aliceBefore - FEE);

    const wrongSide = await cli("tx", "corridor", "resume", CORRIDOR, "--harbor", "ae-difc");
    assert.equal(wrongSide.code, 1, show(wrongSide));
    assert.match(wrongSide.stdout, /^outcome +Revert at block \d+ \(final\): .*NOT_THE_SUSPENDER/m);
    assert.match(
      wrongSide.stderr,
      /^error: corridor resume 0x[0-9a-f]{64}: Revert at block \d+: .*NOT_THE_SUSPENDER/,
    );
    assert.equal((await corridor()).state, "SUSPENDED");

    const resume = await cli("tx", "corridor", "resume", CORRIDOR, "--harbor", "pk-sifc", "--json");
    assert.equal(resume.code, 0, show(resume));
    const resumed = JSON.parse(resume.stdout) as { outcome: string; corridor: CorridorJson };
    assert.equal(resumed.outcome, "Success");
    assert.equal(resumed.corridor.state, "ACTIVE");

    const again = await migrate(bob, 300n);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /^status +credited$/m);
  });

  it("query corridor and query transfer print the RPC answers with --json, readable lines without", async () => {
    // Independent reads: run at once, their start-up overlapping.
    const [list, one, text, table, transfer, lines] = await Promise.all([
      cli("query", "corridor", "--json"),
      cli("query", "corridor", CORRIDOR, "--json"),
      cli("query", "corridor", CORRIDOR),
      cli("query", "corridor"),
      cli("query", "transfer", credited, "--json"),
      cli("query", "transfer", credited),
    ]);
    for (const r of [list, one, text, table, transfer, lines]) assert.equal(r.code, 0, show(r));
    const corridors = JSON.parse(list.stdout) as CorridorJson[];
    assert.deepEqual(
      corridors.map((c) => c.id),
      ["ae-difc~kz-aifc", "ae-difc~pk-sifc", "kz-aifc~pk-sifc"],
    );
    assert.deepEqual(JSON.parse(one.stdout), await corridor());
    assert.match(text.stdout, /^state +ACTIVE \(by pk-sifc\)$/m);
    assert.match(text.stdout, /^harbors +ae-difc, pk-sifc$/m);
    assert.match(table.stdout, /^ae-difc~pk-sifc +ACTIVE \(by pk-sifc\) +\d+ +0$/m);

    const t = JSON.parse(transfer.stdout) as TransferJson;
    assert.equal(t.transitId, credited);
    assert.equal(t.status, "credited");
    assert.equal(t.corridor, CORRIDOR);
    assert.equal(t.amount, "1000");
    assert.equal(t.sender, alice);
    assert.equal(t.recipient, bob);
    assert.deepEqual(
      t.receipts.map((x) => x.kind),
      ["DEPARTURE", "ARRIVAL"],
    );
    assert.match(lines.stdout, new RegExp(`^transit +${credited}\\nstatus +credited$`, "m"));
  });
});
