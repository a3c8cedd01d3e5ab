import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../../src/client/index.js";
import { sign } from "../../src/crypto/ed25519.js";
import { type KeyPair, readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import type { CorridorReceiptProofJson, TransferJson } from "../../src/rpc/corridorJson.js";
import { migrationTransitId } from "../../src/vm/tx/migrate.js";
import { type Cluster, startCluster, toHex, waitFor } from "../helpers/cluster.js";
import {
  bytes,
  corridorLeaf,
  mmrRootFromProof,
  receiptDigest,
  rfc9162Root,
  sha256,
} from "../helpers/corridorVerifier.js";
import { tempDir } from "../helpers/tempDir.js";

/**
 * The judge's check of corridors on a running devnet, as a client that trusts nothing but the
 * committee in genesis.json: a migration pk-sifc → ae-difc is credited within two blocks, the
 * balances at both ends and the corridor receipts agree, one to an unattested address is refunded,
 * and every receipt is verified with SHA-256 and Ed25519 (node:crypto) alone, down to a final header.
 */

const PK = "pk-sifc";
const AE = "ae-difc";
const AMOUNT = 12_345n;
const FEE = 10n;

const u64 = (n: bigint | number): Buffer => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(n));
  return out;
};

interface HeaderJson {
  /** The ASCII chain id, as text. */
  chainId: string;
  height: string;
  parentHash: string;
  leaderRound: string;
  leaderCertificate: string;
  timestamp: string;
  txRoot: string;
  receiptRoot: string;
  stateRoot: string;
  corridorRoot: string;
  anchorRoot: string;
}
interface BlockJson {
  hash: string;
  header: HeaderJson;
  finality: { height: string; blockHash: string; signers: string; signatures: string[] } | null;
}

/** SSZ(BlockHeader) written out: a 4-byte offset for chainId, the fixed fields, then chainId's bytes. */
function headerHash(h: HeaderJson): Buffer {
  const chainId = Buffer.from(h.chainId, "latin1");
  const fixed = 4 + 8 + 32 + 8 + 32 + 8 + 5 * 32;
  const offset = Buffer.alloc(4);
  offset.writeUInt32LE(fixed);
  return sha256(
    offset,
    u64(BigInt(h.height)),
    bytes(h.parentHash),
    u64(BigInt(h.leaderRound)),
    bytes(h.leaderCertificate),
    u64(BigInt(h.timestamp)),
    ...[h.txRoot, h.receiptRoot, h.stateRoot, h.corridorRoot, h.anchorRoot].map(bytes),
    chainId,
  );
}

/** A finality certificate checked against the genesis committee: > 2/3 of the stake, every signature. */
function checkFinality(
  block: BlockJson,
  genesis: { chainId: string; committee: { validators: { publicKey: string; stake: string }[] } },
) {
  const final = block.finality;
  assert.ok(final !== null, `block ${block.header.height} is final`);
  assert.equal(final.blockHash, block.hash);
  const signerBits = bytes(final.signers);
  // SSZ bitlist: bit i of byte i/8 is validator i; the highest set bit marks the length.
  const bits: boolean[] = [];
  for (let i = 0; i < signerBits.length * 8; i++) bits.push(((signerBits[i >> 3]! >> (i & 7)) & 1) === 1);
  const length = bits.lastIndexOf(true);
  const signers = bits.slice(0, length).flatMap((set, i) => (set ? [i] : []));
  const { validators } = genesis.committee;
  assert.equal(length, validators.length);
  assert.equal(final.signatures.length, signers.length);
  const message = sha256(
    Buffer.from("MASS-L1/block/v1"),
    Buffer.from([0]),
    Buffer.from(genesis.chainId, "latin1"),
    Buffer.from([0]),
    bytes(block.hash),
  );
  let stake = 0n;
  signers.forEach((index, k) => {
    const validator = validators[index]!;
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), bytes(validator.publicKey)]),
      format: "der",
      type: "spki",
    });
    assert.ok(verify(null, message, key, bytes(final.signatures[k]!)), `signature of validator ${index}`);
    stake += BigInt(validator.stake);
  });
  const total = validators.reduce((sum, v) => sum + BigInt(v.stake), 0n);
  assert.ok(3n * stake > 2n * total, "signers hold more than 2/3 of the stake");
}

describe("corridors on a 4-validator devnet", { timeout: 150_000 }, () => {
  let cluster: Cluster;
  after(async () => {
    await cluster?.stopAll();
  });

  it("credits a migration within two blocks, refunds one to an unattested address, and every receipt verifies to a final header", async () => {
    cluster = await startCluster(join(tempDir(), "home"), 4);
    const client: MassClient = cluster.clients[0]!;
    const genesis = JSON.parse(readFileSync(join(cluster.home, "genesis.json"), "utf8"));
    const [alice, bob] = ["alice", "bob"].map((n) =>
      readKeyFile(join(cluster.home, "keys", `${n}.json`)),
    ) as [KeyPair, KeyPair];
    const stranger = Buffer.alloc(32, 0x5e);
    const balance = async (harbor: string, address: Uint8Array) =>
      BigInt((await client.call<{ balance: string }>("mass_getAccount", [harbor, toHex(address)])).balance);
    await waitFor("the devnet to make blocks", 30_000, async () =>
      Number((await client.call<{ height: string }>("mass_chainInfo")).height) >= 1 ? true : undefined,
    );
    const aliceBefore = await balance(PK, alice.publicKey);
    const bobBefore = await balance(AE, bob.publicKey);

    const send = async (nonce: number, recipient: Uint8Array) => {
      const body = migrateTx(
        {
          chainId: genesis.chainId,
          harbor: PK,
          sender: alice.publicKey,
          nonce,
          gasLimit: TRANSFER_GAS_LIMIT,
          fee: FEE,
        },
        { destinationHarbor: AE, recipient, amount: AMOUNT },
      );
      const tx = signTransaction(body, alice.secretKey, sign);
      await client.call("mass_sendRawTransaction", [toHex(tx.bytes)]);
      return toHex(migrationTransitId(tx.hash));
    };
    const nonce = Number(
      (await client.call<{ nonce: string }>("mass_getAccount", [PK, toHex(alice.publicKey)])).nonce,
    );
    const toBob = await send(nonce, bob.publicKey);
    const toStranger = await send(nonce + 1, stranger);
    const ended = (transit: string) =>
      waitFor(`transfer ${transit} to end`, 60_000, async () => {
        const t = await client.call<TransferJson>("mass_getTransfer", [transit]);
        return t.status === "in_transit" ? undefined : t;
      });
    const credited = await ended(toBob);
    const refunded = await ended(toStranger);
    assert.equal(credited.status, "credited");
    assert.ok(Number(credited.endedAt) - Number(credited.departedAt) <= 2, "credited within two blocks");
    assert.equal(refunded.status, "refunded");
    assert.deepEqual(
      credited.receipts.map((r) => r.kind),
      ["DEPARTURE", "ARRIVAL"],
    );
    assert.deepEqual(
      refunded.receipts.map((r) => r.kind),
      ["DEPARTURE", "REFUSAL"],
    );
    for (const r of credited.receipts) assert.equal(r.amount, String(AMOUNT));

    // Balances agree once the escrows are retired and refunded at the origin (one block later).
    await waitFor("the origin to settle both escrows", 30_000, async () =>
      (await balance(PK, alice.publicKey)) === aliceBefore - AMOUNT - 2n * FEE ? true : undefined,
    );
    assert.equal(await balance(AE, bob.publicKey), bobBefore + AMOUNT);
    assert.equal(await balance(AE, stranger), 0n);

    for (const receipt of [...credited.receipts, ...refunded.receipts]) {
      const answer = await client.call<CorridorReceiptProofJson>("mass_getCorridorReceipt", [
        credited.corridor,
        receipt.sequence,
      ]);
      const digest = receiptDigest(answer.receipt);
      assert.equal(toHex(digest), answer.digest, "digest = SHA-256(SSZ(receipt))");
      const root = mmrRootFromProof(digest, answer.mmr.proof);
      assert.equal(toHex(root), answer.mmr.root, "the digest is in the MMR");
      const corridors = await client.call<unknown[]>("mass_listCorridors");
      const leaf = corridorLeaf(credited.corridor!, root, Number(answer.mmr.size));
      const corridorRoot = rfc9162Root(
        leaf,
        answer.corridorLeafIndex,
        corridors.length,
        answer.corridorSiblings.map(bytes),
      );
      const block = await waitFor(`block ${answer.height} to be final`, 30_000, async () => {
        const b = await client.call<BlockJson>("mass_getBlockByHeight", [answer.height]);
        return b.finality === null ? undefined : b;
      });
      assert.equal(toHex(corridorRoot), block.header.corridorRoot, "the MMR is anchored in the header");
      assert.equal(toHex(headerHash(block.header)), block.hash, "the header hashes to the block hash");
      checkFinality(block, genesis);
    }
  });
});
