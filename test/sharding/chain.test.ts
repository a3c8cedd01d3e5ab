import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateSecretKey, publicKeyOf } from "../../src/crypto/ed25519.js";
import { TransferStatus } from "../../src/sharding/index.js";
import { CorridorReceiptKind, CorridorState } from "../../src/types/corridor.js";
import { asciiString } from "../../src/types/primitives.js";
import { migrationTransitId } from "../../src/vm/tx/migrate.js";
import { ChainHarness, CorridorRole, ExecutionOutcome, FEE, sharedHome } from "./harness.js";

const PK = "pk-sifc";
const AE = "ae-difc";
const KZ = "kz-aifc";
const PK_AE = "ae-difc~pk-sifc";

/** Small, so a test can hold deliveries back with a few transactions. */
const MAX_DELIVERIES = 3;
const { home, rulePacks } = sharedHome({ maxDeliveriesPerBlock: MAX_DELIVERIES });

describe("corridors in the chain", () => {
  let h: ChainHarness;
  let supply = 0n;
  before(async () => {
    h = await ChainHarness.open(home, rulePacks);
    supply = h.nativeSupply();
  });
  after(() => h.close());

  /** Executes a block and checks that no native value appeared or vanished (fees stay in the harbor). */
  async function block(txs: { bytes: Uint8Array }[] = []) {
    const executed = await h.block(txs.map((t) => t.bytes));
    assert.equal(h.nativeSupply(), supply, `native supply after block ${executed.header.height}`);
    return executed;
  }

  const alice = () => h.demos[0]!;
  const bob = () => h.demos[1]!;

  it("credits a migration pk-sifc → ae-difc in the next block and retires the escrow in the one after", async () => {
    const aliceBefore = h.balance(PK, alice().publicKey);
    const bobBefore = h.balance(AE, bob().publicKey);
    const tx = h.migrate(alice(), PK, bob().publicKey, AE, 5_000n);
    const transitId = migrationTransitId(tx.hash);

    await block([tx]);
    assert.equal((await h.receipt(tx.hash))?.outcome, ExecutionOutcome.Success);
    assert.equal(h.balance(PK, alice().publicKey), aliceBefore - 5_000n - FEE);
    assert.equal(h.balance(AE, bob().publicKey), bobBefore, "not before the next block");
    assert.equal((await h.chain.corridors.transfer(transitId))?.status, TransferStatus.InTransit);
    assert.equal(h.chain.corridors.inFlight(PK_AE), 5_000n);

    await block();
    assert.equal(h.balance(AE, bob().publicKey), bobBefore + 5_000n);
    const record = await h.chain.corridors.transfer(transitId);
    assert.equal(record?.status, TransferStatus.Credited);
    assert.equal(h.chain.corridors.inFlight(PK_AE), 0n);

    const page = await h.chain.corridors.receipts(PK_AE, 0, 100);
    const kinds = page.data.filter((r) => Buffer.from(r.receipt.transitId).equals(transitId));
    assert.deepEqual(
      kinds.map((r) => r.receipt.kind),
      [CorridorReceiptKind.Departure, CorridorReceiptKind.Arrival],
    );
    for (const { receipt } of kinds) {
      assert.equal(receipt.amount, 5_000n);
      assert.deepEqual(receipt.sender, alice().publicKey);
      assert.deepEqual(receipt.recipient, bob().publicKey);
    }
    // A receipt names the message's direction: the departure goes out, the acknowledgement comes back.
    assert.deepEqual(
      kinds.map((r) => [asciiString(r.receipt.sourceHarbor), asciiString(r.receipt.destinationHarbor)]),
      [
        [PK, AE],
        [AE, PK],
      ],
    );
    await block();
    assert.equal(h.chain.pendingMessages.length, 0, "the acknowledgement retired the escrow");
  });

  it("refuses a migration to an unattested recipient at the destination and refunds it", async () => {
    const stranger = publicKeyOf(generateSecretKey());
    const aliceBefore = h.balance(PK, alice().publicKey);
    const tx = h.migrate(alice(), PK, stranger, AE, 700n);
    await block([tx]);
    await block();
    assert.equal(h.balance(AE, stranger), 0n);
    await block();
    const record = await h.chain.corridors.transfer(migrationTransitId(tx.hash));
    assert.equal(record?.status, TransferStatus.Refunded);
    assert.equal(h.balance(PK, alice().publicKey), aliceBefore - FEE, "only the fee is spent");
  });

  it("refuses a migration to a harbor without a corridor in its own block and refunds it in the next", async () => {
    const aliceBefore = h.balance(PK, alice().publicKey);
    const tx = h.migrate(alice(), PK, bob().publicKey, "xx-none", 100n);
    const departed = await block([tx]);
    const record = await h.chain.corridors.transfer(migrationTransitId(tx.hash));
    assert.equal(record?.status, TransferStatus.Refunded);
    assert.equal(Number(record?.endedAt), departed.header.height);
    assert.equal(asciiString(record!.corridor), "", "it crossed no corridor");
    await block();
    assert.equal(h.balance(PK, alice().publicKey), aliceBefore - FEE);
  });

  it("moves a corridor through its lifecycle only as its harbors' authorities may", async () => {
    const wrongSigner = h.move(PK, PK_AE, CorridorState.Suspended, CorridorRole.Proposer, alice());
    const notAParty = h.move(KZ, PK_AE, CorridorState.Suspended, CorridorRole.Proposer);
    const wrongRole = h.move(PK, PK_AE, CorridorState.Suspended, CorridorRole.Acceptor);
    const noEdge = h.move(PK, PK_AE, CorridorState.Deprecated, CorridorRole.Proposer);
    await block([wrongSigner, notAParty, wrongRole, noEdge]);
    for (const tx of [wrongSigner, notAParty, wrongRole, noEdge]) {
      assert.equal((await h.receipt(tx.hash))?.outcome, ExecutionOutcome.Revert);
    }
    assert.equal(h.chain.corridors.view(PK_AE)?.state, CorridorState.Active);

    const receiptsBefore = h.chain.corridors.view(PK_AE)!.receiptCount;
    const suspend = h.move(AE, PK_AE, CorridorState.Suspended, CorridorRole.Proposer);
    await block([suspend]);
    assert.equal((await h.receipt(suspend.hash))?.outcome, ExecutionOutcome.Success);
    const view = h.chain.corridors.view(PK_AE)!;
    assert.equal(view.state, CorridorState.Suspended);
    assert.equal(view.receiptCount, receiptsBefore + 1, "the transition is a corridor receipt");
    const last = (await h.chain.corridors.receipts(PK_AE, receiptsBefore, 1)).data[0]!.receipt;
    assert.equal(last.kind, CorridorReceiptKind.Transition);
    assert.equal(last.state, CorridorState.Suspended);

    const resumeByOther = h.move(PK, PK_AE, CorridorState.Active, CorridorRole.Proposer);
    await block([resumeByOther]);
    assert.equal(
      (await h.receipt(resumeByOther.hash))?.outcome,
      ExecutionOutcome.Revert,
      "only the suspender",
    );

    const aliceBefore = h.balance(PK, alice().publicKey);
    const refused = h.migrate(alice(), PK, bob().publicKey, AE, 300n);
    await block([refused]);
    const record = await h.chain.corridors.transfer(migrationTransitId(refused.hash));
    assert.equal(record?.status, TransferStatus.Refunded, "no departure while suspended");
    assert.equal(record?.receipts.length, 1, "the refusal is a receipt of the corridor");
    await block();
    assert.equal(h.balance(PK, alice().publicKey), aliceBefore - FEE);

    const resume = h.move(AE, PK_AE, CorridorState.Active, CorridorRole.Proposer);
    await block([resume]);
    assert.equal(h.chain.corridors.view(PK_AE)?.state, CorridorState.Active);
  });

  it("refunds value held in flight at its timeout when the corridor stops before delivery", async () => {
    const aliceBefore = h.balance(PK, alice().publicKey);
    const bobBefore = h.balance(AE, bob().publicKey);
    const timeoutBlocks = 3;
    const txs = Array.from({ length: MAX_DELIVERIES + 2 }, () =>
      h.migrate(alice(), PK, bob().publicKey, AE, 900n, timeoutBlocks),
    );
    const departed = await block(txs);
    for (const tx of txs) assert.equal((await h.receipt(tx.hash))?.outcome, ExecutionOutcome.Success);
    const halt = h.move(PK, PK_AE, CorridorState.Halted, CorridorRole.Proposer);
    await block([halt]);
    assert.equal(h.chain.corridors.view(PK_AE)?.state, CorridorState.Halted);
    const status = async () =>
      Promise.all(
        txs.map(async (tx) => (await h.chain.corridors.transfer(migrationTransitId(tx.hash)))?.status),
      );
    const credited = (await status()).filter((s) => s === TransferStatus.Credited).length;
    assert.equal(credited, MAX_DELIVERIES, "the per-block delivery limit held the rest");
    assert.equal(h.chain.corridors.inFlight(PK_AE), 2n * 900n);
    while ((await status()).includes(TransferStatus.InTransit)) {
      const b = await block();
      assert.ok(b.header.height <= departed.header.height + timeoutBlocks + 1, "refunded by its timeout");
    }
    assert.equal((await status()).filter((s) => s === TransferStatus.Refunded).length, 2);
    assert.equal(h.chain.corridors.inFlight(PK_AE), 0n);
    await block();
    assert.equal(
      h.balance(PK, alice().publicKey),
      aliceBefore - BigInt(MAX_DELIVERIES) * 900n - BigInt(txs.length) * FEE,
    );
    assert.equal(h.balance(AE, bob().publicKey), bobBefore + BigInt(MAX_DELIVERIES) * 900n);

    const proposeResume = h.move(PK, PK_AE, CorridorState.Active, CorridorRole.Proposer);
    await block([proposeResume]);
    assert.equal(h.chain.corridors.view(PK_AE)?.state, CorridorState.Halted, "a halt lifts only with both");
    const acceptResume = h.move(AE, PK_AE, CorridorState.Active, CorridorRole.Acceptor);
    await block([acceptResume]);
    assert.equal(h.chain.corridors.view(PK_AE)?.state, CorridorState.Active);
  });

  it("ignores a replayed migration: the same signed transaction executes once", async () => {
    const aliceBefore = h.balance(PK, alice().publicKey);
    const tx = h.migrate(alice(), PK, bob().publicKey, AE, 50n);
    await block([tx, tx]);
    await block([tx]);
    await block();
    assert.equal(h.balance(PK, alice().publicKey), aliceBefore - 50n - FEE);
  });

  it("reopens from its database with the same corridors, receipts, transfers and root", async () => {
    const tx = h.migrate(alice(), PK, bob().publicKey, AE, 40n);
    const departed = await block([tx]);
    const views = h.chain.corridors.list();
    const root = h.chain.corridors.rootAt(departed.header.height);
    assert.deepEqual(root, departed.header.corridorRoot);
    await h.restart();
    assert.deepEqual(h.chain.corridors.list(), views);
    assert.deepEqual(h.chain.corridors.rootAt(departed.header.height), root);
    assert.equal(h.chain.corridors.inFlight(PK_AE), 40n);
    assert.equal(h.nativeSupply(), supply);
    await block();
    assert.equal(
      (await h.chain.corridors.transfer(migrationTransitId(tx.hash)))?.status,
      TransferStatus.Credited,
    );
  });

  it("discards the corridor ledger with the chain on repair, so block sync rebuilds it from block 1", async () => {
    const tx = h.migrate(alice(), PK, bob().publicKey, AE, 30n);
    await block([tx]);
    assert.ok(h.chain.pendingMessages.length > 0);
    await h.repair();
    assert.equal(h.chain.height, 0);
    for (const view of h.chain.corridors.list()) assert.deepEqual([view.receiptCount, view.mmrSize], [0, 0]);
    assert.equal(h.chain.pendingMessages.length, 0);
    assert.equal(h.chain.corridors.openTransfers().length, 0);
    assert.equal(await h.chain.corridors.transfer(migrationTransitId(tx.hash)), undefined);
  });
});
