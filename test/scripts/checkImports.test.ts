import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/tempDir.js";

/** dist/test/scripts → the repository's scripts/check-imports.mjs. */
const CHECKER = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "scripts",
  "check-imports.mjs",
);

/** Runs the import check on a src/ tree made of `files` (path → source). */
function check(files: Record<string, string>): { code: number | null; output: string } {
  const src = join(tempDir(), "src");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  const r = spawnSync(process.execPath, [CHECKER, src], { encoding: "utf8" });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe("the import-boundary check", () => {
  it("passes imports that go down the floors or stay in a folder", () => {
    const r = check({
      "chain/chain.ts": 'import { Vm } from "../vm/index.js";\nimport { x } from "./other.js";\n',
      "chain/other.ts": "export const x = 1;\n",
      "vm/index.ts": 'import type { Bytes } from "../types/index.js";\nexport class Vm {}\n',
      "types/index.ts": "export type Bytes = Uint8Array;\n",
      "index.ts": 'export * from "./chain/chain.js";\n',
    });
    assert.equal(r.code, 0, r.output);
  });

  it("fails on an upward import, naming the file and both folders", () => {
    const r = check({
      "chain/chain.ts": 'import { metrics } from "../node/metrics.js";\n',
      "node/metrics.ts": "export const metrics = {};\n",
    });
    assert.equal(r.code, 1);
    assert.match(
      r.output,
      /src\/chain\/chain\.ts imports "\.\.\/node\/metrics\.js": src\/node is above src\/chain/,
    );
  });

  it("fails on a type-only or dynamic upward import too", () => {
    for (const line of ['import type { A } from "../rpc/a.js";', 'const a = await import("../rpc/a.js");']) {
      const r = check({ "vm/x.ts": `${line}\n`, "rpc/a.ts": "export type A = 1;\n" });
      assert.equal(r.code, 1, line);
    }
  });

  it("fails on folders of one floor importing each other, and on a folder on no floor", () => {
    const cycle = check({
      "chain/a.ts": 'import { b } from "../pool/b.js";\nexport const a = 1;\n',
      "pool/b.ts": 'import { a } from "../chain/a.js";\nexport const b = 2;\n',
    });
    assert.equal(cycle.code, 1);
    assert.match(cycle.output, /src\/chain and src\/pool import each other/);
    const triangle = check({
      "vm/a.ts": 'import { b } from "../consensus/b.js";\nexport const a = 1;\n',
      "consensus/b.ts": 'import { c } from "../sharding/c.js";\nexport const b = 2;\n',
      "sharding/c.ts": 'import { a } from "../vm/a.js";\nexport const c = 3;\n',
    });
    assert.equal(triangle.code, 1);
    assert.match(triangle.output, /import in a cycle/);
    const stray = check({ "stray/x.ts": "export const x = 1;\n" });
    assert.equal(stray.code, 1);
    assert.match(stray.output, /src\/stray is on no floor/);
  });

  it("keeps src/client to types, crypto and util, without Node-only packages", () => {
    const node = check({ "client/a.ts": 'import { readFileSync } from "node:fs";\n' });
    assert.equal(node.code, 1);
    assert.match(node.output, /src\/client must not use Node-only packages/);
    const vm = check({
      "client/a.ts": 'import { x } from "../vm/x.js";\n',
      "vm/x.ts": "export const x = 1;\n",
    });
    assert.equal(vm.code, 1);
    assert.match(vm.output, /src\/client may import only/);
  });
});
