import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signTransaction, transferTx } from "../../src/client/index.js";
import { publicKeyOf, sign } from "../../src/crypto/ed25519.js";
import { TxRejectCode } from "../../src/pool/errors.js";
import { TxPool } from "../../src/pool/txPool.js";
import {
  asciiBytes,
  SignedTransaction,
  type TransactionBody,
  TransferPayload,
} from "../../src/types/index.js";
import { txHashOfBytes } from "../../src/types/signing.js";
import { toHex } from "../../src/util/bytes.js";

const alice = new Uint8Array(32).fill(1);
const bob = new Uint8Array(32).fill(2);

function transfer(secret: Uint8Array, nonce: number, overrides: Partial<TransactionBody> = {}): Uint8Array {
  const body = transferTx(
    {
      chainId: "mass-devnet",
      harbor: "pk-sifc",
      sender: publicKeyOf(secret),
      nonce,
      gasLimit: 21_000,
      fee: 1n,
    },
    { to: new Uint8Array(32).fill(9), amount: 5n },
  );
  return signTransaction({ ...body, ...overrides }, secret, sign).bytes;
}

/** Balance of every sender a test does not set: enough for anything it sends. */
const FUNDED = 1_000_000n;

function pool(
  nextNonces: Map<string, number> = new Map(),
  limits = {},
  balances: Map<string, bigint> = new Map(),
) {
  let now = 1_000;
  const p = new TxPool({
    chainId: "mass-devnet",
    harbors: ["pk-sifc", "ae-difc"],
    accounts: {
      nextNonce: (harbor, sender) => nextNonces.get(`${harbor}/${toHex(sender)}`) ?? 0,
      balance: (harbor, sender) => balances.get(`${harbor}/${toHex(sender)}`) ?? FUNDED,
    },
    limits: { minFee: 1n, ...limits },
    now: () => now,
  });
  return { p, advance: (ms: number) => (now += ms) };
}

async function rejects(promise: Promise<unknown>, code: TxRejectCode) {
  await assert.rejects(promise, (err: { code: string; message: string }) => {
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.length > 10);
    return true;
  });
}

describe("TxPool", () => {
  it("admits valid transactions and hands them out in nonce order per sender", async () => {
    const { p } = pool();
    await p.add(transfer(alice, 1));
    await p.add(transfer(alice, 0));
    await p.add(transfer(bob, 0));
    await p.add(transfer(alice, 3));
    const ready = p.takeReady(1 << 20).map((t) => [toHex(t.tx.body.sender), t.nonce]);
    assert.deepEqual(ready, [
      [toHex(publicKeyOf(alice)), 0],
      [toHex(publicKeyOf(alice)), 1],
      [toHex(publicKeyOf(bob)), 0],
    ]);
    assert.deepEqual(p.takeReady(1 << 20), [], "released transactions are not handed out twice");
    assert.equal(p.size, 4);
  });

  it("rejects bad input with a reason for each", async () => {
    const { p } = pool();
    await rejects(p.add(new Uint8Array(10)), TxRejectCode.InvalidEncoding);
    await rejects(p.add(transfer(alice, 0, { chainId: asciiBytes("other") })), TxRejectCode.WrongChain);
    await rejects(p.add(transfer(alice, 0, { harbor: asciiBytes("xx-none") })), TxRejectCode.UnknownHarbor);
    await rejects(p.add(transfer(alice, 0, { kind: 99 })), TxRejectCode.UnknownKind);
    await rejects(p.add(transfer(alice, 0, { payload: new Uint8Array(3) })), TxRejectCode.InvalidPayload);
    await rejects(p.add(transfer(alice, 0, { fee: 0n })), TxRejectCode.FeeTooLow);
    await rejects(p.add(transfer(alice, 0, { gasLimit: 1e12 })), TxRejectCode.GasLimitTooHigh);
    await rejects(p.add(transfer(alice, 65)), TxRejectCode.NonceTooHigh);
    const forged = SignedTransaction.deserialize(transfer(alice, 0));
    forged.body.nonce = 1;
    await rejects(p.add(SignedTransaction.serialize(forged)), TxRejectCode.BadSignature);
    await rejects(p.add(new Uint8Array(200_000)), TxRejectCode.TooLarge);
    assert.equal(p.size, 0);
  });

  it("rejects duplicates, replays and a second transaction for a nonce", async () => {
    const nonces = new Map([[`pk-sifc/${toHex(publicKeyOf(alice))}`, 5]]);
    const { p } = pool(nonces);
    const tx = transfer(alice, 5);
    await p.add(tx);
    await rejects(p.add(tx), TxRejectCode.Duplicate);
    await rejects(p.add(transfer(alice, 4)), TxRejectCode.NonceTooLow);
    await rejects(p.add(transfer(alice, 5, { fee: 2n })), TxRejectCode.NonceInUse);
    // Two copies checked at once: whichever signature check finishes first wins, the other is a duplicate.
    const outcomes = await Promise.allSettled([p.add(transfer(bob, 0)), p.add(transfer(bob, 0))]);
    assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    assert.equal((refused?.reason as { code?: string } | undefined)?.code, TxRejectCode.Duplicate);
  });

  it("is bounded per sender and in total", async () => {
    const { p } = pool(new Map(), { maxPerSender: 2, maxTransactions: 3 });
    await p.add(transfer(alice, 0));
    await p.add(transfer(alice, 1));
    await rejects(p.add(transfer(alice, 2)), TxRejectCode.SenderLimit);
    await p.add(transfer(bob, 0));
    await rejects(p.add(transfer(bob, 1)), TxRejectCode.PoolFull);
  });

  it("forgets committed transactions and re-releases ones whose batch was lost", async () => {
    const nonces = new Map<string, number>();
    const { p, advance } = pool(nonces, { rereleaseAfterMs: 5_000 });
    const a0 = await p.add(transfer(alice, 0));
    await p.add(transfer(alice, 1));
    assert.equal(p.takeReady(1 << 20).length, 2);
    nonces.set(`pk-sifc/${toHex(publicKeyOf(alice))}`, 1);
    const aliceKey = publicKeyOf(alice);
    p.removeCommitted([{ hashHex: a0.hashHex, harbor: "pk-sifc", sender: aliceKey }]);
    assert.equal(p.size, 1);
    assert.equal(p.takeReady(1 << 20).length, 0);
    advance(6_000);
    assert.deepEqual(
      p.takeReady(1 << 20).map((t) => t.nonce),
      [1],
    );
    // Nonce 1 was used by a transaction this pool never saw: the pooled one can never execute.
    nonces.set(`pk-sifc/${toHex(publicKeyOf(alice))}`, 2);
    p.removeCommitted([{ hashHex: "0x00", harbor: "pk-sifc", sender: aliceKey }]);
    assert.equal(p.size, 0);
  });

  it("admits about its wait budget of the committed throughput, and at least minAdmitted", async () => {
    const { p, advance } = pool(new Map(), { minAdmitted: 3, waitBudgetMs: 2_000 });
    const senders = Array.from({ length: 12 }, (_, i) => new Uint8Array(32).fill(20 + i));
    for (const s of senders.slice(0, 3)) await p.add(transfer(s, 0));
    await rejects(p.add(transfer(senders[3]!, 0)), TxRejectCode.PoolFull);
    // The chain commits 5 transactions a second for the throughput window: 10 fit in 2 s of it.
    for (let second = 0; second < 5; second++) {
      p.removeCommitted(
        Array.from({ length: 5 }, (_, i) => ({ hashHex: `0x${second}${i}`, harbor: "pk-sifc", sender: bob })),
      );
      advance(1_000);
    }
    assert.equal(p.admissionLimit(), 10);
    for (const s of senders.slice(3, 10)) await p.add(transfer(s, 0));
    await rejects(p.add(transfer(senders[10]!, 0)), TxRejectCode.PoolFull);
    advance(10_000);
    assert.equal(p.admissionLimit(), 3, "a chain that stopped committing admits the minimum");
  });

  it("refuses senders that cannot pay the fee, counting what their pooled transactions may spend", async () => {
    const unfunded = new Uint8Array(32).fill(7);
    const key = (secret: Uint8Array) => `pk-sifc/${toHex(publicKeyOf(secret))}`;
    // Alice can pay two transfers of 5 with fee 1 (12), not a third.
    const balances = new Map([
      [key(unfunded), 0n],
      [key(alice), 12n],
    ]);
    const { p } = pool(new Map(), {}, balances);
    await rejects(p.add(transfer(unfunded, 0)), TxRejectCode.InsufficientBalance);
    await rejects(
      p.add(transfer(unfunded, 0, { payload: TransferPayload.serialize({ to: bob, amount: 0n }) })),
      TxRejectCode.InsufficientBalance,
    );
    await p.add(transfer(alice, 0));
    await p.add(transfer(alice, 1));
    await rejects(p.add(transfer(alice, 2)), TxRejectCode.InsufficientBalance);
    assert.equal(p.size, 2);
  });

  it("journals accepted transactions and restores them after a restart", async () => {
    const journal = new Map<string, Uint8Array>();
    const options = {
      chainId: "mass-devnet",
      harbors: ["pk-sifc"],
      accounts: { nextNonce: () => 0, balance: () => FUNDED },
      journal: {
        added: async (hash: Uint8Array, bytes: Uint8Array) => void journal.set(toHex(hash), bytes),
        removed: (hash: Uint8Array) => void journal.delete(toHex(hash)),
      },
    };
    const first = new TxPool(options);
    const a0 = await first.add(transfer(alice, 0));
    await first.add(transfer(alice, 1));
    assert.equal(journal.size, 2);
    first.removeCommitted([{ hashHex: a0.hashHex, harbor: "pk-sifc", sender: publicKeyOf(alice) }]);
    assert.equal(journal.size, 1, "executed transactions leave the journal");

    // Alice's nonce 0 executed before the restart; bob has sent nothing yet.
    const aliceHex = toHex(publicKeyOf(alice));
    const restarted = new TxPool({
      ...options,
      accounts: {
        nextNonce: (_harbor: string, sender: Uint8Array) => (toHex(sender) === aliceHex ? 1 : 0),
        balance: () => FUNDED,
      },
    });
    assert.equal(restarted.restore([...journal.values(), transfer(bob, 0), new Uint8Array([1])]), 2);
    assert.deepEqual(
      restarted.takeReady(1 << 20).map((t) => t.nonce),
      [1, 0],
    );
  });

  it("looks up a sender's nonce only when it may have something to release", async () => {
    let lookups = 0;
    const p = new TxPool({
      chainId: "mass-devnet",
      harbors: ["pk-sifc"],
      accounts: {
        nextNonce: () => {
          lookups += 1;
          return 0;
        },
        balance: () => FUNDED,
      },
    });
    await p.add(transfer(alice, 1));
    lookups = 0;
    assert.deepEqual(p.takeReady(1 << 20), [], "nonce 0 is missing: nothing to release");
    assert.equal(lookups, 1);
    lookups = 0;
    assert.deepEqual(p.takeReady(1 << 20), []);
    assert.equal(lookups, 0, "a sender with nothing new is not looked at again");
    await p.add(transfer(alice, 0));
    assert.deepEqual(
      p.takeReady(1 << 20).map((t) => t.nonce),
      [0, 1],
      "the gap filled: both go",
    );
    const released = p.takeReady(1 << 20);
    assert.deepEqual(released, []);
    p.unreleaseHashes([toHex(txHashOfBytes(transfer(alice, 1)))]);
    assert.deepEqual(
      p.takeReady(1 << 20).map((t) => t.nonce),
      [1],
      "a deferred transaction is handed out again",
    );
  });
});
