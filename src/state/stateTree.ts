import { sha256, sha256Concat } from "../crypto/hash.js";
import { merkleNodeHash } from "../crypto/merkle.js";
import { bytesEqual, compareBytes } from "../util/bytes.js";

/**
 * The authenticated state of one harbor: a key-value map committed by a fixed-depth Merkle tree
 * over hash buckets. A key falls in bucket `first BUCKET_BITS bits of SHA-256(key)`; a bucket's hash
 * commits to its entries sorted by key; the tree over the 2^BUCKET_BITS bucket hashes uses the Merkle
 * node hash of crypto/merkle.ts. A write rehashes one bucket and BUCKET_BITS nodes, whatever the
 * state size, and a proof (the bucket's entries plus BUCKET_BITS siblings) shows a key's value or
 * its absence.
 *
 * 2^16 buckets keep buckets near 15 entries at a million keys (small proofs, cheap rehash) while
 * the tree stays 16 levels; empty subtrees use precomputed default hashes, so memory follows occupancy.
 */
export const BUCKET_BITS = 16;
const BUCKETS = 2 ** BUCKET_BITS;

const BUCKET_PREFIX = new Uint8Array([0x02]);

export interface StateEntry {
  key: Uint8Array;
  value: Uint8Array;
}

export interface StateProof {
  bucket: number;
  /** Every entry of the key's bucket, sorted by key. */
  entries: StateEntry[];
  /** Sibling hashes from the bucket level up to the root. */
  siblings: Uint8Array[];
}

export function bucketOf(key: Uint8Array): number {
  const h = sha256(key);
  return (h[0]! << 8) | h[1]!;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** SHA-256(0x02 ‖ for each entry in key order: len(key) u32 ‖ key ‖ len(value) u32 ‖ value). */
export function bucketHash(entries: readonly StateEntry[]): Uint8Array {
  const parts: Uint8Array[] = [BUCKET_PREFIX];
  for (const { key, value } of entries) parts.push(u32(key.length), key, u32(value.length), value);
  return sha256Concat(...parts);
}

/** DEFAULTS[h] = root of an all-empty subtree of height h (h = 0 is an empty bucket). */
const DEFAULTS: Uint8Array[] = [bucketHash([])];
for (let h = 1; h <= BUCKET_BITS; h++) DEFAULTS.push(merkleNodeHash(DEFAULTS[h - 1]!, DEFAULTS[h - 1]!));

/** Root of a tree that holds nothing. */
export const EMPTY_STATE_ROOT = DEFAULTS[BUCKET_BITS]!;

export class StateTree {
  /** Non-default nodes by heap index (root 1; bucket b at BUCKETS + b). */
  private readonly nodes = new Map<number, Uint8Array>();
  /** Bucket contents: bucket → (key as latin1 string → entry). */
  private readonly buckets = new Map<number, Map<string, StateEntry>>();
  private readonly dirty = new Set<number>();

  get(key: Uint8Array): Uint8Array | undefined {
    return this.buckets.get(bucketOf(key))?.get(keyId(key))?.value;
  }

  /** Sets (or, with `undefined`, deletes) a key. The root is updated lazily by `root()`. */
  set(key: Uint8Array, value: Uint8Array | undefined): void {
    const b = bucketOf(key);
    let bucket = this.buckets.get(b);
    if (value === undefined) {
      if (bucket?.delete(keyId(key)) !== true) return;
      if (bucket.size === 0) this.buckets.delete(b);
    } else {
      if (bucket === undefined) {
        bucket = new Map();
        this.buckets.set(b, bucket);
      }
      bucket.set(keyId(key), { key, value });
    }
    this.dirty.add(b);
  }

  /** Rehashes the buckets changed since the last call and their ancestors; returns the root. */
  root(): Uint8Array {
    // Recompute ancestors level by level, each parent once: sorted indices make siblings adjacent.
    let level = Array.from(this.dirty, (b) => BUCKETS + b).sort((a, b) => a - b);
    this.dirty.clear();
    for (const i of level) this.setNode(i, bucketHash(this.sortedEntries(i - BUCKETS)), 0);
    for (let h = 1; h <= BUCKET_BITS; h++) {
      const parents: number[] = [];
      for (const i of level) {
        const p = i >> 1;
        if (parents[parents.length - 1] !== p) parents.push(p);
      }
      for (const p of parents)
        this.setNode(p, merkleNodeHash(this.node(2 * p, h - 1), this.node(2 * p + 1, h - 1)), h);
      level = parents;
    }
    return this.node(1, BUCKET_BITS);
  }

  proof(key: Uint8Array): StateProof {
    this.root();
    const bucket = bucketOf(key);
    const siblings: Uint8Array[] = [];
    for (let i = BUCKETS + bucket, h = 0; i > 1; i >>= 1, h++) siblings.push(this.node(i ^ 1, h));
    return { bucket, entries: this.sortedEntries(bucket), siblings };
  }

  /** Every entry, in no particular order (for persistence and snapshots). */
  *entries(): IterableIterator<StateEntry> {
    for (const bucket of this.buckets.values()) yield* bucket.values();
  }

  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.size;
    return n;
  }

  private sortedEntries(b: number): StateEntry[] {
    return [...(this.buckets.get(b)?.values() ?? [])].sort((x, y) => compareBytes(x.key, y.key));
  }

  private node(index: number, height: number): Uint8Array {
    return this.nodes.get(index) ?? DEFAULTS[height]!;
  }

  private setNode(index: number, hash: Uint8Array, height: number): void {
    if (bytesEqual(hash, DEFAULTS[height]!)) this.nodes.delete(index);
    else this.nodes.set(index, hash);
  }
}

function keyId(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
}

/**
 * Checks a proof against a state root. Returns the key's value, `null` when the proof shows the key
 * is absent, or `undefined` when the proof is invalid. Never throws on malformed input.
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: StateProof,
): Uint8Array | null | undefined {
  if (
    typeof proof !== "object" ||
    proof === null ||
    !Array.isArray(proof.entries) ||
    !Array.isArray(proof.siblings)
  ) {
    return undefined;
  }
  const { bucket, entries, siblings } = proof;
  if (bucket !== bucketOf(key) || siblings.length !== BUCKET_BITS) return undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!(e?.key instanceof Uint8Array) || !(e.value instanceof Uint8Array) || bucketOf(e.key) !== bucket)
      return undefined;
    if (i > 0 && compareBytes(entries[i - 1]!.key, e.key) >= 0) return undefined;
  }
  let hash = bucketHash(entries);
  let index = BUCKETS + bucket;
  for (const sibling of siblings) {
    if (!(sibling instanceof Uint8Array) || sibling.length !== 32) return undefined;
    hash = index % 2 === 0 ? merkleNodeHash(hash, sibling) : merkleNodeHash(sibling, hash);
    index >>= 1;
  }
  if (!bytesEqual(hash, root)) return undefined;
  return entries.find((e) => bytesEqual(e.key, key))?.value ?? null;
}
