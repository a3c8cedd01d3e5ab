import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type KeyPair, readKeyFile } from "../../src/node/keyFile.js";
import type { ClientError, MassClient } from "../../src/rpc/client.js";
import { txHashOfBytes } from "../../src/types/signing.js";
import { type Cluster, signedTransfer, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import { tempDir } from "../helpers/tempDir.js";

const VALIDATORS = 4;
/** Small, so the outage and what follows span several gc windows: batches must outlive them. */
const GC_DEPTH = 20;
const OUTAGE_MS = 20_000;
const SEND_INTERVAL_MS = 100;
/** What the issue asks: after a quorum returns, new transactions finalize within this. */
const RECOVERY_MS = 30_000;

const status = async (c: MassClient, hash: string) =>
  (await c.call<{ status: string }>("mass_getTransaction", [hash])).status;

/** One sender per validator, sending its next nonce there until told to stop; never leaves a gap. */
class Sender {
  nonce = 0;
  readonly accepted: { hash: string; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();
  constructor(
    private readonly key: KeyPair,
    private readonly to: Uint8Array,
    private readonly client: MassClient,
  ) {}
  start(): void {
    const tick = async () => {
      let settle = () => {};
      this.idle = new Promise<void>((r) => {
        settle = r;
      });
      const bytes = signedTransfer("mass-devnet", this.key, this.to, this.nonce, 1n);
      try {
        await this.client.call("mass_sendRawTransaction", [toHex(bytes)]);
        this.accept(bytes);
      } catch (err) {
        // An earlier attempt that timed out did arrive (only this transaction carries this nonce).
        const reason = (err as ClientError).data as { reason?: string } | undefined;
        if (reason?.reason === "TX_DUPLICATE" || reason?.reason === "TX_NONCE_TOO_LOW") this.accept(bytes);
        // Otherwise down, or its pool is full: the same nonce goes again next tick.
      }
      settle();
      if (!this.stopped) this.timer = setTimeout(tick, SEND_INTERVAL_MS);
    };
    this.timer = setTimeout(tick, 0);
  }
  private accept(bytes: Uint8Array): void {
    this.accepted.push({ hash: toHex(txHashOfBytes(bytes)), at: Date.now() });
    this.nonce += 1;
  }

  /** Stops sending; resolves once a submission in progress has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.idle;
  }
}

describe("a quorum loss and its return under load", { timeout: 240_000 }, () => {
  let cluster: Cluster;
  const senders: Sender[] = [];
  after(async () => {
    await Promise.all(senders.map((s) => s.stop()));
    await cluster?.stopAll();
  });

  it("finalizes new transactions within 30 s of the quorum's return, and every accepted one exactly once", async () => {
    cluster = await startCluster(join(tempDir(), "home"), VALIDATORS, [], VALIDATORS, { gcDepth: GC_DEPTH });
    const { clients } = cluster;
    const keys = Array.from({ length: VALIDATORS }, (_, i) =>
      readKeyFile(join(cluster.home, "keys", `account-${i}.json`)),
    );
    try {
      await waitFor("blocks on every validator", 30_000, async () =>
        (await Promise.all(clients.map((c) => c.call<{ height: string }>("mass_chainInfo")))).every(
          (i) => Number(i.height) >= 2,
        )
          ? true
          : undefined,
      );
      keys.forEach((k, i) => {
        const s = new Sender(k, keys[(i + 1) % VALIDATORS]!.publicKey, clients[i]!);
        senders.push(s);
        s.start();
      });
      await new Promise((r) => setTimeout(r, 5_000));
      await Promise.all([cluster.kill(2), cluster.kill(3)]);
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      cluster.start(2);
      cluster.start(3);
      const returned = Date.now();
      // Every sender's first transaction accepted after the return is final within the bound.
      for (const s of senders) {
        const first = await waitFor("a transaction accepted after the return", RECOVERY_MS, async () =>
          s.accepted.find((a) => a.at >= returned),
        );
        await waitFor(`${first.hash} final`, RECOVERY_MS - (Date.now() - returned) + 5_000, async () =>
          (await status(clients[0]!, first.hash)) === "finalized" ? true : undefined,
        );
      }
      assert.ok(Date.now() - returned < RECOVERY_MS + 5_000, "recovered in time");
      // Several gc windows later the chain still moves, and everything accepted is final.
      await new Promise((r) => setTimeout(r, 15_000));
      await Promise.all(senders.map((s) => s.stop()));
      const accepted = senders.flatMap((s) => s.accepted);
      await waitFor("every accepted transaction final on every validator", 60_000, async () => {
        for (const c of clients)
          for (const a of accepted) if ((await status(c, a.hash)) !== "finalized") return undefined;
        return true;
      });
      for (const [i, s] of senders.entries()) {
        const account = await clients[0]!.call<{ nonce: string }>("mass_getAccount", [
          "pk-sifc",
          toHex(keys[i]!.publicKey),
        ]);
        assert.equal(
          Number(account.nonce),
          s.nonce,
          `sender ${i}: every accepted nonce executed once, no gap`,
        );
      }
    } catch (err) {
      throw new Error(`${String(err)}\n--- validator 0 log ---\n${cluster.logs(0).slice(-6000)}`);
    }
  });
});
