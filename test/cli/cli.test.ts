import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_CORRIDOR_PARAMS,
  DEVNET_PARAMS,
  harborKeyPath,
  MAX_EXTRA_ACCOUNTS,
} from "../../src/node/devnetHome.js";
import { loadGenesis } from "../../src/node/genesis.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { CorridorState } from "../../src/types/corridor.js";
import { asciiString } from "../../src/types/primitives.js";
import { toHex } from "../../src/util/bytes.js";
import { tempDir } from "../helpers/tempDir.js";

const BIN = fileURLToPath(new URL("../../../bin/mass.js", import.meta.url));
/** A CLI call that hangs is a failure, not a stuck CI run. */
const CLI_TIMEOUT_MS = 30_000;

function mass(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: CLI_TIMEOUT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("mass CLI", () => {
  it("keygen writes a key file readable only by its owner and prints the public key", () => {
    const out = join(tempDir(), "v.json");
    const r = mass("keygen", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    const key = readKeyFile(out);
    assert.equal(r.stdout.trim(), toHex(key.publicKey));
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const again = mass("keygen", "--out", out);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it("init creates a devnet home with genesis, harbors and one key per validator", () => {
    const dir = join(tempDir(), "home");
    const r = mass("init", "--validators", "4", "--dir", dir);
    assert.equal(r.code, 0, r.stderr);
    const genesis = loadGenesis(join(dir, "genesis.json"));
    assert.equal(genesis.committee.validators.length, 4);
    assert.deepEqual(
      genesis.harbors.map((h) => asciiString(h.id)),
      ["pk-sifc", "ae-difc", "kz-aifc"],
    );
    for (let i = 0; i < 4; i++) {
      const key = readKeyFile(join(dir, "keys", `validator-${i}.json`));
      assert.deepEqual(key.publicKey, genesis.committee.validators[i]!.publicKey);
    }
    assert.ok(existsSync(join(dir, "keys", "faucet.json")));
    for (const h of genesis.harbors) {
      const id = asciiString(h.id);
      const path = harborKeyPath(dir, id);
      assert.equal(path, join(dir, "keys", `harbor-${id}.json`));
      assert.equal(statSync(path).mode & 0o777, 0o600, `${path} is readable by its owner only`);
      assert.deepEqual(readKeyFile(path).publicKey, h.authority, `the authority of ${id} in genesis`);
    }
    assert.equal(new Set(genesis.harbors.map((h) => toHex(h.authority))).size, 3, "a fresh key per harbor");
    assert.deepEqual(
      genesis.corridors.map((c) => `${asciiString(c.harborA)}~${asciiString(c.harborB)}`),
      ["ae-difc~kz-aifc", "ae-difc~pk-sifc", "kz-aifc~pk-sifc"],
    );
    for (const c of genesis.corridors) {
      assert.equal(c.state, CorridorState.Active);
      assert.deepEqual(c.params, DEFAULT_CORRIDOR_PARAMS);
    }
    assert.match(r.stdout, /harbor +\S+harbor-pk-sifc\.json \(authority of pk-sifc\)/);
    assert.match(r.stdout, /corridor +ae-difc~pk-sifc \(ACTIVE\)/);
    assert.equal(genesis.params.gcDepth, DEVNET_PARAMS.gcDepth, "the devnet default");
    const small = join(tempDir(), "home");
    assert.equal(mass("init", "--dir", small, "--gc-depth", "16").code, 0);
    assert.equal(loadGenesis(join(small, "genesis.json")).params.gcDepth, 16);
  });

  it("bad arguments get one clear line and a non-zero exit, never a stack trace", () => {
    const dir = join(tempDir(), "home");
    for (const args of [
      ["init", "--validators", "0", "--dir", dir],
      ["init", "--validators", "four", "--dir", dir],
      ["init", "--validators", "4"],
      ["init", "--dir", dir, "--gc-depth", "1"],
      ["init", "--dir", dir, "--accounts", String(MAX_EXTRA_ACCOUNTS + 1)],
      ["start", "--home", dir, "--execution-threads", "0"],
      ["start", "--home", dir, "--execution-threads", "many"],
      ["start", "--home", dir, "--rpc-cors", "https://app.example/path"],
      ["start", "--home", dir, "--rpc-cors", "not an origin"],
      ["no-such-command"],
    ]) {
      const r = mass(...args);
      assert.notEqual(r.code, 0, args.join(" "));
      assert.match(r.stderr, /error: /, args.join(" "));
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${args.join(" ")} printed a stack trace`);
    }
  });

  it("reports a corrupt genesis clearly", () => {
    const dir = join(tempDir(), "home");
    assert.equal(mass("init", "--dir", dir).code, 0);
    const path = join(dir, "genesis.json");
    const genesis = JSON.parse(readFileSync(path, "utf8"));
    const pristine = JSON.parse(readFileSync(path, "utf8"));
    genesis.committee.validators[1].publicKey = genesis.committee.validators[0].publicKey;
    writeFileSync(path, JSON.stringify(genesis));
    assert.throws(() => loadGenesis(path), /repeats the public key/);
    for (const [field, value, message] of [
      ["maxBlockBytes", "1024", /params.maxBlockBytes must be from 262144 to 16777216, got 1024/],
      ["maxBlockGas", "5", /params.maxBlockGas must hold the largest transaction/],
    ] as const) {
      writeFileSync(path, JSON.stringify({ ...pristine, params: { ...pristine.params, [field]: value } }));
      assert.throws(() => loadGenesis(path), message);
    }
    const corridor = (i: number, change: Record<string, unknown>) => ({
      ...pristine,
      corridors: pristine.corridors.map((c: Record<string, unknown>, j: number) =>
        j === i ? { ...c, ...change } : c,
      ),
    });
    const params = (change: Record<string, string>) => ({
      params: { ...pristine.corridors[0].params, ...change },
    });
    const harbors = pristine.harbors.map((h: Record<string, unknown>) => ({
      ...h,
      authority: `0x${"00".repeat(32)}`,
    }));
    for (const [changed, message] of [
      [
        corridor(0, { harborB: "us-nyc" }),
        /genesis \S+: corridor ae-difc~us-nyc names unknown harbor us-nyc/,
      ],
      [
        corridor(0, { harborA: "kz-aifc", harborB: "ae-difc" }),
        /corridor kz-aifc~ae-difc: harborA must sort before harborB/,
      ],
      [corridor(0, { harborB: "ae-difc" }), /corridor ae-difc~ae-difc: harborA must sort before harborB/],
      [corridor(1, { harborB: "kz-aifc" }), /corridor ae-difc~kz-aifc is declared twice/],
      [
        corridor(2, { state: "6" }),
        /corridor kz-aifc~pk-sifc has state 6, not a corridor state \(0 DRAFT, .*5 DEPRECATED\)/,
      ],
      [
        corridor(0, params({ timeoutBlocks: "0" })),
        /corridor ae-difc~kz-aifc: params.timeoutBlocks must be at least 1 block/,
      ],
      [
        corridor(0, params({ maxDeliveriesPerBlock: "0" })),
        /corridor ae-difc~kz-aifc: params.maxDeliveriesPerBlock must be at least 1/,
      ],
      [
        corridor(0, params({ maxInFlight: "0" })),
        /corridor ae-difc~kz-aifc: params.maxInFlight must be more than 0/,
      ],
      [{ ...pristine, harbors }, /harbor pk-sifc has an all-zero authority key/],
    ] as const) {
      writeFileSync(path, JSON.stringify(changed));
      assert.throws(() => loadGenesis(path), message);
    }
    const sharedAuthority = pristine.harbors.map((h: Record<string, unknown>) => ({
      ...h,
      authority: pristine.committee.validators[0].publicKey,
    }));
    writeFileSync(path, JSON.stringify({ ...pristine, harbors: sharedAuthority }));
    assert.equal(
      loadGenesis(path).harbors.length,
      3,
      "an authority may share a key with a validator or another harbor",
    );
    writeFileSync(path, JSON.stringify({ ...pristine, corridors: [] }));
    assert.equal(loadGenesis(path).corridors.length, 0, "a genesis without corridors is valid");
    const { corridors: _c, ...noCorridors } = pristine;
    writeFileSync(path, JSON.stringify(noCorridors));
    assert.throws(() => loadGenesis(path), /older genesis format: make a new one with `mass init --force/);
    const { maxBlockBytes: _, ...older } = pristine.params;
    writeFileSync(path, JSON.stringify({ ...pristine, params: older }));
    assert.throws(() => loadGenesis(path), /older genesis format: make a new one with `mass init --force/);
    writeFileSync(path, JSON.stringify({ ...pristine, params: { ...pristine.params, executionThreads: 2 } }));
    assert.throws(
      () => loadGenesis(path),
      /executionThreads is no longer part of genesis.*--execution-threads/,
    );
    writeFileSync(path, "{");
    assert.throws(() => loadGenesis(path), /not valid JSON/);
    assert.throws(() => loadGenesis(join(dir, "nope.json")), /does not exist/);
  });
});
