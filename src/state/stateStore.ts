import { ByteListType } from "@chainsafe/ssz";
import { sha256Concat } from "../crypto/hash.js";
import { merkleRoot } from "../crypto/merkle.js";
import { asciiBytes } from "../types/primitives.js";
import { MassError } from "../util/errors.js";
import { Bucket, type Database, type Repository, type WriteBatch } from "./db/index.js";
import { type StateProof, StateTree } from "./stateTree.js";

/** State values are SSZ-encoded by their writers; the store keeps them as opaque bytes. */
const StateValue = new ByteListType(1 << 20);
const SEPARATOR = new Uint8Array([0]);

export enum StateErrorCode {
  UnknownHarbor = "STATE_UNKNOWN_HARBOR",
}

export class StateError extends MassError<StateErrorCode> {}

/** One state change of a block: an empty value deletes the key (the executor's write-set form). */
export interface StateWrite {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * Every harbor's state: held in memory (one StateTree per harbor, so execution reads synchronously
 * and roots update incrementally) and persisted in the StateEntries bucket, written in the same
 * atomic batch as the block that produced it. Opening loads it back, so a restart resumes exactly.
 *
 * The whole state must fit in memory: about 200 bytes per entry, so 1M accounts ≈ 200 MB.
 */
export class StateStore {
  private readonly trees = new Map<string, StateTree>();
  /** The same entries keyed by hex state key: the executor's read form, kept in step with the trees. */
  private readonly views = new Map<string, Map<string, Uint8Array>>();
  private readonly repository: Repository<Uint8Array>;

  private constructor(
    db: Database,
    private readonly harbors: readonly string[],
  ) {
    this.repository = db.repository(Bucket.StateEntries, StateValue);
    for (const h of harbors) {
      this.trees.set(h, new StateTree());
      this.views.set(h, new Map());
    }
  }

  static async open(db: Database, harbors: readonly string[]): Promise<StateStore> {
    const store = new StateStore(db, harbors);
    for await (const [key, value] of store.repository.entries()) {
      const sep = key.indexOf(0);
      const harbor = Buffer.from(key.subarray(0, sep)).toString("latin1");
      const stateKey = key.slice(sep + 1);
      store.trees.get(harbor)?.set(stateKey, value);
      store.views.get(harbor)?.set(Buffer.from(stateKey).toString("hex"), value);
    }
    return store;
  }

  /** Whether nothing was ever written (a fresh database, before genesis state). */
  get isEmpty(): boolean {
    for (const tree of this.trees.values()) if (tree.size > 0) return false;
    return true;
  }

  get(harbor: string, keyHex: string): Uint8Array | undefined {
    return this.view(harbor).get(keyHex);
  }

  /** A synchronous reader of one harbor, for the executor. */
  reader(harbor: string): { get(keyHex: string): Uint8Array | undefined } {
    const view = this.view(harbor);
    return { get: (keyHex) => view.get(keyHex) };
  }

  /**
   * The harbor's whole state keyed by hex state key: the executor's start-of-block snapshot. It is
   * the live map, not a copy: valid until the next `apply` (a worker thread gets its own clone).
   */
  snapshot(harbor: string): ReadonlyMap<string, Uint8Array> {
    return this.view(harbor);
  }

  /** Applies a harbor's write-set in memory and adds it to `batch` (persisted when the batch is written). */
  apply(batch: WriteBatch, harbor: string, writes: readonly StateWrite[]): void {
    const tree = this.tree(harbor);
    const view = this.view(harbor);
    const prefix = asciiBytes(harbor);
    for (const { key, value } of writes) {
      const dbKey = entryKey(prefix, key);
      const keyHex = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("hex");
      if (value.length === 0) {
        tree.set(key, undefined);
        view.delete(keyHex);
        batch.delete(this.repository, dbKey);
      } else {
        tree.set(key, value);
        view.set(keyHex, value);
        batch.put(this.repository, dbKey, value);
      }
    }
  }

  harborRoot(harbor: string): Uint8Array {
    return this.tree(harbor).root();
  }

  /**
   * The state root: an RFC 9162 Merkle root over SHA-256(harbor id ‖ 0x00 ‖ harbor root), harbors in
   * genesis order, so a light client proves a cell with a harbor proof plus one Merkle path.
   */
  stateRoot(): Uint8Array {
    return merkleRoot(this.harbors.map((h) => this.harborLeaf(h)));
  }

  harborLeaf(harbor: string): Uint8Array {
    return sha256Concat(asciiBytes(harbor), SEPARATOR, this.harborRoot(harbor));
  }

  proof(harbor: string, keyHex: string): StateProof {
    return this.tree(harbor).proof(Buffer.from(keyHex, "hex"));
  }

  private view(harbor: string): Map<string, Uint8Array> {
    const view = this.views.get(harbor);
    if (view === undefined) throw new StateError(StateErrorCode.UnknownHarbor, `unknown harbor "${harbor}"`);
    return view;
  }

  private tree(harbor: string): StateTree {
    const tree = this.trees.get(harbor);
    if (tree === undefined) throw new StateError(StateErrorCode.UnknownHarbor, `unknown harbor "${harbor}"`);
    return tree;
  }
}

/** DB key of a state entry: harbor id ‖ 0x00 ‖ state key (harbor ids are printable ASCII, never 0x00). */
function entryKey(harbor: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(harbor.length + 1 + key.length);
  out.set(harbor);
  out.set(key, harbor.length + 1);
  return out;
}
