import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ByteListType } from "@chainsafe/ssz";
import { dataDirOf } from "../../src/cli/home.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import { Bucket, Database } from "../../src/state/db/index.js";
import { Account } from "../../src/types/execution.js";
import { asciiBytes } from "../../src/types/primitives.js";
import { accountKey } from "../../src/vm/state/keys.js";
import { type Cluster, signedTransfer, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const HARBOR = "pk-sifc";
const CORRUPT = 3;

const health = (c: MassClient) => c.call<{ status: string; reason: string; height: string }>("mass_health");
const height = async (c: MassClient) => Number((await health(c)).height);
const balance = async (c: MassClient, address: Uint8Array) =>
  (await c.call<{ balance: string }>("mass_getAccount", [HARBOR, toHex(address)])).balance;

/** Rewrites an account's balance in a stopped validator's database, as a disk fault or a tamperer would. */
async function corruptBalance(dataDir: string, address: Uint8Array, newBalance: bigint): Promise<void> {
  const db = await Database.open(dataDir);
  try {
    const entries = db.repository(Bucket.StateEntries, new ByteListType(1 << 20));
    const stateKey = Buffer.from(accountKey(address), "hex");
    const key = new Uint8Array([...asciiBytes(HARBOR), 0, ...stateKey]);
    const stored = await entries.get(key);
    assert.ok(stored, "the account is in the database");
    await entries.put(key, Account.serialize({ ...Account.deserialize(stored), balance: newBalance }), {
      sync: true,
    });
  } finally {
    await db.close();
  }
}

describe("a validator whose database was changed", { timeout: 150_000 }, () => {
  let cluster: Cluster;
  after(async () => {
    await cluster?.stopAll();
  });

  it("notices at start, reports itself diverged, refuses to serve state, and --repair rebuilds it", async () => {
    cluster = await startCluster(join(tempDir(), "home"), 4);
    const { clients } = cluster;
    const alice = readKeyFile(join(cluster.home, "keys", "alice.json"));
    const bob = readKeyFile(join(cluster.home, "keys", "bob.json"));
    try {
      await waitFor("blocks on every validator", 30_000, async () =>
        (await Promise.all(clients.map(height))).every((h) => h >= 2) ? true : undefined,
      );
      const { txHash } = await clients[0]!.call<{ txHash: string }>("mass_sendRawTransaction", [
        toHex(signedTransfer("mass-devnet", alice, bob.publicKey, 0, 1_000n)),
      ]);
      await waitFor("the transfer final on every validator", 30_000, async () => {
        const statuses = await Promise.all(
          clients.map(
            async (c) => (await c.call<{ status: string }>("mass_getTransaction", [txHash])).status,
          ),
        );
        return statuses.every((s) => s === "finalized") ? true : undefined;
      });
      const honest = await balance(clients[0]!, alice.publicKey);

      await cluster.kill(CORRUPT, "SIGTERM");
      await corruptBalance(dataDirOf(cluster.home, CORRUPT), alice.publicKey, 10n ** 15n);
      cluster.start(CORRUPT);
      const diverged = await waitFor("the changed validator to report itself diverged", 30_000, async () => {
        const h = await health(clients[CORRUPT]!);
        return h.status === "diverged" ? h : undefined;
      });
      assert.match(diverged.reason, /state's root .* is not block \d+'s state root/);
      assert.match(diverged.reason, /--repair/);
      await assert.rejects(
        balance(clients[CORRUPT]!, alice.publicKey),
        /state disagrees with the certified chain/,
      );
      const metrics = await (await fetch(cluster.metricsUrl(CORRUPT))).text();
      assert.match(metrics, /mass_health_status\{status="diverged"\} 1/);

      // The other three are a quorum: the chain goes on and finalizes without it.
      const before = await height(clients[0]!);
      await waitFor("the others to go on", 30_000, async () =>
        (await height(clients[0]!)) >= before + 3 ? true : undefined,
      );

      await cluster.kill(CORRUPT, "SIGTERM");
      cluster.start(CORRUPT, ["--repair"]);
      await waitFor("the repaired validator to be healthy and caught up", 90_000, async () => {
        const [h, tip] = await Promise.all([health(clients[CORRUPT]!), height(clients[0]!)]);
        return h.status === "ok" && Number(h.height) >= tip - 2 ? true : undefined;
      });
      assert.equal(
        await balance(clients[CORRUPT]!, alice.publicKey),
        honest,
        "the certified balance is back",
      );
    } catch (err) {
      throw new Error(`${String(err)}\n--- validator ${CORRUPT} log ---\n${cluster.logs(CORRUPT)}`);
    }
  });
});
