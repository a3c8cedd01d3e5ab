import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type Cluster, startCluster, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const VALIDATORS = 4;
const RPC_OFFSET = 1000;
const METRICS_OFFSET = 2000;
/** A devnet validator's height must stand still 10 s (health.ts MIN_STALL_MS) before it is stalled. */
const STALL_DETECTED_MS = 25_000;

interface Probe {
  status: number;
  body: { status?: string; reason?: string } | undefined;
}

async function probe(port: number, path: string): Promise<Probe> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

describe("health probes of a running devnet", { timeout: 90_000 }, () => {
  let cluster: Cluster;
  const stopped: number[] = [];
  after(async () => {
    for (const i of stopped) cluster.signal(i, "SIGCONT");
    await cluster?.stopAll();
  });

  it("live is 200, ready turns 200 once the devnet runs, and 503 on validators that lost their quorum", async () => {
    cluster = await startCluster(join(tempDir(), "home"), VALIDATORS, ["--status-interval", "1"]);
    const rpc = (i: number) => cluster.basePort + i + RPC_OFFSET;
    const metrics = (i: number) => cluster.basePort + i + METRICS_OFFSET;
    const all = Array.from({ length: VALIDATORS }, (_, i) => i);
    try {
      await waitFor("every validator ready on both ports", 30_000, async () => {
        for (const i of all)
          for (const port of [rpc(i), metrics(i)])
            if ((await probe(port, "/health/ready")).status !== 200) return undefined;
        return true;
      });
      for (const i of all) {
        assert.deepEqual(await probe(rpc(i), "/health/live"), { status: 200, body: { status: "alive" } });
        assert.equal((await probe(metrics(i), "/health/live")).status, 200);
        assert.deepEqual((await probe(rpc(i), "/health/ready")).body, { status: "ok", reason: "" });
      }

      // Freeze two of four: the others keep their connections but lose their quorum and stall.
      for (const i of [2, 3]) {
        cluster.signal(i, "SIGSTOP");
        stopped.push(i);
      }
      const stalled = await waitFor("validators 0 and 1 to report 503", STALL_DETECTED_MS, async () => {
        const probes = await Promise.all([0, 1].map((i) => probe(rpc(i), "/health/ready")));
        return probes.every((p) => p.status === 503) ? probes : undefined;
      });
      for (const p of stalled) {
        assert.ok(["stalled", "no-peers"].includes(p.body?.status ?? ""), JSON.stringify(p.body));
        assert.ok((p.body?.reason ?? "") !== "", "503 says why");
      }
      assert.equal((await probe(rpc(0), "/health/live")).status, 200, "alive while not ready");
      assert.equal((await probe(metrics(1), "/health/ready")).status, 503, "the metrics port says so too");

      for (const i of stopped.splice(0)) cluster.signal(i, "SIGCONT");
      await waitFor("validator 0 ready again once the quorum is back", 30_000, async () =>
        (await probe(rpc(0), "/health/ready")).status === 200 ? true : undefined,
      );
      assert.match(
        cluster.logs(0),
        /status +height=\d+ finalized=\d+ lag=-?\d+ round=\d+ peers=\d+\/3 pool=\d+/,
      );
      assert.match(cluster.logs(0), /health: (stalled|no-peers)/);
    } catch (err) {
      for (const i of all) console.error(`--- validator ${i} ---\n${cluster.logs(i).slice(-3_000)}`);
      throw err;
    }
  });
});
