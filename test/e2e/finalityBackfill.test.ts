import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { MassClient } from "../../src/rpc/client.js";
import { type Cluster, startCluster, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const FROZEN = 3;
/** Long enough that the peers finalise many blocks the frozen validator never hears signatures for. */
const FROZEN_MS = 20_000;

const height = async (c: MassClient) => Number((await c.call<{ height: string }>("mass_chainInfo")).height);
const finalized = async (c: MassClient, h: number) =>
  (await c.call<{ finality: unknown }>("mass_getBlockByHeight", [String(h)])).finality !== null;

describe("a validator frozen while its peers finalise blocks", { timeout: 150_000 }, () => {
  let cluster: Cluster;
  after(async () => {
    await cluster?.stopAll();
  });

  it("gets a finality certificate for every block it executed after it wakes", async () => {
    cluster = await startCluster(join(tempDir(), "home"), 4);
    const { clients } = cluster;
    const frozen = clients[FROZEN]!;
    try {
      await waitFor("blocks on every validator", 30_000, async () =>
        (await Promise.all(clients.map(height))).every((h) => h >= 2) ? true : undefined,
      );
      cluster.signal(FROZEN, "SIGSTOP");
      const before = await height(clients[0]!);
      await new Promise((r) => setTimeout(r, FROZEN_MS));
      assert.ok((await height(clients[0]!)) > before + 5, "the others went on");
      cluster.signal(FROZEN, "SIGCONT");
      const target = await height(clients[0]!);
      await waitFor("the frozen validator to catch up", 60_000, async () =>
        (await height(frozen)) >= target ? true : undefined,
      );
      const missing = await waitFor("a certificate for every block it holds", 30_000, async () => {
        const unfinal: number[] = [];
        for (let h = 1; h <= target; h++) if (!(await finalized(frozen, h))) unfinal.push(h);
        return unfinal.length === 0 ? unfinal : undefined;
      });
      assert.deepEqual(missing, []);
    } catch (err) {
      throw new Error(`${String(err)}\n--- validator ${FROZEN} log ---\n${cluster.logs(FROZEN)}`);
    }
  });
});
