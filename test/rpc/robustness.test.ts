import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { MAX_ERROR_MESSAGE_CHARS, RpcServer } from "../../src/rpc/server.js";

/** Short deadlines so the test sees slow clients cut within seconds. */
const TIMEOUTS = { headersMs: 1_000, requestMs: 2_000 };
const LIMITS = { maxConnections: 200, maxPerAddress: 150 };

const server = new RpcServer({
  host: "127.0.0.1",
  port: 0,
  methods: { echo: (params) => params, slow: () => new Promise((r) => setTimeout(() => r("done"), 300)) },
  connectionLimits: LIMITS,
  timeouts: TIMEOUTS,
});
let port = 0;
const sockets: Socket[] = [];

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", () => {});
    s.once("error", reject);
    sockets.push(s);
  });
}

const closed = (s: Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once("close", () => resolve())));

interface Answer {
  result?: unknown;
  error?: { code: number; message: string };
}

async function call(method: string, params: unknown = []): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

describe("JSON-RPC server under hostile clients", () => {
  before(async () => {
    port = (await server.start()).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await server.stop();
  });

  it("survives a request aborted in the middle of its body", async () => {
    for (let i = 0; i < 20; i++) {
      const s = await open();
      s.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
      await new Promise((r) => setTimeout(r, 20));
      s.destroy();
    }
    // A client that goes away while its call is being served.
    const s = await open();
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "slow" });
    s.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await new Promise((r) => setTimeout(r, 50));
    s.destroy();
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual((await call("echo", [1])).json.result, [1]);
  });

  it("answers a body that happens to spell a read outcome like any other", async () => {
    for (const body of ["aborted", "too-large"]) {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        body,
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(((await res.json()) as Answer).error?.code, -32700, body);
    }
  });

  it("survives garbage instead of HTTP", async () => {
    const s = await open();
    s.write("\x00\xff garbage \r\n\r\n");
    await closed(s);
    assert.equal((await call("echo", [2])).status, 200);
  });

  it("cuts connections that send their headers too slowly, and serves others meanwhile", async () => {
    const slow = await Promise.all(Array.from({ length: 100 }, () => open()));
    for (const s of slow) s.write("POST / HTTP/1.1\r\nHost: x\r\n");
    const started = Date.now();
    assert.equal((await call("echo", [3])).status, 200, "a normal client is served during the hold");
    await Promise.all(slow.map(closed));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < TIMEOUTS.headersMs / 1000 + 3, `slow connections cut after ${seconds} s`);
  });

  it("cuts a body that trickles in, and does not count it as a request in flight", async () => {
    const slow = await Promise.all(Array.from({ length: 100 }, () => open()));
    for (const s of slow) s.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[");
    const trickle = setInterval(() => {
      for (const s of slow) if (!s.destroyed) s.write(" ");
    }, 200);
    try {
      assert.equal((await call("echo", [4])).status, 200);
      await Promise.all(slow.map(closed));
    } finally {
      clearInterval(trickle);
    }
  });

  it("bounds idle connections: a flood evicts its own oldest, and a new client still gets in", async () => {
    const flood = await Promise.all(Array.from({ length: 600 }, () => open().catch(() => undefined)));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      server.connections.size <= LIMITS.maxConnections,
      `${server.connections.size} connections held`,
    );
    assert.equal((await call("echo", [5])).status, 200);
    const alive = flood.filter((s) => s !== undefined && !s.destroyed).length;
    assert.ok(alive <= LIMITS.maxConnections, `${alive} flood connections still open`);
    for (const s of flood) s?.destroy();
  });

  it("caps what an error message echoes back", async () => {
    const huge = "x".repeat(1024 * 1024);
    const r = await call(huge);
    assert.equal(r.json.error?.code, -32601);
    const length = r.json.error?.message.length ?? 0;
    assert.ok(length > 0 && length <= MAX_ERROR_MESSAGE_CHARS + 1, `${length} chars`);
  });
});
