// Runs the compiled tests of one kind (unit, sim, e2e) or all of them, two files at a time.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Top folders of test/ by kind; every other folder holds unit tests. */
const KIND_FOLDERS = {
  sim: ["sim"],
  // package: `npm pack` and an install of the tarball, a few seconds of npm each.
  e2e: ["e2e", "chaos", "network", "cli", "package"],
};
const KINDS = ["unit", "sim", "e2e", "all"];
/** Two test files at once: this machine has 2 cores, and e2e tests run 4 or more nodes each. */
const CONCURRENCY = 2;
/** No single test file may run longer than this (the slowest e2e file takes about a minute). */
const FILE_TIMEOUT_MS = 300_000;

const kind = process.argv[2] ?? "all";
if (!KINDS.includes(kind)) {
  console.error(`unknown test kind "${kind}"; expected one of ${KINDS.join(", ")}`);
  process.exit(2);
}
const testDir = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "test");
if (!existsSync(testDir)) {
  console.error("dist/test does not exist: run `npm run build` first");
  process.exit(2);
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith(".test.js") ? [path] : [];
  });
}

const kindOf = (file) => {
  const top = relative(testDir, file).split(sep)[0];
  return Object.entries(KIND_FOLDERS).find(([, folders]) => folders.includes(top))?.[0] ?? "unit";
};
const files = testFiles(testDir)
  .filter((f) => kind === "all" || kindOf(f) === kind)
  .sort();
const result = spawnSync(
  process.execPath,
  ["--test", `--test-concurrency=${CONCURRENCY}`, `--test-timeout=${FILE_TIMEOUT_MS}`, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
