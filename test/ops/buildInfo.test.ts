import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { buildInfo, gitCommit, packageRoot } from "../../src/node/buildInfo.js";
import { tempDir } from "../helpers/tempDir.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

/** A package folder with a .git directory holding `files` (path → content). */
function checkout(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe("build info", () => {
  it("reads the version from package.json and is read once", () => {
    const root = packageRoot();
    assert.ok(root !== undefined, "the package root is found above the compiled module");
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const info = buildInfo();
    assert.equal(info.version, version);
    assert.match(info.commit, /^([0-9a-f]{40}|[0-9a-f]{64}|unknown)$/);
    assert.equal(buildInfo(), info, "cached");
  });

  it("follows HEAD to a loose ref, to packed-refs, or takes a detached commit", () => {
    assert.equal(
      gitCommit(checkout({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": `${A}\n` })),
      A,
    );
    assert.equal(
      gitCommit(
        checkout({
          ".git/HEAD": "ref: refs/heads/main\n",
          ".git/packed-refs": `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/other\n${A} refs/heads/main\n`,
        }),
      ),
      A,
    );
    assert.equal(gitCommit(checkout({ ".git/HEAD": `${B}\n` })), B);
  });

  it("reads a worktree's .git file and its common directory", () => {
    const main = checkout({ ".git/refs/heads/feature": `${B}\n` });
    const worktree = join(main, ".git", "worktrees", "wt");
    mkdirSync(worktree, { recursive: true });
    writeFileSync(join(worktree, "HEAD"), "ref: refs/heads/feature\n");
    writeFileSync(join(worktree, "commondir"), "../..\n");
    const root = checkout({ ".git": `gitdir: ${worktree}\n` });
    assert.equal(gitCommit(root), B);
  });

  it("is unknown without .git (an installed tarball) or with a broken one", () => {
    assert.equal(gitCommit(tempDir()), "unknown");
    assert.equal(gitCommit(checkout({ ".git/HEAD": "ref: refs/heads/missing\n" })), "unknown");
    assert.equal(gitCommit(checkout({ ".git/HEAD": "garbage\n" })), "unknown");
    assert.equal(gitCommit(checkout({ ".git": "not a pointer\n" })), "unknown");
    assert.equal(packageRoot(checkout({ "package.json": '{"name":"something-else"}' })), undefined);
  });

  it("finds the package root from a folder below it", () => {
    const root = checkout({ "package.json": '{"name":"mass-l1","version":"9.9.9"}', "dist/src/node/x": "" });
    assert.equal(packageRoot(join(root, "dist", "src", "node")), root);
    assert.equal(packageRoot(fileURLToPath(new URL(".", import.meta.url))), packageRoot());
  });
});
