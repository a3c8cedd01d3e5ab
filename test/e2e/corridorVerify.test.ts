import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { migrateTx, signTransaction, TRANSFER_GAS_LIMIT } from "../../src/client/index.js";
import { sign } from "../../src/crypto/ed25519.js";
import { type KeyPair, readKeyFile } from "../../src/node/keyFile.js";
import type { MassClient } from "../../src/rpc/client.js";
import type {
  CorridorReceiptJson,
  CorridorReceiptProofJson,
  TransferJson,
} from "../../src/rpc/corridorJson.js";
import { CorridorReceipt } from "../../src/types/corridor.js";
import { migrationTransitId } from "../../src/vm/tx/migrate.js";
import { type Cluster, startCluster, toHex, waitFor } from "../helpers/cluster.js";
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

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/^0x/, ""), "hex");
const u64 = (n: bigint | number): Buffer => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(n));
  return out;
};
const node = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.from([1]), left, right);
const leafHash = (leaf: Uint8Array) => sha256(Buffer.from([0]), leaf);

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

/** MSEZ MMR: climb the path to the leaf's peak, then bag the peaks right to left. */
function mmrRoot(digest: Uint8Array, proof: CorridorReceiptProofJson["mmr"]["proof"]): Buffer {
  let hash = leafHash(digest);
  for (const step of proof.path) {
    hash = step.side === "left" ? node(bytes(step.hash), hash) : node(hash, bytes(step.hash));
  }
  const peaks = proof.peaks.map((p) => bytes(p.hash));
  peaks[proof.peak_index] = hash;
  let bag = peaks.at(-1)!;
  for (let i = peaks.length - 2; i >= 0; i--) bag = node(peaks[i]!, bag);
  return bag;
}

/** RFC 9162 inclusion proof to the root. */
function merkleRootFromProof(leaf: Uint8Array, index: number, size: number, siblings: Buffer[]): Buffer {
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leaf);
  for (const p of siblings) {
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  assert.equal(sn, 0);
  return r;
}

function receiptDigest(json: CorridorReceiptJson): Buffer {
  return sha256(
    CorridorReceipt.serialize({
      sequence: Number(json.sequence),
      previous: bytes(json.previous),
      kind: json.kindCode,
      transitId: bytes(json.transitId),
      sourceHarbor: Buffer.from(json.sourceHarbor, "latin1"),
      destinationHarbor: Buffer.from(json.destinationHarbor, "latin1"),
      asset: bytes(json.asset),
      amount: BigInt(json.amount),
      sender: bytes(json.sender),
      recipient: bytes(json.recipient),
      height: Number(json.height),
      state: json.stateCode,
      evidence: bytes(json.evidence),
    }),
  );
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
      const root = mmrRoot(digest, answer.mmr.proof);
      assert.equal(toHex(root), answer.mmr.root, "the digest is in the MMR");
      const corridors = await client.call<unknown[]>("mass_listCorridors");
      const leaf = sha256(
        Buffer.from(credited.corridor!, "utf8"),
        Buffer.from([0]),
        root,
        u64(BigInt(answer.mmr.size)),
      );
      const corridorRoot = merkleRootFromProof(
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
