import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildInfo } from "../metrics/index.js";

/** The package whose build this is (package.json "name"). */
const PACKAGE_NAME = "mass-l1";
/** Folders above this module searched for the package's package.json: src/node or dist/src/node sit 2 or 3 deep. */
const MAX_PACKAGE_DEPTH = 5;
/** A commit id: SHA-1 (40 hex digits) or, in a SHA-256 repository, 64. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** HEAD of a checkout on a branch: `ref: refs/heads/main`. */
const SYMBOLIC_REF = /^ref: (refs\/\S+)$/;
/** Symbolic refs followed before giving up (a loop is a broken repository). */
const MAX_REF_HOPS = 5;

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** The root folder of this package: the nearest folder above `from` whose package.json names it. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let depth = 0; depth <= MAX_PACKAGE_DEPTH; depth++) {
    const text = readText(join(dir, "package.json"));
    if (text !== undefined) {
      try {
        if ((JSON.parse(text) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // Not valid JSON: not ours; keep looking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The git directory of a checkout at `root`: `.git` itself, or where a `.git` file points (a
 * worktree, a submodule), with the common directory holding its refs; undefined without git.
 */
function gitDirs(root: string): { gitDir: string; commonDir: string } | undefined {
  const dotGit = join(root, ".git");
  if (!existsSync(dotGit)) return undefined;
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const pointer = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? "");
    if (pointer === null) return undefined;
    gitDir = resolve(root, pointer[1]!.trim());
  }
  const common = readText(join(gitDir, "commondir"))?.trim();
  return { gitDir, commonDir: common === undefined ? gitDir : resolve(gitDir, common) };
}

/** A ref's commit: a loose ref file, else a line of packed-refs. */
function resolveRef(dirs: { gitDir: string; commonDir: string }, ref: string): string | undefined {
  for (const dir of [dirs.gitDir, dirs.commonDir]) {
    const loose = readText(join(dir, ref))?.trim();
    if (loose !== undefined) return loose;
  }
  for (const line of (readText(join(dirs.commonDir, "packed-refs")) ?? "").split("\n")) {
    const [commit, name] = line.trim().split(" ");
    if (name === ref) return commit;
  }
  return undefined;
}

/**
 * The commit checked out at `root`, read from its `.git` directly (no `git` process): HEAD, the
 * branch it names, loose or packed. "unknown" without a `.git` (an installed npm tarball) or
 * when anything in it is not as expected.
 */
export function gitCommit(root: string): string {
  try {
    const dirs = gitDirs(root);
    if (dirs === undefined) return "unknown";
    let value = readText(join(dirs.gitDir, "HEAD"))?.trim();
    for (let hop = 0; value !== undefined && hop < MAX_REF_HOPS; hop++) {
      if (COMMIT.test(value)) return value;
      const ref = SYMBOLIC_REF.exec(value);
      if (ref === null) return "unknown";
      value = resolveRef(dirs, ref[1]!);
    }
  } catch {
    // Unreadable: the build is unknown, which never stops a validator.
  }
  return "unknown";
}

let cached: BuildInfo | undefined;

/** This build's version (package.json) and commit (its checkout's `.git`); read once per process. */
export function buildInfo(): BuildInfo {
  if (cached !== undefined) return cached;
  const root = packageRoot();
  let version = "unknown";
  if (root !== undefined) {
    const parsed = JSON.parse(readText(join(root, "package.json"))!) as { version?: unknown };
    if (typeof parsed.version === "string") version = parsed.version;
  }
  cached = { version, commit: root === undefined ? "unknown" : gitCommit(root) };
  return cached;
}
