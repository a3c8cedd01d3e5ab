import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExecutionReceipt } from "../../src/types/execution.js";
import { asciiBytes } from "../../src/types/primitives.js";
import {
  SignedTransaction,
  type TransactionBody,
  TransferPayload,
  TxKind,
} from "../../src/types/transaction.js";
import { executeHarbor } from "../../src/vm/executor/task.js";
import { checkTransaction, decodeTransaction, knownHarbor, TxFaultCode } from "../../src/vm/tx/validity.js";
import { harborInput } from "./chain.js";
import { NOW } from "./helpers.js";

const rules = {
  chainId: asciiBytes("mass-devnet"),
  harbors: new Set(["pk-sifc", "ae-difc"]),
  minFee: 2n,
  maxGasLimit: 100_000,
};

function encode(overrides: Partial<TransactionBody> = {}): Uint8Array {
  const body: TransactionBody = {
    chainId: asciiBytes("mass-devnet"),
    harbor: asciiBytes("pk-sifc"),
    sender: new Uint8Array(32).fill(1),
    nonce: 0,
    gasLimit: 21_000,
    fee: 2n,
    kind: TxKind.Transfer,
    payload: TransferPayload.serialize({ to: new Uint8Array(32).fill(9), amount: 5n }),
    ...overrides,
  };
  return SignedTransaction.serialize({ body, signature: new Uint8Array(64) });
}

const faultOf = (bytes: Uint8Array) => {
  const checked = checkTransaction(bytes, rules);
  assert.equal(checked.ok, false);
  return checked.ok ? undefined : checked.fault;
};

describe("transaction validity", () => {
  it("passes a well-formed transaction with its harbor and decoded payload", () => {
    const checked = checkTransaction(encode(), rules);
    assert.ok(checked.ok);
    assert.equal(checked.value.harbor, "pk-sifc");
    assert.deepEqual(checked.value.payload, { to: new Uint8Array(32).fill(9), amount: 5n });
  });

  it("names the rule each transaction breaks", () => {
    assert.deepEqual(faultOf(new Uint8Array(200_000)), {
      code: TxFaultCode.TooLarge,
      bytes: 200_000,
      limit: 128 * 1024 + 512,
    });
    assert.equal(faultOf(new Uint8Array(10))?.code, TxFaultCode.Undecodable);
    assert.deepEqual(faultOf(encode({ chainId: asciiBytes("other") })), {
      code: TxFaultCode.WrongChain,
      expected: rules.chainId,
    });
    assert.deepEqual(faultOf(encode({ harbor: asciiBytes("xx-none") })), {
      code: TxFaultCode.UnknownHarbor,
      harbor: "xx-none",
      known: ["pk-sifc", "ae-difc"],
    });
    assert.deepEqual(faultOf(encode({ kind: 99 })), { code: TxFaultCode.UnknownKind, kind: 99 });
    assert.equal(faultOf(encode({ payload: new Uint8Array(3) }))?.code, TxFaultCode.MalformedPayload);
    assert.deepEqual(faultOf(encode({ fee: 1n })), { code: TxFaultCode.FeeTooLow, fee: 1n, minimum: 2n });
    assert.deepEqual(faultOf(encode({ gasLimit: 100_001 })), {
      code: TxFaultCode.GasLimitTooHigh,
      gasLimit: 100_001,
      maximum: 100_000,
    });
  });

  it("reports the first broken rule in order: envelope, payload, then policy", () => {
    assert.equal(faultOf(encode({ chainId: asciiBytes("other"), kind: 99 }))?.code, TxFaultCode.WrongChain);
    assert.equal(faultOf(encode({ harbor: asciiBytes("xx"), fee: 0n }))?.code, TxFaultCode.UnknownHarbor);
    assert.equal(
      faultOf(encode({ payload: new Uint8Array(3), fee: 0n }))?.code,
      TxFaultCode.MalformedPayload,
    );
    assert.equal(faultOf(encode({ fee: 0n, gasLimit: 1e9 }))?.code, TxFaultCode.FeeTooLow);
  });

  it("treats a harbor id that is not printable ASCII as unknown", () => {
    const decoded = decodeTransaction(encode({ harbor: Uint8Array.of(0xff, 0x00) }));
    assert.ok(decoded.ok);
    const harbor = knownHarbor(decoded.value.body, rules.harbors);
    assert.deepEqual(harbor, {
      ok: false,
      fault: { code: TxFaultCode.UnknownHarbor, harbor: "", known: ["pk-sifc", "ae-difc"] },
    });
  });
});

describe("harbor lookup", () => {
  const many = new Set([...Array.from({ length: 9 }, (_, i) => `hb-${i}`), "pk-sifc"]);
  const bodyNaming = (harbor: Uint8Array) => {
    const decoded = decodeTransaction(encode({ harbor }));
    assert.ok(decoded.ok);
    return decoded.value.body;
  };

  it("finds the same harbors by scanning a small set and by looking up a large one", () => {
    for (const harbors of [rules.harbors, many]) {
      assert.deepEqual(knownHarbor(bodyNaming(asciiBytes("pk-sifc")), harbors), {
        ok: true,
        value: "pk-sifc",
      });
      const unknown = knownHarbor(bodyNaming(asciiBytes("pk-sifd")), harbors);
      assert.ok(!unknown.ok);
      assert.equal(unknown.fault.harbor, "pk-sifd");
      const garbage = knownHarbor(bodyNaming(Uint8Array.of(0x70, 0x6b, 0xff)), harbors);
      assert.ok(!garbage.ok);
      assert.equal(garbage.fault.harbor, "");
    }
  });
});

describe("Invalid receipts for broken stateless rules", () => {
  it("keeps the reasons that receipts (and so block hashes) carry", () => {
    const result = executeHarbor({
      ...harborInput("pk-sifc", []),
      chainId: "mass-devnet",
      timestamp: NOW,
      inbound: [],
      transactions: [
        new Uint8Array(10),
        encode({ chainId: asciiBytes("other") }),
        encode({ harbor: asciiBytes("ae-difc") }),
        encode({ kind: 99 }),
        encode({ payload: new Uint8Array(3) }),
      ],
      verifySignatures: false,
    });
    const reasons = result.receipts.map((r) =>
      Buffer.from(ExecutionReceipt.deserialize(r).reason).toString(),
    );
    assert.deepEqual(
      reasons.map((r) => r.replace(/: .*/, ": …")),
      [
        "undecodable transaction: …",
        "wrong chain id",
        "transaction belongs to another harbor",
        "unknown transaction kind 99",
        "malformed payload: …",
      ],
    );
  });
});
