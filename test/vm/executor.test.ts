import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ComplianceState } from "../../src/compliance/state.js";
import {
  Account,
  CorridorMessage,
  ExecutionOutcome,
  ExecutionReceipt,
  Lock,
  LockStatus,
} from "../../src/types/execution.js";
import { SignedTransaction, TxKind } from "../../src/types/transaction.js";
import { fromHex, toHex } from "../../src/util/bytes.js";
import { assemble } from "../../src/vm/assembler.js";
import { TOKEN_SOURCE, tokenTransferInput } from "../../src/vm/examples/token.js";
import {
  type BlockInput,
  type BlockResult,
  executeBlock,
  type HarborInput,
  inlineRunner,
  poolRunner,
} from "../../src/vm/executor/block.js";
import { accountKey, lockKey } from "../../src/vm/state/keys.js";
import { assetIdOf } from "../../src/vm/tx/deploy.js";
import { decodeTx } from "../../src/vm/tx/validity.js";
import { wordToBytes } from "../../src/vm/word.js";
import { attesterOf, CHAIN_ID, harborInput, key, signedTx } from "./chain.js";
import { NOW, pack } from "./helpers.js";

const alice = key("alice");
const bob = key("bob");
const carol = key("carol");
const dave = key("dave");
const frank = key("frank");
const pkAttester = attesterOf("pk-sifc");
const token = assemble(TOKEN_SOURCE).bytecode;

function receipts(result: BlockResult, harbor: string) {
  const h = result.harbors.find((x) => x.harbor === harbor)!;
  return h.receipts.map((r) => ExecutionReceipt.deserialize(r));
}

function withCarol(input: HarborInput): HarborInput {
  const snapshot = new Map(input.snapshot);
  snapshot.set(accountKey(carol.public), Account.serialize({ balance: 1000n, nonce: 0 }));
  return { ...input, snapshot };
}

/** The state after a harbor's write-set. */
function applyWrites(input: HarborInput, result: BlockResult): HarborInput {
  const h = result.harbors.find((x) => x.harbor === input.harbor);
  if (h === undefined) return input;
  const snapshot = new Map(input.snapshot);
  for (const w of h.writeSet) {
    const k = toHex(w.key).slice(2);
    if (w.value.length === 0) snapshot.delete(k);
    else snapshot.set(k, w.value);
  }
  return { ...input, snapshot };
}

function mixedBlock(): BlockInput {
  const tokenId = assetIdOf("pk-sifc", alice.public, 2);
  const pk = "pk-sifc";
  return {
    chainId: CHAIN_ID,
    timestamp: NOW,
    harbors: [
      withCarol(harborInput(pk, [alice, bob, pkAttester])),
      harborInput("ae-difc", [dave, frank]),
      harborInput("kz-aifc", [bob]),
    ],
    inbound: [],
    transactions: [
      signedTx(alice, pk, 0, TxKind.Transfer, { to: bob.public, amount: 1000n }),
      signedTx(dave, "ae-difc", 0, TxKind.Transfer, { to: frank.public, amount: 7n }),
      signedTx(alice, pk, 5, TxKind.Transfer, { to: bob.public, amount: 1n }),
      signedTx(alice, pk, 1, TxKind.Transfer, { to: bob.public, amount: 10n ** 9n }),
      signedTx(carol, pk, 0, TxKind.Transfer, { to: bob.public, amount: 5n }),
      signedTx(alice, pk, 2, TxKind.Deploy, { bytecode: token, metadata: new Uint8Array(0) }),
      signedTx(alice, pk, 3, TxKind.Call, { asset: tokenId, input: tokenTransferInput(bob.public, 5n) }),
      signedTx(alice, pk, 4, TxKind.Call, { asset: tokenId, input: tokenTransferInput(bob.public, 0n) }),
      signedTx(pkAttester, pk, 0, TxKind.Attest, {
        subject: carol.public,
        jurisdiction: new TextEncoder().encode("PAK"),
        domain: 0,
        state: ComplianceState.COMPLIANT,
        attestationRef: new Uint8Array(32),
        expiresAt: 0,
      }),
      signedTx(carol, pk, 1, TxKind.Attest, {
        subject: carol.public,
        jurisdiction: new TextEncoder().encode("PAK"),
        domain: 2,
        state: ComplianceState.COMPLIANT,
        attestationRef: new Uint8Array(32),
        expiresAt: 0,
      }),
      signedTx(alice, pk, 5, TxKind.Call, { asset: tokenId, input: new Uint8Array(0) }, { gasLimit: 2100 }),
      signedTx(bob, "nowhere", 0, TxKind.Transfer, { to: alice.public, amount: 1n }),
    ],
  };
}

const pools = new Map([1, 2, 4].map((n) => [n, poolRunner(n)]));
after(async () => {
  for (const p of pools.values()) await p.close();
});

describe("harbor-parallel block execution", () => {
  it("gives every transaction a receipt; invalid ones never halt the block", async () => {
    const result = await executeBlock(inlineRunner(), mixedBlock());
    assert.deepEqual(
      result.harbors.map((h) => h.harbor),
      ["ae-difc", "pk-sifc"],
    );
    assert.equal(result.unroutable.length, 1);
    assert.match(result.unroutable[0]!.reason, /unknown harbor nowhere/);
    const pk = receipts(result, "pk-sifc");
    const summary = pk.map((r) => [
      r.outcome,
      Buffer.from(r.reason)
        .toString("utf8")
        .replace(/0x[0-9a-f]{64}/g, "KEY"),
    ]);
    assert.deepEqual(summary, [
      [ExecutionOutcome.Success, ""],
      [ExecutionOutcome.Invalid, "bad nonce: expected 1, got 5"],
      [ExecutionOutcome.Revert, "invalid argument: insufficient balance"],
      [ExecutionOutcome.Revert, "compliance: (KEY, PAK, aml) is UNKNOWN"],
      [ExecutionOutcome.Success, ""],
      [ExecutionOutcome.Revert, "insufficient balance"],
      [ExecutionOutcome.Success, ""],
      [ExecutionOutcome.Success, ""],
      [ExecutionOutcome.Revert, "unauthorised: KEY is not an authorised pk-sifc attester for domain 2"],
      [ExecutionOutcome.OutOfGas, "out of gas"],
    ]);
    // Transfer gas: base 2000 + five cells read through the precompile.
    assert.equal(pk[0]!.gasUsed, 2000 + 5 * 10_000);
    assert.equal(pk[9]!.gasUsed, 2100);
    // Receipt chains: native ledger receipts link in order; the token's chain starts at its deploy.
    const tokenId = assetIdOf("pk-sifc", alice.public, 2);
    const tokenReceipts = pk.filter((r) => toHex(r.asset) === toHex(tokenId));
    assert.deepEqual(
      tokenReceipts.map((r) => r.sequence),
      [0, 1, 2, 3],
    );
    const h = result.harbors.find((x) => x.harbor === "pk-sifc")!;
    assert.deepEqual(tokenReceipts[1]!.previous, h.receiptDigests[4]);
    // Balances: fee 10 to the treasury; 10 bps of 1000 withheld.
    const balance = (k: Uint8Array) => {
      const w = h.writeSet.find((e) => toHex(e.key) === `0x${accountKey(k)}`);
      return w === undefined ? undefined : Account.deserialize(w.value).balance;
    };
    assert.equal(balance(bob.public), 1_000_000n + 999n);
    assert.equal(balance(alice.public), 1_000_000n - 1000n - 6n * 10n);
    assert.equal(balance(carol.public), 1000n - 20n);
    // Nine charged transactions paid the fee of 10; plus the withholding.
    assert.equal(balance(fromHex(pack("pk-sifc").treasury)), 9n * 10n + 1n);
  });

  it("turns undecodable and malformed transactions into Invalid receipts", async () => {
    const good = SignedTransaction.deserialize(
      signedTx(alice, "pk-sifc", 0, TxKind.Transfer, { to: bob.public, amount: 1n }),
    );
    const badChain = SignedTransaction.serialize({
      ...good,
      body: { ...good.body, chainId: Uint8Array.of(0xff) },
    });
    const block: BlockInput = {
      chainId: CHAIN_ID,
      timestamp: NOW,
      harbors: [harborInput("pk-sifc", [alice, bob])],
      inbound: [],
      transactions: [
        badChain,
        signedTx(alice, "pk-sifc", 0, TxKind.Call, { asset: new Uint8Array(32), input: new Uint8Array(0) }),
      ],
    };
    const forged = SignedTransaction.serialize({ ...good, signature: new Uint8Array(64) });
    block.transactions.push(forged);
    const r = receipts(await executeBlock(inlineRunner(), block), "pk-sifc");
    assert.deepEqual(
      r.map((x) => [x.outcome, Buffer.from(x.reason).toString()]),
      [
        [ExecutionOutcome.Invalid, "wrong chain id"],
        [ExecutionOutcome.Revert, "no asset with that id in this harbor"],
        [ExecutionOutcome.Invalid, "bad signature"],
      ],
    );
  });

  it("is deterministic: the same block twice gives the same receipt digests and write-sets", async () => {
    const a = await executeBlock(inlineRunner(), mixedBlock());
    const b = await executeBlock(inlineRunner(), mixedBlock());
    assert.deepEqual(
      a.harbors.map((h) => h.receiptDigests),
      b.harbors.map((h) => h.receiptDigests),
    );
    assert.deepEqual(
      a.harbors.map((h) => h.writeSet),
      b.harbors.map((h) => h.writeSet),
    );
  });

  it("is identical for pool sizes 1, 2 and 4 and for the inline runner", async () => {
    const block = mixedBlock();
    const reference = await executeBlock(inlineRunner(), block);
    for (const [size, pool] of pools) {
      const result = await executeBlock(pool, block);
      assert.deepEqual(result, reference, `pool size ${size}`);
    }
  });

  it("gives the same result from transactions carried decoded as from their bytes, on any runner", async () => {
    const block = mixedBlock();
    const reference = await executeBlock(inlineRunner(), block);
    const decoded = block.transactions.map((bytes) => {
      const d = decodeTx(bytes);
      assert.ok(d !== null);
      return d;
    });
    assert.deepEqual(await executeBlock(inlineRunner(), { ...block, decoded }), reference);
    for (const [size, pool] of pools)
      assert.deepEqual(await executeBlock(pool, { ...block, decoded }), reference, `pool size ${size}`);
  });

  it("completes an asset orbit: departure, arrival, settlement; and a refusal restores the lock", async () => {
    const settlerId = assetIdOf("ae-difc", dave.public, 0);
    const migrator = assemble(`
      CALLER
      PUSH 500
      SSTORE
      PUSH 500
      LOCK
      PUSH "ae-difc"
      PUSH ${toHex(settlerId)}
      PUSH 0
      INPUT
      TRANSIT
      HALT`).bytecode;
    const settler = assemble("PUSH 0\nINPUT\nSETTLE\nPOP\nPOP\nRETURN").bytecode;
    const migratorId = assetIdOf("pk-sifc", alice.public, 0);
    let pk = harborInput("pk-sifc", [alice]);
    let ae = harborInput("ae-difc", [dave]);
    const block = (txs: Uint8Array[], inbound: Uint8Array[]): BlockInput => ({
      chainId: CHAIN_ID,
      timestamp: NOW,
      harbors: [pk, ae],
      transactions: txs,
      inbound,
    });
    const b1 = await executeBlock(
      inlineRunner(),
      block(
        [
          signedTx(alice, "pk-sifc", 0, TxKind.Deploy, { bytecode: migrator, metadata: new Uint8Array(0) }),
          signedTx(alice, "pk-sifc", 1, TxKind.Call, { asset: migratorId, input: dave.public }),
          signedTx(alice, "pk-sifc", 2, TxKind.Call, { asset: migratorId, input: frank.public }),
        ],
        [],
      ),
    );
    const out1 = b1.harbors.find((h) => h.harbor === "pk-sifc")!.outbound;
    assert.equal(out1.length, 2);
    const [toDave, toFrank] = out1.map((m) => CorridorMessage.deserialize(m));
    pk = applyWrites(pk, b1);

    const b2 = await executeBlock(
      inlineRunner(),
      block(
        [
          signedTx(dave, "ae-difc", 0, TxKind.Deploy, { bytecode: settler, metadata: new Uint8Array(0) }),
          signedTx(dave, "ae-difc", 1, TxKind.Call, { asset: settlerId, input: toDave!.transitId }),
          signedTx(dave, "ae-difc", 2, TxKind.Call, { asset: settlerId, input: toDave!.transitId }),
        ],
        out1,
      ),
    );
    const aeReceipts = receipts(b2, "ae-difc");
    assert.deepEqual(
      aeReceipts.map((r) => r.outcome),
      [
        ExecutionOutcome.Success,
        ExecutionOutcome.Revert,
        ExecutionOutcome.Success,
        ExecutionOutcome.Success,
        ExecutionOutcome.Revert,
      ],
    );
    assert.match(Buffer.from(aeReceipts[1]!.reason).toString(), /ARE, payments\) is UNKNOWN/);
    assert.deepEqual(aeReceipts[3]!.returnData, wordToBytes(500));
    assert.match(Buffer.from(aeReceipts[4]!.reason).toString(), /already settled/);
    ae = applyWrites(ae, b2);
    const out2 = b2.harbors.find((h) => h.harbor === "ae-difc")!.outbound;
    assert.deepEqual(
      out2.map((m) => CorridorMessage.deserialize(m).kind),
      [1, 2],
    );

    const b3 = await executeBlock(inlineRunner(), block([], out2));
    assert.deepEqual(
      receipts(b3, "pk-sifc").map((r) => r.outcome),
      [ExecutionOutcome.Success, ExecutionOutcome.Success],
    );
    pk = applyWrites(pk, b3);
    const refused = pk.snapshot.get(lockKey(toFrank!.transitId));
    assert.equal(Lock.deserialize(refused!).status, LockStatus.Refused);
    assert.equal(pk.snapshot.get(lockKey(toDave!.transitId)), undefined);
    // Replaying the departure is refused: the transit already arrived.
    const b4 = await executeBlock(inlineRunner(), block([], [out1[0]!]));
    assert.equal(receipts(b4, "ae-difc")[0]!.outcome, ExecutionOutcome.Invalid);
  });
});
