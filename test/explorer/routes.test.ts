import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EXPLORER_PATH, explorerAssets, explorerRoutes } from "../../src/explorer/index.js";
import { RpcServer } from "../../src/rpc/server.js";
import { tempDir } from "../helpers/tempDir.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes out exactly as given (fetch would normalise "..", "%2e%2e" stays anyway). */
function get(
  port: number,
  path: string,
  method = "GET",
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the explorer's static routes", () => {
  let server: RpcServer;
  let port = 0;
  const internalErrors: unknown[] = [];

  before(async () => {
    server = new RpcServer({
      host: "127.0.0.1",
      port: 0,
      methods: { mass_ping: () => "pong" },
      getRoutes: [
        { path: "/health", handle: (_req, res) => void res.writeHead(200).end("ok") },
        ...explorerRoutes(),
      ],
      onInternalError: (_m, err) => internalErrors.push(err),
    });
    port = (await server.start()).port;
  });
  after(async () => {
    await server.stop();
  });

  it("serves the page, its stylesheet and its modules with their content types and caching headers", async () => {
    for (const path of [EXPLORER_PATH, `${EXPLORER_PATH}index.html`]) {
      const page = await get(port, path);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
      assert.match(page.body, /<script type="module" src="app\.js"><\/script>/);
      assert.match(page.body, /<link rel="stylesheet" href="style\.css">/);
      assert.match(String(page.headers["content-security-policy"]), /script-src 'self'/);
      assert.equal(page.headers["cache-control"], "no-cache");
      assert.equal(page.headers["x-content-type-options"], "nosniff");
      assert.match(String(page.headers.etag), /^"[\w-]+"$/);
      assert.equal(Number(page.headers["content-length"]), Buffer.byteLength(page.body));
    }
    const css = await get(port, `${EXPLORER_PATH}style.css`);
    assert.deepEqual([css.status, css.headers["content-type"]], [200, "text/css; charset=utf-8"]);
    assert.match(css.body, /svg \.cert/);
    const app = await get(port, `${EXPLORER_PATH}app.js`);
    assert.deepEqual([app.status, app.headers["content-type"]], [200, "text/javascript; charset=utf-8"]);
    assert.equal(app.headers["cache-control"], "no-cache");
    assert.doesNotMatch(app.body, /sourceMappingURL/, "no reference to a map it does not serve");
  });

  it("serves every module the page imports, transitively, and only relative ES modules", async () => {
    const seen = new Set<string>();
    const queue = ["app.js"];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const reply = await get(port, `${EXPLORER_PATH}${name}`);
      assert.equal(reply.status, 200, `${name} is served`);
      for (const m of reply.body.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"/g)) {
        const spec = m[1]!;
        assert.match(
          spec,
          /^\.\/[a-zA-Z0-9]+\.js$/,
          `${name} imports "${spec}": the browser gets relative modules only`,
        );
        queue.push(spec.slice(2));
      }
      assert.doesNotMatch(
        reply.body,
        /\bimport\(|\brequire\(|["'`]node:/,
        `${name} uses no dynamic import, require or node:`,
      );
    }
    assert.ok(seen.size >= 8, `modules: ${[...seen].join(", ")}`);
  });

  it("revalidates with the ETag and answers HEAD without a body", async () => {
    const first = await get(port, `${EXPLORER_PATH}app.js`);
    const again = await get(port, `${EXPLORER_PATH}app.js`, "GET", {
      "if-none-match": String(first.headers.etag),
    });
    assert.deepEqual([again.status, again.body], [304, ""]);
    const stale = await get(port, `${EXPLORER_PATH}app.js`, "GET", { "if-none-match": '"other"' });
    assert.equal(stale.status, 200);
    const head = await get(port, `${EXPLORER_PATH}app.js`, "HEAD");
    assert.deepEqual(
      [head.status, head.body, head.headers["content-length"]],
      [200, "", first.headers["content-length"]],
    );
  });

  it("redirects /explorer to /explorer/, keeps the query out of the name", async () => {
    const redirect = await get(port, "/explorer");
    assert.deepEqual([redirect.status, redirect.headers.location], [308, EXPLORER_PATH]);
    const withQuery = await get(port, `${EXPLORER_PATH}app.js?v=1`);
    assert.equal(withQuery.status, 200);
  });

  it("answers 404 for unknown files and for every traversal attempt", async () => {
    const attempts = [
      "nope.js",
      "app.d.ts",
      "app.js.map",
      "routes.js",
      "index.js",
      "page.js",
      "web/app.js",
      "./app.js",
      "APP.JS",
      "app.js/",
      "app.js%00",
      "%61pp.js",
      "../package.json",
      "../../package.json",
      "../../../package.json",
      "%2e%2e/package.json",
      "%2E%2E/%2E%2E/package.json",
      "..%2fpackage.json",
      "%2e%2e%2f%2e%2e%2fpackage.json",
      "..%5c..%5cpackage.json",
      "..\\..\\package.json",
      "/etc/passwd",
      "%2fetc%2fpasswd",
      "....//....//package.json",
      "web/../../../../package.json",
      "constructor",
      "__proto__",
      "toString",
    ];
    for (const name of attempts) {
      const reply = await get(port, `${EXPLORER_PATH}${name}`);
      assert.equal(reply.status, 404, `${name}: ${reply.status}`);
      assert.equal(reply.body, "not found\n", name);
      assert.equal(reply.headers["content-type"], "text/plain; charset=utf-8");
    }
    // Outside the explorer's prefix the server's own 404 answers; JSON-RPC and other routes are untouched.
    assert.equal((await get(port, "/package.json")).status, 404);
    assert.equal((await get(port, "/explorerx/app.js")).status, 404);
    assert.equal((await get(port, "/health")).body, "ok");
    const rpc = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "mass_ping" }),
    });
    assert.deepEqual(await rpc.json(), { jsonrpc: "2.0", id: 1, result: "pong" });
    assert.deepEqual(internalErrors, []);
  });

  it("takes only plain module names from its directory", () => {
    const dir = join(tempDir(), "web");
    mkdirSync(dir);
    mkdirSync(join(dir, "sub.js"));
    for (const name of [
      "ok.js",
      "ok.js.map",
      "ok.d.ts",
      ".hidden.js",
      "Upper.js",
      "two.dots.js",
      "readme.md",
    ])
      writeFileSync(join(dir, name), `// ${name}\n//# sourceMappingURL=ok.js.map\n`);
    const assets = explorerAssets(dir);
    assert.deepEqual([...assets.keys()].sort(), ["", "index.html", "ok.js", "style.css"]);
    assert.equal(assets.get("ok.js")!.body.toString(), "// ok.js\n");
  });

  it("answers 500 (and reports it) when the page's modules were never built", async () => {
    const broken = new RpcServer({
      host: "127.0.0.1",
      port: 0,
      methods: {},
      getRoutes: explorerRoutes({ webDir: join(tempDir(), "missing") }),
      onInternalError: (_m, err) => internalErrors.push(err),
    });
    const { port: p } = await broken.start();
    try {
      assert.equal((await get(p, EXPLORER_PATH)).status, 500);
      assert.equal(internalErrors.length, 1);
    } finally {
      internalErrors.length = 0;
      await broken.stop();
    }
  });
});
