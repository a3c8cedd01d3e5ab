// Fails on an import that goes up a floor of the architecture (../shared/ARCHITECTURE.md, "Import
// direction"), or on folders of one floor importing each other in a cycle. Run by `npm test`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Bottom to top. A folder may import from its own floor (without a cycle) and from floors below. */
const FLOORS = [
  ["util", "metrics"],
  ["types", "crypto"],
  ["state", "compliance"],
  ["vm", "consensus", "sharding", "client"],
  ["chain", "network", "pool"],
  ["finality", "sync"],
  // explorer: the page every validator serves beside JSON-RPC (its routes use rpc's GetRoute).
  ["rpc", "explorer"],
  ["node"],
  ["cli"],
];
const TOP = FLOORS.length;
/**
 * Folders held to less than their floor allows: the only folders they may import, and no Node-only
 * package (src/client runs in a browser).
 */
const ONLY = { client: ["types", "crypto", "util"] };
const NODE_ONLY = /^(node:|classic-level$|piscina$|prom-client$|libp2p$|@libp2p\/)/;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = process.argv[2] ?? join(root, "src");
const floorOf = new Map(FLOORS.flatMap((folders, floor) => folders.map((f) => [f, floor])));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.c?ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** `src/<folder>/…` → folder; a file directly in src/ (the package entry) is above every floor. */
function folderOf(file) {
  const parts = relative(srcDir, file).split(sep);
  return parts.length === 1 ? "" : parts[0];
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;
const ANY_IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;
const problems = [];
const edges = new Map();
for (const file of sourceFiles(srcDir)) {
  const from = folderOf(file);
  const fromFloor = from === "" ? TOP : floorOf.get(from);
  if (fromFloor === undefined) {
    problems.push(
      `${relative(root, file)}: folder src/${from} is on no floor; add it to FLOORS in scripts/check-imports.mjs`,
    );
    continue;
  }
  const text = readFileSync(file, "utf8");
  if (ONLY[from] !== undefined) {
    for (const m of text.matchAll(ANY_IMPORT)) {
      const spec = m[1] ?? m[2];
      if (NODE_ONLY.test(spec))
        problems.push(
          `${relative(root, file)} imports "${spec}": src/${from} must not use Node-only packages`,
        );
    }
  }
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = normalize(join(dirname(file), spec));
    if (relative(srcDir, target).startsWith("..")) continue;
    const to = folderOf(target);
    if (to === from) continue;
    if (ONLY[from] !== undefined && !ONLY[from].includes(to)) {
      problems.push(
        `${relative(root, file)} imports "${spec}": src/${from} may import only ${ONLY[from].map((f) => `src/${f}`).join(", ")}`,
      );
      continue;
    }
    const toFloor = to === "" ? TOP : floorOf.get(to);
    if (toFloor === undefined || toFloor > fromFloor) {
      problems.push(`${relative(root, file)} imports "${spec}": src/${to} is above src/${from}`);
      continue;
    }
    if (toFloor === fromFloor) {
      const key = `${from}>${to}`;
      if (!edges.has(key)) edges.set(key, relative(root, file));
    }
  }
}
/** Same-floor imports must not close a cycle: reported once per cycle, with a file for each step. */
const next = new Map();
for (const key of edges.keys()) {
  const [from, to] = key.split(">");
  next.set(from, [...(next.get(from) ?? []), to]);
}
const reported = new Set();
function findCycles(path) {
  for (const to of next.get(path.at(-1)) ?? []) {
    const start = path.indexOf(to);
    if (start >= 0) {
      const cycle = path.slice(start);
      const id = [...cycle].sort().join(",");
      if (reported.has(id)) continue;
      reported.add(id);
      const steps = cycle.map((f, i) => edges.get(`${f}>${cycle[(i + 1) % cycle.length]}`));
      const names = cycle.map((f) => `src/${f}`);
      const what =
        cycle.length === 2
          ? `${names.join(" and ")} import each other`
          : `${names.join(" → ")} → ${names[0]} import in a cycle`;
      problems.push(`${what} (${steps.join(", ")})`);
    } else findCycles([...path, to]);
  }
}
for (const folder of next.keys()) findCycles([folder]);
problems.push(...browserProblems());
if (problems.length > 0) {
  console.error(
    `import boundaries: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`,
  );
  process.exit(1);
}
console.log("import boundaries: ok");

/**
 * What a browser bundle of `mass-l1/client` would load from src/: everything src/client/index.ts
 * reaches through relative imports, with package.json "browser" applied (it swaps a few Node-fast
 * modules for src/client/browser/*). None of it may import a Node builtin, a Node-only package or
 * the native hashtree hasher, nor use Node's global Buffer. test/package/pack.test.ts bundles the
 * packed package with esbuild for the browser, which checks the dependencies' side as well.
 */
function browserProblems() {
  const entry = join(srcDir, "client", "index.ts");
  if (!existsSync(entry)) return [];
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  /** dist/src/….js → src/….ts, so the map applies to the sources. */
  const toSource = (path) =>
    join(
      srcDir,
      normalize(path)
        .replace(/^dist[/\\]src[/\\]/, "")
        .replace(/\.js$/, ".ts")
        .replace(/\.cjs$/, ".cts"),
    );
  const browserMap = new Map();
  const found = [];
  for (const [from, to] of Object.entries(pkg.browser ?? {})) {
    if (!from.startsWith("./dist/src/") || typeof to !== "string" || !to.startsWith("./dist/src/")) continue;
    const target = toSource(to);
    if (!existsSync(target))
      found.push(
        `package.json "browser" maps ${from} to ${to}, whose source ${relative(root, target)} does not exist`,
      );
    browserMap.set(toSource(from), target);
  }
  const builtins = new Set(builtinModules);
  const forbidden = (spec) =>
    spec.startsWith("node:") ||
    builtins.has(spec.split("/")[0]) ||
    /^(classic-level|piscina|prom-client|libp2p|@libp2p\/|@chainsafe\/hashtree|@chainsafe\/persistent-merkle-tree\/hasher\/hashtree)/.test(
      spec,
    );
  const seen = new Set();
  const queue = [entry];
  const via = new Map([[entry, undefined]]);
  const chain = (file) => {
    const steps = [];
    for (let f = file; f !== undefined; f = via.get(f)) steps.unshift(relative(root, f));
    return steps.join(" → ");
  };
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) {
      found.push(`browser entry: ${chain(file)} does not exist`);
      continue;
    }
    const text = readFileSync(file, "utf8");
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    if (/\bBuffer\s*\./.test(code))
      found.push(`browser entry: ${chain(file)} uses Node's Buffer (map it in package.json "browser")`);
    for (const m of text.matchAll(ANY_IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith(".")) {
        if (forbidden(spec))
          found.push(`browser entry: ${chain(file)} imports "${spec}", which a browser does not have`);
        continue;
      }
      let target = normalize(join(dirname(file), spec))
        .replace(/\.js$/, ".ts")
        .replace(/\.cjs$/, ".cts");
      target = browserMap.get(target) ?? target;
      if (!via.has(target)) via.set(target, file);
      queue.push(target);
    }
  }
  return found;
}
