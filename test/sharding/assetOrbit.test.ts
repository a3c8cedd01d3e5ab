import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TransferStatus } from "../../src/sharding/index.js";
import { CorridorReceiptKind } from "../../src/types/corridor.js";
import { CorridorMessageKind, Lock, LockStatus } from "../../src/types/execution.js";
import { assemble } from "../../src/vm/assembler.js";
import { lockKey } from "../../src/vm/state/keys.js";
import { assetIdOf } from "../../src/vm/tx/deploy.js";
import { ChainHarness, ExecutionOutcome, sharedHome, toHex } from "./harness.js";

const PK = "pk-sifc";
const AE = "ae-difc";
const PK_AE = "ae-difc~pk-sifc";
const TIMEOUT_BLOCKS = 4;
const AMOUNT = 500n;
/** Units each call of the origin program gives its caller before locking AMOUNT of them. */
const MINTED = 2n * AMOUNT;

/** The destination asset: SETTLEs the transit id in its input, but only from its counterpart at pk-sifc. */
const settlerSource = (counterpart: Uint8Array) => `
  PUSH 0
  INPUT
  SETTLE            ; recipient amount sourceHarbor sourceAsset
  PUSH ${toHex(counterpart)}
  EQ
  SWAP 1
  PUSH "${PK}"
  EQ
  AND
  JUMPI ok
  PUSH "not from the counterpart"
  REVERT
ok:
  RETURN`;

/** An origin asset: gives the caller MINTED units, locks AMOUNT and sends them to the input's recipient. */
const originSource = (destinationAsset: Uint8Array) => `
  CALLER
  PUSH ${MINTED}
  SSTORE
  PUSH ${AMOUNT}
  LOCK
  PUSH "${AE}"
  PUSH ${toHex(destinationAsset)}
  PUSH 0
  INPUT
  TRANSIT
  HALT`;

const { home, rulePacks } = sharedHome({ timeoutBlocks: TIMEOUT_BLOCKS });

describe("a Smart Asset's orbit through the chain", () => {
  let h: ChainHarness;
  before(async () => {
    h = await ChainHarness.open(home, rulePacks);
  });
  after(() => h.close());

  it("moves real units: escrowed by LOCK, credited by SETTLE only from the counterpart, refunded on expiry", async () => {
    const alice = h.demos[0]!;
    const bob = h.demos[1]!;
    const counterpartId = assetIdOf(PK, alice.publicKey, h.chain.accountNonce(PK, alice.publicKey));
    const settler = h.deploy(bob, AE, assemble(settlerSource(counterpartId)).bytecode);
    const counterpart = h.deploy(alice, PK, assemble(originSource(settler.asset)).bytecode);
    const forger = h.deploy(alice, PK, assemble(originSource(settler.asset)).bytecode);
    assert.deepEqual(counterpart.asset, counterpartId);
    await h.block([settler.bytes, counterpart.bytes, forger.bytes]);
    for (const tx of [settler, counterpart, forger]) {
      assert.equal((await h.receipt(tx.hash))?.outcome, ExecutionOutcome.Success);
    }

    const calls = [counterpart, counterpart, forger].map((a) => h.call(alice, PK, a.asset, bob.publicKey));
    const departed = await h.block(calls.map((c) => c.bytes));
    for (const c of calls) assert.equal((await h.receipt(c.hash))?.outcome, ExecutionOutcome.Success);
    assert.equal(
      h.units(PK, counterpart.asset, alice.publicKey),
      MINTED - AMOUNT,
      "LOCK escrowed real units",
    );
    const transits = h.chain.pendingMessages
      .filter((m) => m.kind === CorridorMessageKind.Departure)
      .map((m) => m.transitId);
    assert.equal(transits.length, 3);
    const [settled, abandoned, forged] = transits as [Uint8Array, Uint8Array, Uint8Array];
    const deadline = departed.header.height + TIMEOUT_BLOCKS;
    assert.equal((await h.chain.corridors.transfer(abandoned))?.deadline, deadline);

    await h.block(); // delivered: three arrivals wait at ae-difc to be settled
    const settle = h.call(bob, AE, settler.asset, settled);
    const forgery = h.call(bob, AE, settler.asset, forged);
    await h.block([settle.bytes, forgery.bytes]);
    assert.equal((await h.receipt(settle.hash))?.outcome, ExecutionOutcome.Success);
    assert.equal(h.units(AE, settler.asset, bob.publicKey), AMOUNT, "SETTLE credited the recipient");
    const refused = await h.receipt(forgery.hash);
    assert.equal(refused?.outcome, ExecutionOutcome.Revert);
    assert.match(refused!.reason, /not from the counterpart/);
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
    assert.equal(h.units(AE, settler.asset, bob.publicKey), AMOUNT, "nothing minted twice nor late");
    for (const transit of [abandoned, forged]) {
      const record = await h.chain.corridors.transfer(transit);
      assert.equal(record?.status, TransferStatus.Refunded);
      assert.equal(record?.endedAt, deadline, "ended by its deadline");
      const end = await h.chain.corridors.receipts(PK_AE, record!.receipts.at(-1)!, 1);
      assert.equal(end.data[0]?.receipt.kind, CorridorReceiptKind.Refund);
    }

    await h.block(); // the Expired answers reach the origin
    for (const transit of [abandoned, forged]) {
      const lock = h.stateEntry(PK, lockKey(transit));
      assert.ok(lock !== undefined, "the origin keeps the lock, now refused and unlockable");
      assert.equal(Lock.deserialize(lock).status, LockStatus.Refused);
    }
    assert.equal(h.stateEntry(PK, lockKey(settled)), undefined, "the settled one is retired");
    assert.equal(h.chain.corridors.openTransfers().length, 0);
    assert.equal(h.chain.pendingMessages.length, 0);
  });
});
