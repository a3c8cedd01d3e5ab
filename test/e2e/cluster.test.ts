import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import { type Cluster, signedTransfer, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const VALIDATORS = 4;
/** Transactions each sender submits per phase. */
const TXS_PER_SENDER = 10;

interface BlockJson {
  hash: string;
  header: { height: string };
  transactions: string[];
  finality: unknown;
}

const height = async (c: MassClient) => Number((await c.call<{ height: string }>("mass_chainInfo")).height);
const blockHash = async (c: MassClient, h: number) =>
  (await c.call<BlockJson>("mass_getBlockByHeight", [String(h)])).hash;

async function finalized(c: MassClient, txHash: string): Promise<boolean> {
  try {
    return (await c.call<{ status: string }>("mass_getTransaction", [txHash])).status === "finalized";
  } catch {
    return false;
  }
}

describe("a 4-validator network on 127.0.0.1", { timeout: 180_000 }, () => {
  let cluster: Cluster;
  after(async () => {
    await cluster?.stopAll();
  });

  it("finalises the same blocks everywhere, survives a SIGKILL, and restarted or emptied validators catch up", async () => {
    cluster = await startCluster(join(tempDir(), "home"), VALIDATORS, [], 1);
    const { clients } = cluster;
    // One sender per validator: sender s always submits to validator s, which orders its nonces.
    const keys = ["faucet", "alice", "bob", "account-0"].map((name) =>
      readKeyFile(join(cluster.home, "keys", `${name}.json`)),
    );
    try {
      await waitFor("every validator to produce blocks", 30_000, async () =>
        (await Promise.all(clients.map(height))).every((h) => h >= 2) ? true : undefined,
      );

      const submit = async (round: number, senders: number[]) => {
        const hashes: string[] = [];
        for (const s of senders) {
          const key = keys[s]!;
          const client = clients[s]!;
          for (let k = 0; k < TXS_PER_SENDER; k++) {
            // Recipients must pass the harbor's import checks: the demo accounts are attested at genesis.
            const recipient = keys[(s + 1) % keys.length]!.publicKey;
            const tx = signedTransfer("mass-devnet", key, recipient, round * TXS_PER_SENDER + k, 1n);
            hashes.push(
              (await client.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(tx)])).txHash,
            );
          }
        }
        return hashes;
      };
      const first = await submit(0, [0, 1, 2, 3]);
      await waitFor("the first transactions to be final on every validator", 30_000, async () =>
        (await Promise.all(clients.flatMap((c) => first.map((h) => finalized(c, h))))).every(Boolean)
          ? true
          : undefined,
      );
      const receipt = await clients[3]!.call<{ outcome: string }>("mass_getTransaction", [first[0]]);
      assert.equal(receipt.outcome, "Success");

      const common = Math.min(...(await Promise.all(clients.map(height))));
      for (let h = 1; h <= common; h++) {
        const hashes = await Promise.all(clients.map((c) => blockHash(c, h)));
        assert.equal(new Set(hashes).size, 1, `validators disagree at height ${h}`);
      }

      // One validator dies without warning, just after accepting transactions; the other three
      // keep finalising.
      const accepted = await submit(1, [3]);
      await cluster.kill(3, "SIGKILL");
      const live = clients.slice(0, 3);
      const before = await height(live[0]!);
      const second = await submit(1, [0, 1, 2]);
      await waitFor("the second transactions to be final without validator 3", 30_000, async () =>
        (await Promise.all(live.flatMap((c) => second.map((h) => finalized(c, h))))).every(Boolean)
          ? true
          : undefined,
      );
      assert.ok((await height(live[0]!)) > before);

      // Restarted from its database, it catches up to the same blocks.
      cluster.start(3);
      const target = await height(live[0]!);
      await waitFor("validator 3 to catch up", 60_000, async () =>
        (await height(clients[3]!)) >= target ? true : undefined,
      );
      for (let h = 1; h <= target; h++) {
        assert.equal(
          await blockHash(clients[3]!, h),
          await blockHash(clients[0]!, h),
          `height ${h} after restart`,
        );
      }
      for (const h of second) assert.equal(await finalized(clients[3]!, h), true);
      await waitFor("what validator 3 accepted before it died to be final", 30_000, async () =>
        (await Promise.all(accepted.map((h) => finalized(clients[0]!, h)))).every(Boolean) ? true : undefined,
      );

      // A validator that lost its database rebuilds everything from its peers.
      await cluster.kill(2, "SIGKILL");
      rmSync(join(cluster.home, "data", "validator-2"), { recursive: true, force: true });
      cluster.start(2);
      const goal = await height(clients[0]!);
      await waitFor("the emptied validator 2 to catch up", 60_000, async () =>
        (await height(clients[2]!)) >= goal ? true : undefined,
      );
      for (let h = 1; h <= goal; h++) {
        assert.equal(
          await blockHash(clients[2]!, h),
          await blockHash(clients[0]!, h),
          `height ${h} after resync`,
        );
      }

      const metrics = await (await fetch(cluster.metricsUrl(0))).text();
      assert.match(metrics, /^mass_chain_height \d+/m);
      assert.match(metrics, /^mass_consensus_certificates_total \d+/m);
      assert.match(metrics, /^mass_network_peers_connected 3/m);
    } catch (err) {
      for (let i = 0; i < VALIDATORS; i++)
        process.stderr.write(`--- validator ${i} log tail ---\n${cluster.logs(i).slice(-3000)}\n`);
      throw err;
    }
  });
});
