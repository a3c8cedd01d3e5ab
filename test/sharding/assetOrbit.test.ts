import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TransferStatus } from "../../src/sharding/index.js";
import { CorridorReceiptKind } from "../../src/types/corridor.js";
import { CorridorMessageKind, Lock, LockStatus } from "../../src/types/execution.js";
import { assemble } from "../../src/vm/assembler.js";
import { lockKey } from "../../src/vm/state/keys.js";
import { ChainHarness, ExecutionOutcome, sharedHome, toHex } from "./harness.js";

const PK = "pk-sifc";
const AE = "ae-difc";
const PK_AE = "ae-difc~pk-sifc";
const TIMEOUT_BLOCKS = 4;
const AMOUNT = 500n;

const { home, rulePacks } = sharedHome({ timeoutBlocks: TIMEOUT_BLOCKS });

describe("a Smart Asset's orbit through the chain", () => {
  let h: ChainHarness;
  before(async () => {
    h = await ChainHarness.open(home, rulePacks);
  });
  after(() => h.close());

  it("settles an arrival before its deadline, and expires one left unsettled at its deadline", async () => {
    const alice = h.demos[0]!;
    const bob = h.demos[1]!;
    const settler = h.deploy(bob, AE, assemble("PUSH 0\nINPUT\nSETTLE\nRETURN").bytecode);
    const migrator = h.deploy(
      alice,
      PK,
      assemble(`
        PUSH ${AMOUNT}
        LOCK
        PUSH "${AE}"
        PUSH ${toHex(settler.asset)}
        PUSH 0
        INPUT
        TRANSIT
        HALT`).bytecode,
    );
    await h.block([settler.bytes, migrator.bytes]);
    for (const tx of [settler, migrator])
      assert.equal((await h.receipt(tx.hash))?.outcome, ExecutionOutcome.Success);

    const calls = [
      h.call(alice, PK, migrator.asset, bob.publicKey),
      h.call(alice, PK, migrator.asset, bob.publicKey),
    ];
    const departed = await h.block(calls.map((c) => c.bytes));
    for (const c of calls) assert.equal((await h.receipt(c.hash))?.outcome, ExecutionOutcome.Success);
    const transits = h.chain.pendingMessages
      .filter((m) => m.kind === CorridorMessageKind.Departure)
      .map((m) => m.transitId);
    assert.equal(transits.length, 2);
    const [settled, abandoned] = transits as [Uint8Array, Uint8Array];
    const deadline = departed.header.height + TIMEOUT_BLOCKS;
    assert.equal((await h.chain.corridors.transfer(abandoned))?.deadline, deadline);

    await h.block(); // delivered: two arrivals wait at ae-difc to be settled
    const settle = h.call(bob, AE, settler.asset, settled);
    await h.block([settle.bytes]);
    assert.equal((await h.receipt(settle.hash))?.outcome, ExecutionOutcome.Success);
    assert.equal((await h.chain.corridors.transfer(settled))?.status, TransferStatus.Credited);
    assert.equal((await h.chain.corridors.transfer(abandoned))?.status, TransferStatus.InTransit);

    while (h.chain.height < deadline - 1) await h.block();
    // In the block of its deadline the arrival expires first: a SETTLE there comes too late.
    const tooLate = h.call(bob, AE, settler.asset, abandoned);
    const last = await h.block([tooLate.bytes]);
    assert.equal(last.header.height, deadline);
    const lateReceipt = await h.receipt(tooLate.hash);
    assert.equal(lateReceipt?.outcome, ExecutionOutcome.Revert);
    assert.match(lateReceipt!.reason, /expired/);
    const record = await h.chain.corridors.transfer(abandoned);
    assert.equal(record?.status, TransferStatus.Refunded);
    assert.equal(record?.endedAt, deadline, "ended by its deadline");
    const ends = await h.chain.corridors.receipts(PK_AE, record!.receipts.at(-1)!, 1);
    assert.equal(ends.data[0]?.receipt.kind, CorridorReceiptKind.Refund);

    await h.block(); // the Expired answer reaches the origin
    const lock = h.stateEntry(PK, lockKey(abandoned));
    assert.ok(lock !== undefined, "the origin keeps the lock, now refused");
    assert.equal(Lock.deserialize(lock).status, LockStatus.Refused);
    assert.equal(h.stateEntry(PK, lockKey(settled)), undefined, "the settled one is retired");
    assert.equal(h.chain.corridors.openTransfers().length, 0);
    assert.equal(h.chain.pendingMessages.length, 0);
  });
});
