import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { evaluateRequirements } from "../../src/compliance/predicate.js";
import { loadRulePackDir, parseRulePack } from "../../src/compliance/rulePack.js";
import { ComplianceState } from "../../src/compliance/state.js";

const DIR = fileURLToPath(new URL("../../../genesis/rulepacks/", import.meta.url));

describe("rule packs", () => {
  it("loads the three devnet packs", () => {
    const packs = loadRulePackDir(DIR);
    assert.deepEqual(
      packs.map((p) => [p.harbor, p.jurisdiction]),
      [
        ["ae-difc", "ARE"],
        ["kz-aifc", "KAZ"],
        ["pk-sifc", "PAK"],
      ],
    );
    const pk = packs.find((p) => p.harbor === "pk-sifc")!;
    assert.deepEqual(pk.operations.transfer.export, [0, 2, 3]);
    const ae = packs.find((p) => p.harbor === "ae-difc")!;
    assert.deepEqual(ae.operations.transfer.import, [10]);
  });

  it("names the field of a bad pack", () => {
    const base = {
      harbor: "x-y",
      jurisdiction: "PAK",
      name: "X",
      version: 1,
      treasury: `0x${"00".repeat(32)}`,
    };
    assert.throws(() => parseRulePack({ ...base, jurisdiction: "pak" }), /x-y.jurisdiction/);
    assert.throws(
      () => parseRulePack({ ...base, operations: { transfer: { export: ["amll"] } } }),
      /transfer.export/,
    );
    assert.throws(() => parseRulePack({ ...base, operations: { mint: {} } }), /unknown operation "mint"/);
    assert.throws(() => parseRulePack({ ...base, attesters: { aml: ["0x12"] } }), /attesters.aml\[0\]/);
    assert.throws(() => parseRulePack({ ...base, transferWithholdingBps: 10_001 }), /basis points/);
  });
});

describe("cross-border predicate", () => {
  const a = new Uint8Array(32).fill(1);
  const b = new Uint8Array(32).fill(2);
  const reqs = [
    { subject: a, jurisdiction: "PAK", domains: [0, 2] },
    { subject: b, jurisdiction: "ARE", domains: [10] },
  ];

  it("passes when every cell is COMPLIANT or EXEMPT, reporting the lattice meet", () => {
    const r = evaluateRequirements(reqs, (_s, _j, d) =>
      d === 2 ? ComplianceState.EXEMPT : ComplianceState.COMPLIANT,
    );
    assert.equal(r.passed, true);
    assert.equal(r.state, ComplianceState.PENDING);
    assert.equal(r.readings.length, 3);
  });

  it("fails naming the first failing cell", () => {
    const r = evaluateRequirements(reqs, (s, _j, d) =>
      s === b && d === 10 ? ComplianceState.SUSPENDED : ComplianceState.COMPLIANT,
    );
    assert.equal(r.passed, false);
    assert.equal(r.failing?.jurisdiction, "ARE");
    assert.equal(r.failing?.domain, 10);
    assert.equal(r.state, ComplianceState.SUSPENDED);
  });
});
