import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ComplianceState } from "../../src/compliance/state.js";
import { publicKeyOf, sign } from "../../src/crypto/ed25519.js";
import { sha256 } from "../../src/crypto/hash.js";
import { merkleProof, merkleRoot } from "../../src/crypto/merkle.js";
import { ExecutionOutcome } from "../../src/types/execution.js";
import { toHex, utf8 } from "../../src/util/bytes.js";
import { cellInput, NOW, ret, run } from "./helpers.js";

const ENTITY = new Uint8Array(32).fill(0x11);
const COUNTERPARTY = new Uint8Array(32).fill(0x22);
const { COMPLIANT, EXEMPT, NON_COMPLIANT } = ComplianceState;

// SPEC example 11.1: four tensor reads at 10,000 gas, three ANDs at 5, ATTEST at 10,000, RETURN.
const PAYMENT = `
  .const ENTITY ${toHex(ENTITY)}
  .const COUNTERPARTY ${toHex(COUNTERPARTY)}
  .const AMOUNT 250000            ; USD, informational
  PUSH ENTITY
  PUSH "PAK"
  PUSH aml
  TENSOR_GET
  PUSH ENTITY
  PUSH "PAK"
  PUSH sanctions
  TENSOR_GET
  AND
  PUSH ENTITY
  PUSH "PAK"
  PUSH tax
  TENSOR_GET
  AND
  PUSH COUNTERPARTY
  PUSH "ARE"
  PUSH payments
  TENSOR_GET
  AND
  ATTEST
  RETURN`;
const PAYMENT_GAS = 4 * 10_000 + 3 * 5 + 10_000 + 12 * 3;

function tensor(overrides: Partial<Record<string, { state: ComplianceState; expiresAt?: number }>> = {}) {
  const base: [string, Uint8Array, string, number][] = [
    ["aml", ENTITY, "PAK", 0],
    ["sanctions", ENTITY, "PAK", 2],
    ["tax", ENTITY, "PAK", 3],
    ["payments", COUNTERPARTY, "ARE", 10],
  ];
  return base.map(([name, subject, jur, domain]) => {
    const o = overrides[name];
    return cellInput(subject, jur, domain, o?.state ?? COMPLIANT, o?.expiresAt ?? NOW + 86_400_000);
  });
}

describe("SPEC example 11.1: cross-border payment PAK -> UAE", () => {
  it("succeeds with a compliant tensor, recording one attestation", () => {
    const r = run(PAYMENT, { gasLimit: 2_000_000, cells: tensor({ tax: { state: EXEMPT } }) });
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    assert.equal(r.gasUsed, PAYMENT_GAS);
    assert.equal(r.attestations.length, 1);
  });

  it("fails naming the non-compliant cell", () => {
    const r = run(PAYMENT, { gasLimit: 2_000_000, cells: tensor({ payments: { state: NON_COMPLIANT } }) });
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.equal(r.reason, `compliance: (${toHex(COUNTERPARTY)}, ARE, payments) is NON_COMPLIANT at pc 175`);
    assert.equal(r.gasUsed, PAYMENT_GAS);
    assert.deepEqual(r.attestations, []);
  });

  it("fails naming the expired cell", () => {
    const r = run(PAYMENT, {
      gasLimit: 2_000_000,
      cells: tensor({ sanctions: { state: COMPLIANT, expiresAt: NOW - 1 } }),
    });
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.equal(r.reason, `compliance: (${toHex(ENTITY)}, PAK, sanctions) is EXPIRED at pc 175`);
  });

  it("the attestation digest is deterministic", () => {
    const a = run(PAYMENT, { cells: tensor() });
    const b = run(PAYMENT, { cells: tensor() });
    assert.deepEqual(a.attestations, b.attestations);
  });
});

describe("compliance precompiles", () => {
  const attesterKey = sha256(utf8("mass-devnet/attester/pk-sifc"));
  const attester = publicKeyOf(attesterKey);

  it("TENSOR_STATE returns the state code; a missing cell reads UNKNOWN", () => {
    const r = run(`PUSH ${toHex(ENTITY)}\nPUSH "PAK"\nPUSH aml\nTENSOR_STATE\nRETURN`);
    assert.equal(r.returnData[31], ComplianceState.UNKNOWN);
    assert.equal(r.gasUsed, 10_009);
  });

  it("TENSOR_SET writes a cell for an authorised attester, then TENSOR_GET sees it", () => {
    const src = `
      PUSH ${toHex(ENTITY)}
      PUSH "PAK"
      PUSH kyc
      PUSH COMPLIANT
      PUSH 0
      PUSH 0xabcd
      TENSOR_SET
      PUSH ${toHex(ENTITY)}
      PUSH "PAK"
      PUSH kyc
      TENSOR_GET
      RETURN`;
    const r = run(src, { caller: attester });
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    assert.equal(r.returnData[31], 1);
    assert.equal(r.gasUsed, 6 * 3 + 10_000 + 3 * 3 + 10_000);
    assert.equal(r.tensorUpdates.length, 1);
    assert.deepEqual(r.tensorUpdates[0]!.cell.attester, attester);
    assert.equal(r.tensorUpdates[0]!.cell.evaluatedAt, NOW);
  });

  it("TENSOR_SET refuses an unauthorised caller and a foreign jurisdiction", () => {
    const set = (jur: string) => `PUSH 1\nPUSH "${jur}"\nPUSH kyc\nPUSH 5\nPUSH 0\nPUSH 0\nTENSOR_SET\nHALT`;
    const r = run(set("PAK"));
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, /^unauthorised: 0xcc.* is not an authorised pk-sifc attester/);
    assert.match(run(set("ARE"), { caller: attester }).reason, /attests PAK cells, not ARE/);
  });

  it("VERIFY_ZK with no verifier pushes 0 and charges the type's gas; an unknown type faults", () => {
    const r = run("PUSH 1\nPUSH 0\nPUSH 0\nPUSH 0\nVERIFY_ZK\nRETURN");
    assert.equal(r.outcome, ExecutionOutcome.Success);
    assert.equal(r.returnData[31], 0);
    assert.equal(r.gasUsed, 12 + 75_000);
    const a = run("PUSH 1\nPUSH 0\nPUSH 0\nPUSH 0\nVERIFY_ZK\nATTEST\nHALT");
    assert.match(a.reason, /^compliance: BBS\+ proof not verified \(no verifier registered\)/);
    assert.match(run("PUSH 9\nPUSH 0\nPUSH 0\nPUSH 0\nVERIFY_ZK").reason, /unknown proof type 9/);
  });
});

describe("crypto precompiles", () => {
  it("VERIFY_SIG checks an Ed25519 signature over a 32-byte message", () => {
    const sk = sha256(utf8("signer"));
    const msg = sha256(utf8("message"));
    const sig = sign(sk, msg);
    const prog = (s: Uint8Array) =>
      `PUSH ${toHex(publicKeyOf(sk))}\nPUSH ${toHex(msg)}\nPUSH ${toHex(s.subarray(0, 32))}\nPUSH ${toHex(s.subarray(32))}\nVERIFY_SIG\nRETURN`;
    const ok = run(prog(sig));
    assert.equal(ok.returnData[31], 1);
    assert.equal(ok.gasUsed, 12 + 3000);
    const bad = Uint8Array.from(sig);
    bad[0]! ^= 1;
    assert.equal(run(prog(bad)).returnData[31], 0);
  });

  it("MERKLE_VERIFY checks an RFC 9162 inclusion proof from memory", () => {
    const leaves = [1, 2, 3, 4, 5].map((i) => sha256(Uint8Array.of(i)));
    const root = merkleRoot(leaves);
    const proof = merkleProof(leaves, 2);
    const stores = proof.siblings.map((s, k) => `PUSH ${k * 32}\nPUSH ${toHex(s)}\nMSTORE`).join("\n");
    const src = `${stores}\nPUSH ${toHex(root)}\nPUSH ${toHex(leaves[2]!)}\nPUSH 2\nPUSH 5\nPUSH 0\nPUSH ${proof.siblings.length}\nMERKLE_VERIFY\nRETURN`;
    const r = run(src);
    assert.equal(r.returnData[31], 1);
    const n = proof.siblings.length;
    assert.equal(r.gasUsed, n * 9 + 18 + 1000 + 100 * n);
    assert.equal(run(src.replace("PUSH 2\n", "PUSH 3\n")).returnData[31], 0);
  });
});

describe("migration precompiles", () => {
  const owner = new Uint8Array(32).fill(0x33);
  const recipient = new Uint8Array(32).fill(0x44);
  const migrateCells = [0, 2, 3].map((d) => cellInput(owner, "PAK", d, COMPLIANT));

  /** Gives the caller 1,000 units in the asset's ledger (slot = holder): CALLER, PUSH, SSTORE. */
  const MINT = "CALLER\nPUSH 1000\nSSTORE\n";
  const MINT_GAS = 2 + 3 + 5_000;

  it("LOCK then TRANSIT emits a departure message; each costs 100,000", () => {
    const src = `${MINT}
      PUSH 500
      LOCK
      PUSH "ae-difc"
      PUSH 0x99
      PUSH ${toHex(recipient)}
      TRANSIT
      HALT`;
    const r = run(src, { caller: owner, cells: migrateCells });
    assert.equal(r.outcome, ExecutionOutcome.Success, r.reason);
    // TRANSIT's own compliance reads are part of its flat price.
    assert.equal(r.gasUsed, MINT_GAS + 4 * 3 + 2 * 100_000);
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0]!.amount, 500n);
  });

  it("LOCK takes real units from the caller's balance in the asset's ledger, and no more than it holds", () => {
    const balance = run(`${MINT}PUSH 400\nLOCK\nPOP\nCALLER\nSLOAD\nRETURN`);
    assert.equal(balance.outcome, ExecutionOutcome.Success, balance.reason);
    assert.equal(ret(balance), 600n);
    const over = run(`${MINT}PUSH 1001\nLOCK\nHALT`);
    assert.equal(over.outcome, ExecutionOutcome.Revert);
    assert.match(over.reason, /insufficient units: holds 1000/);
    assert.match(run("PUSH 1\nLOCK\nHALT").reason, /insufficient units: holds 0/);
  });

  it("TRANSIT checks the owner's migrate export requirements, naming the cell", () => {
    const src = `${MINT}PUSH 500\nLOCK\nPUSH "ae-difc"\nPUSH 0x99\nPUSH 1\nTRANSIT\nHALT`;
    const r = run(src, { caller: owner });
    assert.equal(r.outcome, ExecutionOutcome.Revert);
    assert.match(r.reason, new RegExp(`compliance: \\(${toHex(owner)}, PAK, aml\\) is UNKNOWN`));
    assert.deepEqual(r.messages, []);
  });

  it("UNLOCK gives the units back and returns the amount; a departed lock cannot be unlocked", () => {
    const unlocked = run(`${MINT}PUSH 500\nLOCK\nUNLOCK\nRETURN`);
    assert.equal(unlocked.returnData.at(-1), 500 & 0xff);
    assert.equal(unlocked.gasUsed, MINT_GAS + 3 + 2 * 100_000);
    assert.equal(ret(run(`${MINT}PUSH 500\nLOCK\nUNLOCK\nPOP\nCALLER\nSLOAD\nRETURN`)), 1000n);
    const src = `${MINT}PUSH 500\nLOCK\nDUP 1\nPUSH "ae-difc"\nPUSH 0x99\nPUSH 1\nTRANSIT\nUNLOCK`;
    assert.match(run(src, { caller: owner, cells: migrateCells }).reason, /in transit/);
  });

  it("SETTLE without an arrival faults", () => {
    assert.match(run("PUSH 7\nSETTLE").reason, /no arrival/);
  });
});
