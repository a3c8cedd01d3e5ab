import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DOMAINS } from "../../src/compliance/domains.js";
import { ComplianceState, join, meet, meetAll, parseComplianceState } from "../../src/compliance/state.js";
import { readCellState } from "../../src/compliance/tensor.js";

const {
  NON_COMPLIANT: N,
  EXPIRED: X,
  SUSPENDED: S,
  UNKNOWN: U,
  PENDING: P,
  COMPLIANT: C,
  EXEMPT: E,
} = ComplianceState;
const ORDER = [N, X, S, U, P, C, E];

// The SPEC's tables written out by hand (rows and columns in ORDER), not derived from the code.
const MEET_TABLE = [
  [N, N, N, N, N, N, N],
  [N, X, X, X, X, X, X],
  [N, X, S, S, S, S, S],
  [N, X, S, U, U, U, U],
  [N, X, S, U, P, P, P],
  [N, X, S, U, P, C, P],
  [N, X, S, U, P, P, E],
];
const JOIN_TABLE = [
  [N, X, S, U, P, C, E],
  [X, X, S, U, P, C, E],
  [S, S, S, U, P, C, E],
  [U, U, U, U, P, C, E],
  [P, P, P, P, P, C, E],
  [C, C, C, C, C, C, E],
  [E, E, E, E, E, E, E],
];

describe("compliance lattice", () => {
  it("meet agrees with the SPEC table on all 49 pairs", () => {
    ORDER.forEach((a, i) => {
      ORDER.forEach((b, j) => {
        assert.equal(meet(a, b), MEET_TABLE[i]![j], `meet(${ComplianceState[a]}, ${ComplianceState[b]})`);
      });
    });
  });

  it("join agrees with the SPEC table on all 49 pairs", () => {
    ORDER.forEach((a, i) => {
      ORDER.forEach((b, j) => {
        assert.equal(join(a, b), JOIN_TABLE[i]![j], `join(${ComplianceState[a]}, ${ComplianceState[b]})`);
      });
    });
  });

  it("is commutative, NON_COMPLIANT absorbs under meet, the incomparable tops behave as SPEC says", () => {
    for (const a of ORDER) {
      for (const b of ORDER) {
        assert.equal(meet(a, b), meet(b, a));
        assert.equal(join(a, b), join(b, a));
      }
      assert.equal(meet(a, N), N);
    }
    assert.equal(meet(C, E), P);
    assert.equal(join(C, E), E);
    assert.equal(meetAll([C, C, X, C]), X);
    assert.equal(meetAll([]), C);
  });

  it("rejects values that are not states", () => {
    assert.throws(() => meet(7 as ComplianceState, C), { code: "INVALID_COMPLIANCE_STATE" });
    assert.throws(() => parseComplianceState("GREEN"), { code: "INVALID_COMPLIANCE_STATE" });
    assert.equal(parseComplianceState("non_compliant"), N);
  });

  it("has the twenty domains in SPEC order", () => {
    assert.deepEqual(
      [...DOMAINS],
      [
        "aml",
        "kyc",
        "sanctions",
        "tax",
        "securities",
        "corporate",
        "custody",
        "data_privacy",
        "licensing",
        "banking",
        "payments",
        "clearing",
        "settlement",
        "digital_assets",
        "employment",
        "immigration",
        "ip",
        "consumer_protection",
        "arbitration",
        "trade",
      ],
    );
  });

  it("reads a missing cell as UNKNOWN and one past its expiry as EXPIRED", () => {
    const cell = {
      state: C,
      attestationRef: new Uint8Array(32),
      evaluatedAt: 0,
      expiresAt: 1000,
      attester: new Uint8Array(32),
    };
    assert.equal(readCellState(undefined, 5), U);
    assert.equal(readCellState(cell, 1000), C);
    assert.equal(readCellState(cell, 1001), X);
    assert.equal(readCellState({ ...cell, expiresAt: 0 }, 10 ** 12), C);
  });
});
