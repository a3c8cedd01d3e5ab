import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { derivePublicKey, signTransaction, TRANSFER_GAS_LIMIT, transferTx } from "../../src/client/index.js";
import { toHex } from "../../src/util/bytes.js";

// The package as a consumer gets it: `npm pack` of the built checkout, installed into a fresh project
// from the npm cache, then imported, run as `npx mass`, and bundled for the browser.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
/** `npm pack` and `npm install` from the cache take a few seconds each; a hang is a failure. */
const NPM_TIMEOUT_MS = 60_000;
/** A child node process or npx call. */
const CHILD_TIMEOUT_MS = 20_000;

/** The environment without the npm_* variables `npm test` sets, so the child npm sees no parent project. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) || /^npm_config_cache$/i.test(k)) env[k] = v;
  }
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeout = CHILD_TIMEOUT_MS): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: childEnv() });
}

const tail = (r: SpawnSyncReturns<string>) =>
  `${r.error ? `${r.error.message}\n` : ""}${(r.stderr ?? "").split("\n").slice(-15).join("\n")}`;

describe("the packed package", { timeout: 180_000 }, () => {
  let files: string[] = [];
  // Made and removed here: test/helpers/tempDir's `after` would run at the end of the `before` hook.
  const work = mkdtempSync(join(tmpdir(), "mass-pack-"));
  after(() => rmSync(work, { recursive: true, force: true }));
  const packDir = join(work, "pack");
  const project = join(work, "consumer");

  before(() => {
    for (const dir of [packDir, project]) mkdirSync(dir);
    // The build already ran (`npm test` builds first); --ignore-scripts skips `prepare`, a second tsc.
    const pack = run(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir],
      ROOT,
      NPM_TIMEOUT_MS,
    );
    assert.equal(pack.status, 0, `npm pack failed:\n${tail(pack)}`);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(info !== undefined, "npm pack printed no package");
    files = info.files.map((f) => f.path);
    const tarball = join(packDir, info.filename);

    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", version: "0.0.0", private: true, type: "module" }),
    );
    // This machine may have no network: dependencies come from the npm cache (--offline), falling
    // back to --prefer-offline where the cache lacks something and a registry is reachable.
    const install = (mode: string) =>
      run(
        "npm",
        ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", mode, tarball],
        project,
        NPM_TIMEOUT_MS,
      );
    let installed = install("--offline");
    if (installed.status !== 0) installed = install("--prefer-offline");
    assert.equal(
      installed.status,
      0,
      `could not install the packed tarball into a fresh project, neither from the npm cache ` +
        `(--offline) nor with --prefer-offline (no network here?):\n${tail(installed)}`,
    );
  });

  it("ships the built sources, bin, rule packs and license, and no tests, benches or source maps", () => {
    for (const f of [
      "package.json",
      "LICENSE",
      "README.md",
      "bin/mass.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/src/client/index.js",
      "dist/src/client/index.d.ts",
      "dist/src/cli/main.js",
      "dist/src/vm/executor/worker.cjs",
      "dist/src/crypto/verifyWorker.cjs",
      "genesis/rulepacks/pk-sifc.json",
    ]) {
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    }
    assert.ok(
      files.some((f) => f.startsWith("dist/src/explorer/web/")),
      "the explorer's web modules are not in the tarball",
    );
    const unwanted = files.filter((f) =>
      /^(dist\/(test|bench)\/|src\/|test\/|bench\/)|\.map$|tsbuildinfo/.test(f),
    );
    assert.deepEqual(unwanted, []);
  });

  it("imports as mass-l1 and mass-l1/client in Node", () => {
    const script = `
      const main = await import("mass-l1");
      const client = await import("mass-l1/client");
      await import("libp2p");
      console.log(JSON.stringify({ main: Object.keys(main), client: Object.keys(client) }));`;
    const r = run(process.execPath, ["--input-type=module", "-e", script], project);
    assert.equal(r.status, 0, tail(r));
    const names = JSON.parse(r.stdout) as { main: string[]; client: string[] };
    for (const name of [
      "buildTransaction",
      "signTransaction",
      "transferTx",
      "derivePublicKey",
      "TxBuildError",
    ]) {
      assert.ok(names.client.includes(name), `mass-l1/client has no ${name}`);
      assert.ok(names.main.includes(name), `mass-l1 has no ${name}`);
    }
    for (const name of ["consensus", "toHex", "fromHex", "MassError"]) {
      assert.ok(names.main.includes(name), `mass-l1 has no ${name}`);
    }
  });

  it("runs `npx mass --version`", () => {
    const r = run("npx", ["--no", "--", "mass", "--version"], project);
    assert.equal(r.status, 0, tail(r));
    assert.equal(r.stdout.trim(), PKG.version);
  });

  it("reports which p-retry libp2p gets (package.json overrides do not reach consumers)", (t) => {
    // libp2p's own nested copy if npm could not hoist one that satisfies it, else the hoisted one.
    const nested = join(project, "node_modules", "libp2p", "node_modules", "p-retry", "package.json");
    const hoisted = join(project, "node_modules", "p-retry", "package.json");
    const path = existsSync(nested) ? nested : hoisted;
    const { version, engines } = JSON.parse(readFileSync(path, "utf8")) as {
      version: string;
      engines?: unknown;
    };
    assert.ok(version !== undefined);
    t.diagnostic(`libp2p gets p-retry ${version} (engines ${JSON.stringify(engines)}) from ${path}`);
  });

  it("bundles mass-l1/client for the browser, with no Node builtins, and signs there as in Node", async () => {
    const result = await build({
      stdin: { contents: 'export * from "mass-l1/client";', resolveDir: project, loader: "js" },
      absWorkingDir: project,
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "massClient",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    const nodeOnly = inputs.filter((p) =>
      /classic-level|piscina|libp2p|hashtree|prom-client|mass-l1\/dist\/src\/(crypto\/hash|util\/hexCodec)\.js/.test(
        p,
      ),
    );
    assert.deepEqual(nodeOnly, []);
    const code = result.outputFiles[0]?.text ?? "";
    assert.ok(code.length > 0);

    // A browser-like realm: no process, no require; only web globals. And Buffer: @chainsafe/ssz 1.9
    // itself uses a global Buffer (its list types' length mix-in), so a browser app must provide one
    // (e.g. the `buffer` package); mass-l1's own client code does not (scripts/check-imports.mjs).
    const secret = new Uint8Array(32).fill(0x42);
    const inRealm = runInNewContext(
      `${code}
      ;(() => {
        const c = massClient;
        const secret = new Uint8Array(32).fill(0x42);
        const sender = c.derivePublicKey(secret);
        const body = c.transferTx(
          { chainId: "mass-devnet", harbor: "pk-sifc", sender, nonce: 7, gasLimit: c.TRANSFER_GAS_LIMIT, fee: 10n },
          { to: sender, amount: 1000n },
        );
        const signed = c.signTransaction(body, secret);
        const hex = (b) => "0x" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
        return JSON.stringify({ bytes: hex(signed.bytes), hash: hex(signed.hash) });
      })()`,
      { TextEncoder, TextDecoder, crypto: globalThis.crypto, console, Buffer },
      { timeout: CHILD_TIMEOUT_MS },
    ) as string;
    const sender = derivePublicKey(secret);
    const signed = signTransaction(
      transferTx(
        {
          chainId: "mass-devnet",
          harbor: "pk-sifc",
          sender,
          nonce: 7,
          gasLimit: TRANSFER_GAS_LIMIT,
          fee: 10n,
        },
        { to: sender, amount: 1000n },
      ),
      secret,
    );
    assert.deepEqual(JSON.parse(inRealm), { bytes: toHex(signed.bytes), hash: toHex(signed.hash) });
  });
});
