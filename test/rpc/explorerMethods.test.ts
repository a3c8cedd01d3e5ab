import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Chain } from "../../src/chain/chain.js";
import { attestTx, signTransaction, TRANSFER_GAS_LIMIT } from "../../src/client/index.js";
import { DOMAIN_COUNT } from "../../src/compliance/domains.js";
import { ComplianceState } from "../../src/compliance/state.js";
import { ConsensusCommittee } from "../../src/consensus/committee.js";
import { LevelConsensusStore } from "../../src/consensus/store/levelStore.js";
import { sign } from "../../src/crypto/ed25519.js";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { RpcErrorCode } from "../../src/rpc/errors.js";
import {
  type DagJson,
  explorerMethods,
  MAX_DAG_ROUNDS,
  MAX_TENSOR_PAGE,
  type TensorCellJson,
} from "../../src/rpc/explorerMethods.js";
import type { HealthStatus } from "../../src/rpc/methods.js";
import { RpcServer } from "../../src/rpc/server.js";
import { Database } from "../../src/state/db/index.js";
import { Certificate } from "../../src/types/consensus.js";
import { blockHash, headerDigest } from "../../src/types/signing.js";
import { toHex } from "../../src/util/bytes.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { tempDir } from "../helpers/tempDir.js";

const CHAIN_ID = "mass-devnet";
const GENESIS_TIME = 1_700_000_000_000;
/** Rounds of the synthetic DAG: every author certifies every round; leaders of 2, 4 and 6 commit. */
const ROUNDS = 8;
const LEADER_ROUNDS = [2, 4, 6];

interface Answer<T> {
  result?: T;
  error?: { code: number; message: string; data?: unknown };
}

describe("explorer JSON-RPC methods", () => {
  const home = initDevnetHome({ dir: join(tempDir(), "home"), validators: 4, genesisTime: GENESIS_TIME });
  const { genesis } = home;
  const committee = new ConsensusCommittee(genesis.committee);
  const attester = readKeyFile(home.attesterKeyPath);
  const dbPath = join(tempDir(), "db");
  const internalErrors: unknown[] = [];
  let status: HealthStatus = "ok";
  let db: Database;
  let chain: Chain;
  let server: RpcServer;
  let id = 0;

  /** digests[round][author] of the synthetic DAG. */
  const digests: Uint8Array[][] = [];
  /** Commit index of each certificate (hex digest) the commits order. */
  const orderedBy = new Map<string, number>();
  const leaders: Uint8Array[] = [];
  /** A subject with a cell that never expires, one long expired, one that expires between blocks 1 and 3. */
  const subject = new Uint8Array(32).fill(0x5a);
  const expiries = [0, 1, GENESIS_TIME + 1_500];

  async function call<T>(method: string, params?: unknown): Promise<Answer<T>> {
    const request = { jsonrpc: "2.0", id: ++id, method, ...(params !== undefined && { params }) };
    return (await server.handlePayload(JSON.stringify(request))) as Answer<T>;
  }

  async function result<T>(method: string, params?: unknown): Promise<T> {
    const answer = await call<T>(method, params);
    assert.equal(answer.error, undefined, `${method} ${JSON.stringify(params)}: ${answer.error?.message}`);
    return answer.result!;
  }

  async function errorCode(method: string, params?: unknown): Promise<number | undefined> {
    const answer = await call(method, params);
    assert.equal(answer.result, undefined, `${method} ${JSON.stringify(params)} answered`);
    assert.equal(typeof answer.error?.message, "string");
    return answer.error?.code;
  }

  function certificate(round: number, author: number): { certificate: Certificate; digest: Uint8Array } {
    const cert = Certificate.defaultValue();
    cert.header.round = round;
    cert.header.author = author;
    cert.header.createdAt = GENESIS_TIME + round * 100;
    cert.header.parents = round === 1 ? [] : [...digests[round - 1]!];
    return { certificate: cert, digest: headerDigest(cert.header) };
  }

  before(async () => {
    db = await Database.open(dbPath);
    chain = await Chain.open({
      db,
      genesis,
      rulePacks: loadRulePacks(home.genesisPath, genesis),
      runner: inlineRunner(),
    });
    server = new RpcServer({
      host: "127.0.0.1",
      port: 0,
      methods: explorerMethods({
        genesis,
        chain,
        db,
        status: () => ({ status, reason: status === "ok" ? "" : "test" }),
      }),
      onInternalError: (_method, err) => internalErrors.push(err),
    });
  });
  after(async () => {
    await db.close();
  });

  it("answers an empty DAG before consensus stored anything", async () => {
    const dag = await result<DagJson>("mass_getDag");
    assert.deepEqual(
      [dag.fromRound, dag.toRound, dag.highestRound, dag.certificates, dag.commits],
      ["0", "0", "0", [], []],
    );
    assert.equal(dag.committee.length, 4);
  });

  it("reads the DAG the consensus store holds: rounds, authors, parents, leaders and the commits that ordered them", async () => {
    const store = new LevelConsensusStore(db);
    for (let round = 1; round <= ROUNDS; round++) {
      const certs = [0, 1, 2, 3].map((a) => certificate(round, a));
      digests[round] = certs.map((c) => c.digest);
      await store.write({ certificates: certs });
    }
    // Each leader orders what it reaches and no commit ordered before, by round then author, leader last.
    const ordered = new Set<string>();
    for (const [index, leaderRound] of LEADER_ROUNDS.entries()) {
      const leader = digests[leaderRound]![committee.leader(leaderRound)]!;
      leaders.push(leader);
      const history: { digest: Uint8Array; round: number }[] = [];
      for (let r = 1; r < leaderRound; r++)
        for (const d of digests[r]!) if (!ordered.has(toHex(d))) history.push({ digest: d, round: r });
      history.push({ digest: leader, round: leaderRound });
      for (const h of history) {
        ordered.add(toHex(h.digest));
        orderedBy.set(toHex(h.digest), index);
      }
      await store.write({
        commits: [
          {
            record: { index, leaderRound, leader, certificates: history.map((h) => h.digest) },
            rounds: history.map((h) => h.round),
          },
        ],
        sync: true,
      });
    }
    // One block per commit, the first with attestations of `subject`.
    const attests = expiries.map((expiresAt, domain) =>
      signTransaction(
        attestTx(
          {
            chainId: CHAIN_ID,
            harbor: "pk-sifc",
            sender: attester.publicKey,
            nonce: domain,
            gasLimit: TRANSFER_GAS_LIMIT,
            fee: 10n,
          },
          {
            subject,
            jurisdiction: "PAK",
            domain,
            state: ComplianceState.COMPLIANT,
            attestationRef: new Uint8Array(32).fill(domain + 1),
            expiresAt,
          },
        ),
        attester.secretKey,
        sign,
      ),
    );
    for (const [index, leaderRound] of LEADER_ROUNDS.entries()) {
      const block = await chain.execute({
        commitIndex: index,
        leaderRound,
        leaderDigest: leaders[index]!,
        leaderTime: GENESIS_TIME + (index + 1) * 1_000,
        transactions: index === 0 ? attests.map((t) => t.bytes) : [],
      });
      if (index === 0) assert.equal(block.txHashes.length, attests.length);
    }

    const dag = await result<DagJson>("mass_getDag", [String(MAX_DAG_ROUNDS)]);
    assert.deepEqual(
      [dag.fromRound, dag.toRound, dag.highestRound, dag.gcRound, dag.lastCommittedRound],
      ["1", String(ROUNDS), String(ROUNDS), "0", "6"],
    );
    assert.equal(dag.certificates.length, 4 * ROUNDS);
    for (const c of dag.certificates) {
      const round = Number(c.round);
      assert.equal(c.digest, toHex(digests[round]![c.author]!));
      assert.deepEqual(c.parents, round === 1 ? [] : digests[round - 1]!.map(toHex));
      assert.equal(
        c.leader,
        round % 2 === 0 && committee.leader(round) === c.author,
        `leader flag of ${c.round}/${c.author}`,
      );
      assert.equal(
        c.committedLeader,
        leaders.some((l) => toHex(l) === c.digest),
      );
      const index = orderedBy.get(c.digest);
      assert.equal(c.commitIndex, index === undefined ? null : String(index));
      assert.equal(c.committed, index !== undefined);
    }
    // Ascending by round, then author.
    assert.deepEqual(
      dag.certificates.map((c) => [Number(c.round), c.author]),
      [...dag.certificates.map((c) => [Number(c.round), c.author])].sort(
        (a, b) => a[0]! - b[0]! || a[1]! - b[1]!,
      ),
    );
    assert.deepEqual(
      dag.commits.map((c) => [c.index, c.leaderRound, c.leader, c.certificates, c.height]),
      [
        ["0", "2", toHex(leaders[0]!), 5, "1"],
        ["1", "4", toHex(leaders[1]!), 8, "2"],
        ["2", "6", toHex(leaders[2]!), 8, "3"],
      ],
    );
  });

  it("returns the last `rounds` rounds only, by position or by name", async () => {
    const dag = await result<DagJson>("mass_getDag", [3]);
    assert.deepEqual([dag.fromRound, dag.toRound], ["6", "8"]);
    assert.equal(dag.certificates.length, 12);
    assert.deepEqual(
      dag.commits.map((c) => c.index),
      ["2"],
    );
    // Round 6's non-leaders and everything later are not ordered yet.
    assert.deepEqual(
      dag.certificates.filter((c) => c.committed).map((c) => c.digest),
      [toHex(leaders[2]!)],
    );
    const named = await result<DagJson>("mass_getDag", { rounds: "3" });
    assert.deepEqual(named, dag);
    const defaults = await result<DagJson>("mass_getDag", []);
    assert.deepEqual([defaults.fromRound, defaults.certificates.length], ["1", 4 * ROUNDS]);
  });

  it("starts above the store's gc round once it pruned", async () => {
    await new LevelConsensusStore(db).write({ gcRound: 3 });
    const dag = await result<DagJson>("mass_getDag", [MAX_DAG_ROUNDS]);
    assert.deepEqual([dag.fromRound, dag.gcRound], ["4", "3"]);
    assert.equal(dag.certificates.length, 4 * (ROUNDS - 3));
    // Commit 0 (leader round 2) was pruned; round 4's leader still knows the commit that ordered it.
    assert.deepEqual(
      dag.commits.map((c) => c.index),
      ["1", "2"],
    );
    const leader4 = dag.certificates.find((c) => c.digest === toHex(leaders[1]!));
    assert.deepEqual([leader4?.commitIndex, leader4?.committedLeader], ["1", true]);
  });

  it("refuses rounds outside 1..MAX_DAG_ROUNDS as invalid params", async () => {
    for (const bad of [
      [0],
      ["0"],
      [MAX_DAG_ROUNDS + 1],
      [-1],
      [1.5],
      ["x"],
      [true],
      [{}],
      [[]],
      { rounds: "" },
    ]) {
      assert.equal(await errorCode("mass_getDag", bad), RpcErrorCode.InvalidParams, JSON.stringify(bad));
    }
  });

  it("pages a harbor's tensor cells in key order, with the state a transaction reads at the head's time", async () => {
    const all: TensorCellJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: TensorCellJson[]; nextCursor: string | null; hasNextPage: boolean; now: string } =
        await result("mass_listTensorCells", ["pk-sifc", cursor, 7]);
      assert.ok(page.data.length <= 7);
      assert.equal(page.hasNextPage, page.nextCursor !== null);
      assert.equal(page.now, String(GENESIS_TIME + 3_000), "the head block's time");
      all.push(...page.data);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 1_000);
    const keys = all.map((c) => `${c.subject}/${String(c.domainIndex).padStart(2, "0")}`);
    assert.equal(new Set(keys).size, keys.length, "no cell twice");
    assert.deepEqual(keys, [...keys].sort(), "in key order");
    // Genesis attests every funded account for every domain in every harbor.
    const subjects = new Set(all.map((c) => c.subject));
    assert.equal(all.length, (subjects.size - 1) * DOMAIN_COUNT + expiries.length);
    const whole = await result<{ data: TensorCellJson[]; hasNextPage: boolean }>("mass_listTensorCells", {
      harbor: "pk-sifc",
      limit: MAX_TENSOR_PAGE,
    });
    assert.deepEqual([whole.data, whole.hasNextPage], [all, false]);

    const mine = all.filter((c) => c.subject === toHex(subject));
    assert.deepEqual(
      mine.map((c) => [c.domain, c.jurisdiction, c.state, c.effectiveState, c.expired, c.expiresAt]),
      [
        ["aml", "PAK", "COMPLIANT", "COMPLIANT", false, "0"],
        ["kyc", "PAK", "COMPLIANT", "EXPIRED", true, "1"],
        ["sanctions", "PAK", "COMPLIANT", "EXPIRED", true, String(GENESIS_TIME + 1_500)],
      ],
    );
    assert.deepEqual(
      [mine[0]!.stateCode, mine[0]!.attester, mine[0]!.evaluatedAt, mine[0]!.attestationRef],
      [
        ComplianceState.COMPLIANT,
        toHex(attester.publicKey),
        String(GENESIS_TIME + 1_000),
        toHex(new Uint8Array(32).fill(1)),
      ],
    );
  });

  it("starts a tensor page at any cursor, and past the last cell gives an empty last page", async () => {
    const first = await result<{ data: TensorCellJson[]; nextCursor: string }>("mass_listTensorCells", [
      "pk-sifc",
      null,
      2,
    ]);
    const second = await result<{ data: TensorCellJson[] }>("mass_listTensorCells", [
      "pk-sifc",
      first.nextCursor,
      2,
    ]);
    assert.notDeepEqual(second.data[0], first.data[0]);
    // A prefix is a cursor too: the subject's first cell.
    const prefix = `0x04${toHex(subject).slice(2)}`;
    const fromSubject = await result<{ data: TensorCellJson[] }>("mass_listTensorCells", [
      "pk-sifc",
      prefix,
      1,
    ]);
    assert.deepEqual(
      fromSubject.data.map((c) => [c.subject, c.domain]),
      [[toHex(subject), "aml"]],
    );
    const end = await result<{ data: unknown[]; nextCursor: null; hasNextPage: boolean }>(
      "mass_listTensorCells",
      ["pk-sifc", `0x${"ff".repeat(42)}`],
    );
    assert.deepEqual([end.data, end.nextCursor, end.hasNextPage], [[], null, false]);
  });

  it("refuses bad tensor parameters as invalid params, and a diverged node's state as not ready", async () => {
    for (const bad of [
      [],
      [""],
      ["no-such-harbor"],
      [42],
      ["pk-sifc", "zz"],
      ["pk-sifc", "0x0"],
      ["pk-sifc", 7],
      ["pk-sifc", `0x${"00".repeat(43)}`],
      ["pk-sifc", null, 0],
      ["pk-sifc", null, MAX_TENSOR_PAGE + 1],
      ["pk-sifc", null, "ten"],
      { harbor: "pk-sifc", limit: -1 },
    ]) {
      assert.equal(
        await errorCode("mass_listTensorCells", bad),
        RpcErrorCode.InvalidParams,
        JSON.stringify(bad),
      );
    }
    status = "diverged";
    try {
      assert.equal(await errorCode("mass_listTensorCells", ["pk-sifc"]), RpcErrorCode.NotReady);
      // The DAG is consensus data, not state: still served.
      await result("mass_getDag", [2]);
    } finally {
      status = "ok";
    }
  });

  it("finds a block by its hash as mass_getBlockByHeight answers it", async () => {
    const stored = await chain.store.blockByHeight(2);
    const hash = toHex(blockHash(stored!.header));
    const block = await result<{ hash: string; header: { height: string }; transactions: string[] }>(
      "mass_getBlockByHash",
      [hash],
    );
    assert.deepEqual([block.hash, block.header.height, block.transactions], [hash, "2", []]);
    assert.equal(await errorCode("mass_getBlockByHash", [toHex(new Uint8Array(32))]), RpcErrorCode.NotFound);
    for (const bad of [[], ["0x12"], [12], [null], { hash: "zz" }])
      assert.equal(
        await errorCode("mass_getBlockByHash", bad),
        RpcErrorCode.InvalidParams,
        JSON.stringify(bad),
      );
  });

  it("never answers an internal error, whatever the params", async () => {
    const junk: unknown[] = [
      undefined,
      [],
      {},
      [null],
      [null, null, null],
      [{}],
      [[]],
      [""],
      ["x", "y", "z"],
      [-1],
      [1e300],
      [Number.NaN],
      [true],
      ["pk-sifc", {}, []],
      ["pk-sifc", "0x", "1"],
      { rounds: null },
      { harbor: ["pk-sifc"] },
      { hash: {} },
      { __proto__: null },
      [`0x${"ab".repeat(5_000)}`],
      ["9".repeat(400)],
    ];
    for (const method of ["mass_getDag", "mass_listTensorCells", "mass_getBlockByHash"]) {
      for (const params of junk) {
        const answer = await call(method, params);
        assert.notEqual(
          answer.error?.code,
          RpcErrorCode.InternalError,
          `${method} ${JSON.stringify(params)}`,
        );
      }
    }
    assert.deepEqual(internalErrors, []);
  });
});
