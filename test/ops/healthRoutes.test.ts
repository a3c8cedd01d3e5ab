import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Registry } from "prom-client";
import { healthRoutes } from "../../src/node/healthRoutes.js";
import { MetricsServer } from "../../src/node/metricsServer.js";
import type { HealthStatus } from "../../src/rpc/index.js";
import { RpcServer } from "../../src/rpc/server.js";

let current: { status: HealthStatus; reason: string } = { status: "ok", reason: "" };
const routes = healthRoutes(() => current);
const rpc = new RpcServer({ host: "127.0.0.1", port: 0, methods: {}, getRoutes: routes });
const registry = new Registry();
const metrics = new MetricsServer(registry, { host: "127.0.0.1", port: 0 }, routes);

async function get(port: number, path: string, method = "GET") {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  const text = await res.text();
  return {
    status: res.status,
    body:
      text !== "" && res.headers.get("content-type") === "application/json" ? JSON.parse(text) : undefined,
    cache: res.headers.get("cache-control"),
  };
}

describe("health routes", () => {
  before(async () => {
    await rpc.start();
    await metrics.start();
  });
  after(async () => {
    await rpc.stop();
    await metrics.stop();
  });

  for (const [where, port] of [
    ["the RPC port", () => rpc.port],
    ["the metrics port", () => metrics.port],
  ] as const) {
    it(`on ${where}: live is 200; ready is 200 when ok and 503 with {status, reason} otherwise`, async () => {
      current = { status: "ok", reason: "" };
      assert.deepEqual(await get(port(), "/health/live"), {
        status: 200,
        body: { status: "alive" },
        cache: "no-store",
      });
      assert.deepEqual(await get(port(), "/health/ready"), {
        status: 200,
        body: { status: "ok", reason: "" },
        cache: "no-store",
      });
      for (const status of ["syncing", "stalled", "diverged", "no-peers", "stopping"] as const) {
        current = { status, reason: `because ${status}` };
        const res = await get(port(), "/health/ready");
        assert.equal(res.status, 503, status);
        assert.deepEqual(res.body, { status, reason: `because ${status}` });
      }
      // Still alive while not ready: liveness restarts a process, readiness only takes it out of rotation.
      assert.equal((await get(port(), "/health/live")).status, 200);
      assert.equal((await get(port(), "/health/ready", "HEAD")).status, 503);
      assert.equal((await get(port(), "/health/nope")).status, 404);
    });
  }

  it("the metrics port still serves /metrics and refuses other methods on the probes", async () => {
    const res = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
    assert.equal(res.status, 200);
    await res.text();
    const post = await fetch(`http://127.0.0.1:${metrics.port}/health/live`, { method: "POST", body: "x" });
    assert.equal(post.status, 404);
    await post.text();
  });
});
