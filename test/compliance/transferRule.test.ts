import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CellReader } from "../../src/compliance/predicate.js";
import { parseRulePack } from "../../src/compliance/rulePack.js";
import { ComplianceState } from "../../src/compliance/state.js";
import { transferRefusal } from "../../src/compliance/transferRule.js";

const pack = parseRulePack({
  harbor: "x-y",
  jurisdiction: "PAK",
  name: "X",
  version: 1,
  treasury: `0x${"00".repeat(32)}`,
  transferLimits: { maxPerTransaction: "100" },
});
const subject = new Uint8Array(32).fill(1);
const requirements = [{ subject, jurisdiction: "PAK", domains: [0, 2] }];

/** Reads every cell as `state`, counting the reads. */
function reader(state: ComplianceState): { read: CellReader; reads: () => number } {
  let reads = 0;
  return {
    read: () => {
      reads++;
      return state;
    },
    reads: () => reads,
  };
}

describe("transfer rule", () => {
  it("allows a compliant movement within the limit", () => {
    const { read } = reader(ComplianceState.COMPLIANT);
    assert.equal(transferRefusal("x-y", pack, requirements, 100n, read), undefined);
  });

  it("refuses an amount above the harbor's limit", () => {
    const { read } = reader(ComplianceState.EXEMPT);
    assert.equal(
      transferRefusal("x-y", pack, requirements, 101n, read),
      "amount exceeds the x-y transfer limit",
    );
  });

  it("names the failing cell before the limit, having read every cell", () => {
    const { read, reads } = reader(ComplianceState.EXPIRED);
    assert.match(transferRefusal("x-y", pack, requirements, 101n, read) ?? "", /PAK, aml\) is EXPIRED$/);
    assert.equal(reads(), 2);
  });

  it("has no limit when the pack sets none", () => {
    const { read } = reader(ComplianceState.COMPLIANT);
    const unlimited = { ...pack, maxTransferAmount: undefined };
    assert.equal(transferRefusal("x-y", unlimited, requirements, 10n ** 30n, read), undefined);
  });
});
