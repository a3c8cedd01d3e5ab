import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RpcError, RpcErrorCode } from "../../src/rpc/errors.js";
import { MAX_REQUEST_BYTES, RpcServer } from "../../src/rpc/server.js";

const calls: string[] = [];
const server = new RpcServer({
  host: "127.0.0.1",
  port: 0,
  methods: {
    subtract: (params) => {
      const [a, b] = Array.isArray(params) ? params : [params?.minuend, params?.subtrahend];
      return (a as number) - (b as number);
    },
    notify_hello: (params) => {
      calls.push(JSON.stringify(params));
    },
    missing: () => {
      throw new RpcError(RpcErrorCode.NotFound, "no such block", { height: "5" });
    },
    broken: () => {
      throw new Error("bug");
    },
  },
  getRoutes: [
    { path: "/health/live", handle: (_req, res) => void res.writeHead(200).end("ok") },
    { path: "/pages/", handle: (_req, res, path) => void res.writeHead(200).end(path) },
    {
      path: "/broken",
      handle: () => {
        throw new Error("bug");
      },
    },
  ],
  onInternalError: (method) => internalErrors.push(method),
});
const internalErrors: string[] = [];
let url = "";

async function post(body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text) };
}

// The cases are the examples of the JSON-RPC 2.0 specification, section 7.
describe("JSON-RPC 2.0 server", () => {
  before(async () => {
    const address = await server.start();
    url = `http://127.0.0.1:${address.port}/`;
  });
  after(() => server.stop());

  it("answers calls with positional and named parameters", async () => {
    assert.deepEqual((await post('{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}')).json, {
      jsonrpc: "2.0",
      id: 1,
      result: 19,
    });
    assert.deepEqual(
      (await post('{"jsonrpc":"2.0","method":"subtract","params":{"subtrahend":23,"minuend":42},"id":"a"}'))
        .json,
      { jsonrpc: "2.0", id: "a", result: 19 },
    );
  });

  it("never answers notifications", async () => {
    const r = await post('{"jsonrpc":"2.0","method":"notify_hello","params":[7]}');
    assert.equal(r.status, 204);
    assert.equal(r.json, undefined);
    assert.ok(calls.includes("[7]"));
    assert.equal((await post('{"jsonrpc":"2.0","method":"nope"}')).json, undefined, "even a failing one");
  });

  it("reports unknown methods, parse errors and invalid requests", async () => {
    assert.deepEqual((await post('{"jsonrpc":"2.0","method":"foobar","id":"1"}')).json, {
      jsonrpc: "2.0",
      id: "1",
      error: { code: -32601, message: "Method not found: foobar" },
    });
    const parse = (await post('{"jsonrpc":"2.0","method":"foobar,"params":"bar","baz]')).json as {
      error: { code: number };
      id: null;
    };
    assert.equal(parse.error.code, -32700);
    assert.equal(parse.id, null);
    const invalid = (await post('{"jsonrpc":"2.0","method":1,"params":"bar"}')).json as {
      error: { code: number };
    };
    assert.equal(invalid.error.code, -32600);
    const version = (await post('{"jsonrpc":"1.0","method":"subtract","id":3}')).json as {
      error: { code: number };
      id: number;
    };
    assert.deepEqual([version.error.code, version.id], [-32600, 3]);
    const badId = (await post('{"jsonrpc":"2.0","method":"subtract","id":{}}')).json as {
      error: { code: number };
    };
    assert.equal(badId.error.code, -32600);
  });

  it("handles batches: mixed, invalid, empty and all-notification", async () => {
    const empty = (await post("[]")).json as { error: { code: number } };
    assert.equal(empty.error.code, -32600);
    const invalid = (await post("[1,2]")).json as { error: { code: number } }[];
    assert.deepEqual(
      invalid.map((r) => r.error.code),
      [-32600, -32600],
    );
    const mixed = (
      await post(
        JSON.stringify([
          { jsonrpc: "2.0", method: "subtract", params: [5, 1], id: "1" },
          { jsonrpc: "2.0", method: "notify_hello", params: [7] },
          { foo: "boo" },
          { jsonrpc: "2.0", method: "foo.get", params: { name: "myself" }, id: "5" },
        ]),
      )
    ).json as { id: unknown; result?: unknown; error?: { code: number } }[];
    assert.equal(mixed.length, 3);
    assert.deepEqual(mixed[0], { jsonrpc: "2.0", id: "1", result: 4 });
    assert.equal(mixed[1]!.error!.code, -32600);
    assert.equal(mixed[2]!.error!.code, -32601);
    const silent = await post('[{"jsonrpc":"2.0","method":"notify_hello","params":[1]}]');
    assert.equal(silent.status, 204);
  });

  it("passes typed errors through and hides internal ones", async () => {
    assert.deepEqual((await post('{"jsonrpc":"2.0","method":"missing","id":9}')).json, {
      jsonrpc: "2.0",
      id: 9,
      error: { code: RpcErrorCode.NotFound, message: "no such block", data: { height: "5" } },
    });
    assert.deepEqual((await post('{"jsonrpc":"2.0","method":"broken","id":10}')).json, {
      jsonrpc: "2.0",
      id: 10,
      error: { code: -32603, message: "Internal error" },
    });
  });

  it("refuses oversized bodies and methods other than POST and GET", async () => {
    const big = await post(`"${"x".repeat(MAX_REQUEST_BYTES)}"`);
    assert.equal(big.status, 413);
    assert.equal((await fetch(url, { method: "PUT", body: "x" })).status, 405);
  });

  it("serves GET routes beside JSON-RPC: exact paths, paths under a prefix, 404 else, 500 on a bug", async () => {
    const live = await fetch(`${url}health/live?verbose=1`);
    assert.deepEqual([live.status, await live.text()], [200, "ok"]);
    const page = await fetch(`${url}pages/a/b.html`);
    assert.deepEqual([page.status, await page.text()], [200, "/pages/a/b.html"]);
    assert.equal((await fetch(url)).status, 404);
    assert.equal((await fetch(`${url}health/livex`)).status, 404);
    assert.equal((await fetch(`${url}broken`)).status, 500);
    assert.ok(internalErrors.includes("GET /broken"));
  });
});

describe("CORS", () => {
  const cors = new RpcServer({
    host: "127.0.0.1",
    port: 0,
    methods: { ping: () => "pong" },
    corsOrigins: ["https://app.example"],
  });
  let base = "";
  before(async () => {
    base = `http://127.0.0.1:${(await cors.start()).port}/`;
  });
  after(() => cors.stop());
  const call = (origin?: string) =>
    fetch(base, {
      method: "POST",
      body: '{"jsonrpc":"2.0","method":"ping","id":1}',
      headers: { "content-type": "application/json", ...(origin && { origin }) },
    });

  it("lets an allowed origin read answers, and no other", async () => {
    const allowed = await call("https://app.example");
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example");
    assert.equal(allowed.headers.get("vary"), "Origin");
    assert.deepEqual(await allowed.json(), { jsonrpc: "2.0", id: 1, result: "pong" });
    const other = await call("https://evil.example");
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    assert.equal((await call()).headers.get("access-control-allow-origin"), null, "no origin, no CORS");
  });

  it("answers a preflight for an allowed origin, refuses one for another", async () => {
    const preflight = (origin: string) =>
      fetch(base, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const ok = await preflight("https://app.example");
    assert.equal(ok.status, 204);
    assert.match(ok.headers.get("access-control-allow-methods") ?? "", /POST/);
    assert.equal(ok.headers.get("access-control-allow-headers"), "content-type");
    assert.equal((await preflight("https://evil.example")).status, 403);
  });
});
