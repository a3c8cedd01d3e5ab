import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BitArray } from "@chainsafe/ssz";
import { DOMAINS } from "../../src/compliance/domains.js";
import { ComplianceState, complianceStateName } from "../../src/compliance/state.js";
import { defaultCommit, layoutDag } from "../../src/explorer/web/dagLayout.js";
import { decodePayload } from "../../src/explorer/web/decode.js";
import { amount, short, signersOf, textOfHex } from "../../src/explorer/web/format.js";
import * as names from "../../src/explorer/web/names.js";
import type { DagCertificate, DagJson, TensorCellJson } from "../../src/explorer/web/rpc.js";
import { classify } from "../../src/explorer/web/search.js";
import { cellColour, EMPTY_COLOUR, STATE_COLOURS, tensorGrid } from "../../src/explorer/web/tensorLayout.js";
import { FinalityCertificate } from "../../src/types/block.js";
import { CorridorState } from "../../src/types/corridor.js";
import { CorridorMessageKind } from "../../src/types/execution.js";
import { CorridorRole, TX_PAYLOAD_TYPES, TxKind } from "../../src/types/transaction.js";
import { toHex, utf8 } from "../../src/util/bytes.js";

/** Member names of a numeric enum, by wire value. */
const enumNames = (e: Record<string, string | number>) =>
  Object.entries(e)
    .filter(([, v]) => typeof v === "number")
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map(([k]) => k);

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("the explorer's browser modules", () => {
  it("name wire values as the node does", () => {
    assert.deepEqual([...names.DOMAINS], [...DOMAINS]);
    assert.deepEqual(
      [...names.COMPLIANCE_STATES],
      enumNames(ComplianceState as unknown as Record<string, number>).map((_, i) => complianceStateName(i)),
    );
    assert.deepEqual([...names.TX_KINDS], enumNames(TxKind as unknown as Record<string, number>));
    assert.deepEqual(
      [...names.CORRIDOR_STATES],
      enumNames(CorridorState as unknown as Record<string, number>).map((n) => n.toUpperCase()),
    );
    assert.deepEqual([...names.CORRIDOR_ROLES], enumNames(CorridorRole as unknown as Record<string, number>));
    assert.deepEqual(
      [...names.CORRIDOR_MESSAGE_KINDS],
      enumNames(CorridorMessageKind as unknown as Record<string, number>),
    );
    assert.equal(names.nameOf(names.TX_KINDS, 99), "UNKNOWN_99");
  });

  it("decodes every payload kind as its SSZ type encodes it", () => {
    const cases: [TxKind, unknown, [string, string][]][] = [
      [
        TxKind.Transfer,
        { to: bytes(32, 1), amount: 123_456_789_012n },
        [
          ["to", toHex(bytes(32, 1))],
          ["amount", "123456789012"],
        ],
      ],
      [
        TxKind.Deploy,
        { bytecode: Uint8Array.of(1, 2, 3), metadata: utf8("meta") },
        [
          ["bytecode", "0x010203"],
          ["metadata", toHex(utf8("meta"))],
        ],
      ],
      [
        TxKind.Call,
        { asset: bytes(32, 2), input: new Uint8Array() },
        [
          ["asset", toHex(bytes(32, 2))],
          ["input", "0x"],
        ],
      ],
      [
        TxKind.Attest,
        {
          subject: bytes(32, 3),
          jurisdiction: utf8("PAK"),
          domain: 2,
          state: ComplianceState.PENDING,
          attestationRef: bytes(32, 4),
          expiresAt: 1_700_000_000_123,
        },
        [
          ["subject", toHex(bytes(32, 3))],
          ["jurisdiction", "PAK"],
          ["domain", "sanctions (2)"],
          ["state", "PENDING (4)"],
          ["attestationRef", toHex(bytes(32, 4))],
          ["expiresAt", "1700000000123"],
        ],
      ],
      [
        TxKind.Migrate,
        {
          destinationHarbor: utf8("ae-difc"),
          recipient: bytes(32, 5),
          amount: 2n ** 64n - 1n,
          timeoutBlocks: 7,
        },
        [
          ["destinationHarbor", "ae-difc"],
          ["recipient", toHex(bytes(32, 5))],
          ["amount", "18446744073709551615"],
          ["timeoutBlocks", "7"],
        ],
      ],
      [
        TxKind.Corridor,
        {
          corridor: utf8("ae-difc~pk-sifc"),
          to: CorridorState.Suspended,
          role: CorridorRole.Acceptor,
          evidence: bytes(32, 6),
        },
        [
          ["corridor", "ae-difc~pk-sifc"],
          ["to", "SUSPENDED (4)"],
          ["role", "Acceptor (1)"],
          ["evidence", toHex(bytes(32, 6))],
        ],
      ],
    ];
    for (const [kind, value, expected] of cases) {
      const type = TX_PAYLOAD_TYPES[kind] as { serialize(v: unknown): Uint8Array };
      const decoded = decodePayload(kind, toHex(type.serialize(value)));
      assert.deepEqual(decoded, { kind: TxKind[kind], fields: expected }, TxKind[kind]);
    }
  });

  it("reports a payload it cannot decode instead of throwing", () => {
    assert.match(decodePayload(TxKind.Transfer, "0x0102").error ?? "", /needs 40/);
    assert.match(decodePayload(TxKind.Transfer, `0x${"00".repeat(41)}`).error ?? "", /expected 40/);
    assert.match(decodePayload(TxKind.Migrate, `0x${"ff".repeat(52)}`).error ?? "", /bad offset/);
    assert.deepEqual(decodePayload(42, "0x"), {
      kind: "UNKNOWN_42",
      fields: [],
      error: "unknown transaction kind",
    });
    assert.ok(decodePayload(TxKind.Transfer, "0xzz").error);
  });

  it("reads a finality certificate's signers from its SSZ bitlist", () => {
    for (const bits of [
      [true, false, true, true],
      [false, false, false, false],
      [true],
      Array(9).fill(true),
      [],
    ]) {
      const cert = FinalityCertificate.defaultValue();
      cert.signers = BitArray.fromBoolArray(bits);
      const json = FinalityCertificate.toJson(cert) as { signers: string };
      assert.deepEqual(
        signersOf(json.signers),
        bits.flatMap((b, i) => (b ? [i] : [])),
        JSON.stringify(bits),
      );
    }
  });

  it("formats values", () => {
    assert.equal(
      textOfHex(toHex(utf8("compliance: (0xab, PAK, aml) is UNKNOWN"))),
      "compliance: (0xab, PAK, aml) is UNKNOWN",
    );
    assert.equal(textOfHex("0x"), "");
    assert.equal(textOfHex("0xff"), "\ufffd");
    assert.equal(amount("1234567"), "1,234,567");
    assert.equal(amount("12"), "12");
    assert.equal(short(toHex(bytes(32, 0xab))), "0xababab…ababab");
    assert.equal(short("pk-sifc"), "pk-sifc");
  });

  it("classifies search entries", () => {
    const h = `0x${"Ab".repeat(32)}`;
    assert.deepEqual(classify(" 42 "), { kind: "height", height: "42" });
    assert.deepEqual(classify("007"), { kind: "height", height: "7" });
    assert.deepEqual(classify(h), { kind: "hash", hex: h.toLowerCase() });
    assert.deepEqual(classify("ab".repeat(32)), { kind: "hash", hex: `0x${"ab".repeat(32)}` });
    assert.deepEqual(classify("pk-sifc~ae-difc"), { kind: "corridor", id: "ae-difc~pk-sifc" });
    for (const bad of [
      "",
      "   ",
      "0x12",
      `0x${"ab".repeat(33)}`,
      "a~b~c",
      "~x",
      "hello",
      "-1",
      "1".repeat(17),
    ])
      assert.equal(classify(bad).kind, "invalid", bad);
  });

  it("lays the DAG out by round and author, with the selected commit's edges highlighted", () => {
    const cert = (
      round: number,
      author: number,
      parents: string[],
      commitIndex: string | null,
    ): DagCertificate => ({
      round: String(round),
      author,
      digest: `d${round}-${author}`,
      parents,
      createdAt: "0",
      batches: 0,
      leader: false,
      committedLeader: false,
      committed: commitIndex !== null,
      commitIndex,
    });
    const dag: DagJson = {
      fromRound: "5",
      toRound: "6",
      highestRound: "6",
      gcRound: "0",
      lastCommittedRound: "6",
      committee: [0, 1].map((index) => ({ index, name: `v${index}`, stake: "1" })),
      certificates: [
        cert(5, 0, ["d4-0", "d4-1"], "3"),
        cert(5, 1, ["d4-0"], "3"),
        cert(6, 0, ["d5-0", "d5-1"], "3"),
        cert(6, 1, ["d5-1"], null),
      ],
      commits: [{ index: "3", leaderRound: "6", leader: "d6-0", certificates: 3, height: "4" }],
    };
    assert.equal(defaultCommit(dag), 3);
    const layout = layoutDag(dag, 3);
    assert.equal(layout.nodes.length, 4);
    assert.equal(layout.edges.length, 3);
    assert.equal(layout.clipped, 3, "parents in round 4 are outside the window");
    assert.equal(layout.edges.filter((e) => e.highlighted).length, 2);
    const [a, b] = [layout.nodes[0]!, layout.nodes[3]!];
    assert.ok(a.x < b.x && a.y < b.y, "later rounds to the right, higher authors below");
    assert.deepEqual(
      layout.rounds.map((r) => r.round),
      [5, 6],
    );
    assert.equal(layoutDag(dag, null).edges.filter((e) => e.highlighted).length, 0);
    assert.equal(defaultCommit({ ...dag, commits: [] }), null);
  });

  it("grids tensor cells by subject and domain, coloured by the state read now", () => {
    const cell = (
      subject: string,
      domainIndex: number,
      effectiveState: string,
      expired = false,
    ): TensorCellJson => ({
      subject,
      jurisdiction: "PAK",
      domain: DOMAINS[domainIndex]!,
      domainIndex,
      state: expired ? "COMPLIANT" : effectiveState,
      stateCode: 0,
      attestationRef: "0x",
      effectiveState,
      expired,
      expiresAt: expired ? "1" : "0",
      evaluatedAt: "0",
      attester: "0x",
    });
    const grid = tensorGrid([
      cell("0xbb", 0, "COMPLIANT"),
      cell("0xaa", 19, "EXPIRED", true),
      cell("0xaa", 3, "PENDING"),
      cell("0xcc", 25, "COMPLIANT"),
    ]);
    assert.deepEqual(grid.subjects, ["0xaa", "0xbb"]);
    assert.equal(grid.rows[0]!.length, 20);
    assert.equal(grid.rows[0]![19]!.expired, true);
    assert.equal(grid.rows[0]![0], undefined);
    assert.deepEqual(
      [grid.expired, grid.counts.COMPLIANT, grid.counts.EXPIRED, grid.counts.PENDING],
      [1, 1, 1, 1],
    );
    assert.equal(cellColour(undefined), EMPTY_COLOUR);
    assert.equal(cellColour(grid.rows[0]![3]), STATE_COLOURS.PENDING);
    assert.equal(new Set(Object.values(STATE_COLOURS)).size, 7, "seven distinct colours");
  });
});
