import type { Type } from "@chainsafe/ssz";
import { ClassicLevel } from "classic-level";
import { errorMessage } from "../../util/errors.js";
import type { Bucket } from "./buckets.js";
import { DbError, DbErrorCode } from "./errors.js";

type Level = ClassicLevel<Uint8Array, Uint8Array>;
type BatchOp = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

export interface WriteOptions {
  /** fsync before resolving: for data whose loss after a crash would break safety (votes, commits). */
  sync?: boolean;
}

export interface RangeOptions {
  /** Inclusive lower bound of the key (without the bucket byte). */
  gte?: Uint8Array;
  /** Exclusive upper bound of the key (without the bucket byte). */
  lt?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

function prefixed(bucket: number, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = bucket;
  out.set(key, 1);
  return out;
}

/**
 * The node's single LevelDB. Keys are `bucket byte ‖ key`; values are SSZ. Use `repository()` for
 * typed access and `batch()` for atomic multi-bucket writes.
 */
/** LevelDB's table-file cache; bounded so the node's descriptor budget (node/fdBudget.ts) holds. */
export const DB_MAX_OPEN_FILES = 512;

export class Database {
  private closed = false;

  private constructor(
    private readonly level: Level,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<Database> {
    const level: Level = new ClassicLevel<Uint8Array, Uint8Array>(path, {
      keyEncoding: "view",
      valueEncoding: "view",
      maxOpenFiles: DB_MAX_OPEN_FILES,
    });
    try {
      await level.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === "LEVEL_LOCKED") {
        throw new DbError(
          DbErrorCode.Locked,
          `database ${path} is in use by another process (is another node running with this home?)`,
          { path },
          { cause: err },
        );
      }
      throw new DbError(
        DbErrorCode.OpenFailed,
        `cannot open database ${path}: ${errorMessage(cause ?? err)}`,
        { path },
        { cause: err },
      );
    }
    return new Database(level, path);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.level.close();
  }

  repository<V>(bucket: Bucket, type: Type<V>): Repository<V> {
    return new Repository(this, bucket, type);
  }

  /** Deletes every key of the given buckets (a repair discarding derived data it will fetch again). */
  async clearBuckets(buckets: readonly Bucket[]): Promise<void> {
    for (const bucket of buckets) {
      await this.level.clear({ gte: new Uint8Array([bucket]), lt: new Uint8Array([bucket + 1]) });
    }
  }

  batch(): WriteBatch {
    return new WriteBatch(this);
  }

  /** @internal */
  assertOpen(): Level {
    if (this.closed) throw new DbError(DbErrorCode.Closed, `database ${this.path} is closed`);
    return this.level;
  }

  /** @internal */
  async writeOps(ops: BatchOp[], options: WriteOptions): Promise<void> {
    if (ops.length === 0) return;
    // The chained form: abstract-level's array form costs about three times as much per operation.
    const batch = this.assertOpen().batch();
    for (const op of ops) {
      if (op.type === "put") batch.put(op.key, op.value);
      else batch.del(op.key);
    }
    await batch.write({ sync: options.sync ?? false });
  }
}

/** Typed access to one bucket. */
export class Repository<V> {
  constructor(
    private readonly db: Database,
    readonly bucket: Bucket,
    readonly type: Type<V>,
  ) {}

  key(key: Uint8Array): Uint8Array {
    return prefixed(this.bucket, key);
  }

  encode(value: V): Uint8Array {
    return this.type.serialize(value);
  }

  decode(bytes: Uint8Array, key?: Uint8Array): V {
    try {
      // LevelDB hands back Buffers; decode from a plain Uint8Array view so values never leak Buffer semantics.
      return this.type.deserialize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      throw new DbError(
        DbErrorCode.CorruptValue,
        `bucket ${this.bucket}: stored value does not decode as ${this.type.typeName}: ${errorMessage(err)}`,
        { bucket: this.bucket, key: key ? Buffer.from(key).toString("hex") : undefined },
        { cause: err },
      );
    }
  }

  async get(key: Uint8Array): Promise<V | undefined> {
    const bytes = await this.db.assertOpen().get(this.key(key));
    return bytes === undefined ? undefined : this.decode(bytes, key);
  }

  async getMany(keys: Uint8Array[]): Promise<(V | undefined)[]> {
    const values = await this.db.assertOpen().getMany(keys.map((k) => this.key(k)));
    return values.map((bytes, i) => (bytes === undefined ? undefined : this.decode(bytes, keys[i])));
  }

  async has(key: Uint8Array): Promise<boolean> {
    return this.db.assertOpen().has(this.key(key));
  }

  async put(key: Uint8Array, value: V, options: WriteOptions = {}): Promise<void> {
    await this.db.writeOps([{ type: "put", key: this.key(key), value: this.encode(value) }], options);
  }

  async delete(key: Uint8Array, options: WriteOptions = {}): Promise<void> {
    await this.db.writeOps([{ type: "del", key: this.key(key) }], options);
  }

  /** Entries in key order (keys returned without the bucket byte). */
  async *entries(range: RangeOptions = {}): AsyncGenerator<[Uint8Array, V]> {
    const iterator = this.db.assertOpen().iterator(this.levelRange(range));
    try {
      for await (const [key, value] of iterator) {
        const k = key.subarray(1);
        yield [k, this.decode(value, k)];
      }
    } finally {
      await iterator.close();
    }
  }

  async *keys(range: RangeOptions = {}): AsyncGenerator<Uint8Array> {
    const iterator = this.db.assertOpen().keys(this.levelRange(range));
    try {
      for await (const key of iterator) yield key.subarray(1);
    } finally {
      await iterator.close();
    }
  }

  /** Deletes every key in the range, in one atomic batch. Returns how many were deleted. */
  async deleteRange(
    range: Omit<RangeOptions, "reverse" | "limit">,
    options: WriteOptions = {},
  ): Promise<number> {
    const batch = new WriteBatch(this.db);
    for await (const key of this.keys(range)) batch.delete(this, key);
    const count = batch.length;
    await batch.write(options);
    return count;
  }

  private levelRange(range: RangeOptions) {
    return {
      gte: prefixed(this.bucket, range.gte ?? new Uint8Array(0)),
      lt: range.lt ? prefixed(this.bucket, range.lt) : new Uint8Array([this.bucket + 1]),
      reverse: range.reverse ?? false,
      limit: range.limit ?? -1,
    };
  }
}

/** Puts and deletes across repositories, applied atomically by `write()`. */
export class WriteBatch {
  private ops: BatchOp[] = [];

  constructor(private readonly db: Database) {}

  get length(): number {
    return this.ops.length;
  }

  put<V>(repository: Repository<V>, key: Uint8Array, value: V): this {
    this.ops.push({ type: "put", key: repository.key(key), value: repository.encode(value) });
    return this;
  }

  delete<V>(repository: Repository<V>, key: Uint8Array): this {
    this.ops.push({ type: "del", key: repository.key(key) });
    return this;
  }

  async write(options: WriteOptions = {}): Promise<void> {
    const ops = this.ops;
    this.ops = [];
    await this.db.writeOps(ops, options);
  }
}
