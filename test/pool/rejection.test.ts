import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rejectionOf, TxRejectCode } from "../../src/pool/errors.js";
import { asciiBytes } from "../../src/types/primitives.js";
import { type TxFault, TxFaultCode } from "../../src/vm/tx/validity.js";

// What a client is told for each broken stateless rule: codes and texts it may depend on.
const CASES: [TxFault, TxRejectCode, string][] = [
  [
    { code: TxFaultCode.TooLarge, bytes: 200_000, limit: 131_584 },
    TxRejectCode.TooLarge,
    "transaction is 200000 bytes, limit 131584",
  ],
  [
    { code: TxFaultCode.Undecodable, error: "boom" },
    TxRejectCode.InvalidEncoding,
    "not an SSZ SignedTransaction: boom",
  ],
  [
    { code: TxFaultCode.WrongChain, expected: asciiBytes("mass-devnet") },
    TxRejectCode.WrongChain,
    "transaction is for another chain (this is mass-devnet)",
  ],
  [
    { code: TxFaultCode.UnknownHarbor, harbor: "xx", known: ["pk-sifc", "ae-difc"] },
    TxRejectCode.UnknownHarbor,
    'unknown harbor "xx" (known: pk-sifc, ae-difc)',
  ],
  [{ code: TxFaultCode.UnknownKind, kind: 99 }, TxRejectCode.UnknownKind, "unknown transaction kind 99"],
  [
    { code: TxFaultCode.MalformedPayload, kind: 0, error: "boom" },
    TxRejectCode.InvalidPayload,
    "payload does not decode for kind 0: boom",
  ],
  [
    { code: TxFaultCode.FeeTooLow, fee: 0n, minimum: 1n },
    TxRejectCode.FeeTooLow,
    "fee 0 is below the minimum 1",
  ],
  [
    { code: TxFaultCode.GasLimitTooHigh, gasLimit: 11, maximum: 10 },
    TxRejectCode.GasLimitTooHigh,
    "gas limit 11 is above 10",
  ],
];

describe("pool rejections of stateless faults", () => {
  it("keeps each code and message", () => {
    for (const [fault, code, message] of CASES) {
      const err = rejectionOf(fault);
      assert.equal(err.code, code);
      assert.equal(err.message, message);
    }
  });
});
