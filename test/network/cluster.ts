import { createServer } from "node:net";
import { publicKeyOf } from "../../src/crypto/ed25519.js";
import type { NetworkMetrics } from "../../src/metrics/index.js";
import { P2PNetwork } from "../../src/network/p2pNetwork.js";
import type { CommitteeMember, NetworkConfig } from "../../src/network/types.js";

/** Test clusters of P2PNetworks on 127.0.0.1, each on a free port. */

/** A port the OS reports free right now (bound to port 0 and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export function secretKeyOf(index: number): Uint8Array {
  return new Uint8Array(32).fill(index + 1);
}

export async function makeCommittee(
  size: number,
  secrets = Array.from({ length: size }, (_, i) => secretKeyOf(i)),
) {
  const committee: CommitteeMember[] = [];
  for (let index = 0; index < size; index++) {
    committee.push({
      index,
      publicKey: publicKeyOf(secrets[index]!),
      multiaddr: `/ip4/127.0.0.1/tcp/${await freePort()}`,
    });
  }
  return committee;
}

export type NodeOptions = Partial<Omit<NetworkConfig, "index" | "committee">> & { metrics?: NetworkMetrics };

export function makeNode(committee: CommitteeMember[], index: number, options: NodeOptions = {}): P2PNetwork {
  const { metrics, ...rest } = options;
  return new P2PNetwork({ index, committee, secretKey: secretKeyOf(index), ...rest }, metrics ?? null);
}

/** Polls `predicate` every 10 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function fullyConnected(nodes: P2PNetwork[]): boolean {
  return nodes.every((node) => node.connectedPeers().length === nodes.length - 1);
}

/** Message i of a numbered stream: 4-byte big-endian counter, then filler. */
export function numbered(i: number, size = 64): Uint8Array {
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}

export function numberOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
}
