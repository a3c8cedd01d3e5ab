import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import { type Cluster, signedTransfer, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const VALIDATORS = 4;
/** Small, so the others run past a stopped validator's gc window in seconds. */
const GC_DEPTH = 16;
/** Rounds beyond the gc window the others advance before the validator comes back. */
const MARGIN_ROUNDS = 4;

const height = async (c: MassClient) => Number((await c.call<{ height: string }>("mass_chainInfo")).height);
const blockHash = async (c: MassClient, h: number) =>
  (await c.call<{ hash: string }>("mass_getBlockByHeight", [String(h)])).hash;

async function finalized(c: MassClient, txHash: string): Promise<boolean> {
  try {
    return (await c.call<{ status: string }>("mass_getTransaction", [txHash])).status === "finalized";
  } catch {
    return false;
  }
}

describe("catching up beyond the gc window", { timeout: 150_000 }, () => {
  let cluster: Cluster;
  let flowing = true;
  after(async () => {
    flowing = false;
    await cluster?.stopAll();
  });

  it("a restarted and an emptied validator catch up by block sync and a checkpoint, then keep finalising", async () => {
    cluster = await startCluster(join(tempDir(), "home"), VALIDATORS, [], 0, { gcDepth: GC_DEPTH });
    const { clients } = cluster;
    const faucet = readKeyFile(join(cluster.home, "keys", "faucet.json"));
    const alice = readKeyFile(join(cluster.home, "keys", "alice.json"));
    const bob = readKeyFile(join(cluster.home, "keys", "bob.json"));
    const metric = async (i: number, name: string) => {
      const text = await (await fetch(cluster.metricsUrl(i))).text();
      const match = new RegExp(`^${name} (\\d+)`, "m").exec(text);
      return match === null ? 0 : Number(match[1]);
    };
    const committedRound = (i: number) => metric(i, "mass_sync_committed_round");
    /** Waits until validator `i`'s peers pruned their DAG beyond round `round`. */
    const pastGcWindow = (i: number, round: number) =>
      waitFor(`the others to run past round ${round} + gc depth`, 40_000, async () =>
        (await committedRound(i)) > round + GC_DEPTH + MARGIN_ROUNDS ? true : undefined,
      );
    const sameBlocks = async (i: number, upTo: number) => {
      for (let h = 1; h <= upTo; h++) {
        assert.equal(
          await blockHash(clients[i]!, h),
          await blockHash(clients[0]!, h),
          `height ${h} on validator ${i}`,
        );
      }
    };
    /** Waits until validator `i` reached validator 0's current height. */
    const caughtUp = async (i: number) => {
      const target = await height(clients[0]!);
      await waitFor(`validator ${i} to reach height ${target}`, 40_000, async () =>
        (await height(clients[i]!)) >= target ? true : undefined,
      );
      return target;
    };
    const round = async (c: MassClient) =>
      Number((await c.call<{ consensusRound: string }>("mass_health")).consensusRound);
    /**
     * A transfer submitted to validator `i` is ordered by its own worker: final only if its consensus
     * runs. Sent once its proposals reached the others' round (a header it proposes while still
     * fetching the DAG lands in an old round that no leader reaches, which only delays the transfer).
     */
    const finalViaOwnConsensus = async (i: number, nonce: number) => {
      await waitFor(`validator ${i} to propose at the others' round`, 20_000, async () =>
        (await round(clients[i]!)) + 2 >= (await round(clients[0]!)) ? true : undefined,
      );
      const tx = signedTransfer("mass-devnet", alice, bob.publicKey, nonce, 1n);
      const { txHash } = await clients[i]!.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(tx)]);
      await waitFor(`a transfer sent to validator ${i} to be final`, 30_000, async () =>
        (await finalized(clients[i]!, txHash)) && (await finalized(clients[0]!, txHash)) ? true : undefined,
      );
    };

    await waitFor("every validator to produce blocks", 30_000, async () =>
      (await Promise.all(clients.map(height))).every((h) => h >= 2) ? true : undefined,
    );
    // Transfers keep flowing through validator 0 from now on (blocks with content, fast rounds).
    let nonce = 0;
    const flow = (async () => {
      while (flowing) {
        const tx = signedTransfer("mass-devnet", faucet, alice.publicKey, nonce, 1n);
        try {
          await clients[0]!.call("mass_sendRawTransaction", [toHex(tx)]);
          nonce++;
        } catch {
          // A full pool or a stopping node: try again.
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    try {
      // Validator 3 stops; the others run far past its gc window.
      await cluster.kill(3, "SIGKILL");
      await pastGcWindow(0, await committedRound(0));
      cluster.start(3);
      const first = await caughtUp(3);
      await sameBlocks(3, first);
      assert.match(cluster.logs(3), /caught up by block sync; starting consensus from a checkpoint/);
      assert.ok((await metric(3, "mass_blocksync_blocks_total")) > 0);
      await finalViaOwnConsensus(3, 0);

      // Validator 2 loses its database while the others (validator 3 among them: a quorum needs it)
      // run past the gc window; it joins again from nothing.
      await cluster.kill(2, "SIGKILL");
      rmSync(join(cluster.home, "data", "validator-2"), { recursive: true, force: true });
      await pastGcWindow(0, await committedRound(0));
      cluster.start(2);
      const second = await caughtUp(2);
      await sameBlocks(2, second);
      assert.match(cluster.logs(2), /caught up by block sync; starting consensus from a checkpoint/);
      await finalViaOwnConsensus(2, 1);

      // Validator 1 freezes (a long pause, or a partition) while the others run past its gc window.
      // Running again, its consensus finds itself behind, stops, catches up and starts again.
      cluster.signal(1, "SIGSTOP");
      await pastGcWindow(0, await committedRound(0));
      cluster.signal(1, "SIGCONT");
      await waitFor("validator 1 to notice it is behind", 30_000, async () =>
        /catching up by block sync trigger=(behind|stalled)/.test(cluster.logs(1)) ? true : undefined,
      );
      const third = await caughtUp(1);
      await sameBlocks(1, third);
      await finalViaOwnConsensus(1, 2);

      // Everyone still agrees on what came after.
      const later = await caughtUp(3);
      for (const i of [1, 2, 3]) {
        await sameBlocks(i, later);
        assert.equal(await metric(i, "mass_finality_disagreements_total"), 0);
      }
    } catch (err) {
      cluster.signal(1, "SIGCONT");
      for (let i = 0; i < VALIDATORS; i++)
        process.stderr.write(`--- validator ${i} log tail ---\n${cluster.logs(i).slice(-4000)}\n`);
      throw err;
    } finally {
      flowing = false;
      await flow;
    }
  });
});
