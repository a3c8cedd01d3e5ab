import type { WriteEntry } from "../../types/execution.js";
import { fromHex } from "../../util/bytes.js";
import { VmError, VmErrorCode } from "../errors.js";
import type { Journal } from "./journal.js";
import type { StateReader } from "./reader.js";

/** The SSZ codec of a table's values. */
export interface Codec<T> {
  serialize(value: T): Uint8Array;
  deserialize(bytes: Uint8Array): T;
}

const EMPTY = new Uint8Array(0);

/**
 * One kind of state entry over a snapshot: reads fall through to the snapshot once and are cached;
 * writes land in the cache (journaled when a frame may roll them back) and are remembered as dirty.
 * Values are treated as immutable: replace, never mutate, a cached value.
 */
export class Table<T> {
  private readonly cache = new Map<string, T | null>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly reader: StateReader,
    private readonly codec: Codec<T>,
    private readonly journal: Journal,
  ) {}

  get(keyHex: string): T | undefined {
    let value = this.cache.get(keyHex);
    if (value === undefined) {
      const bytes = this.reader.get(keyHex);
      if (bytes === undefined) {
        value = null;
      } else {
        try {
          value = this.codec.deserialize(bytes);
        } catch (err) {
          throw new VmError(VmErrorCode.InvalidState, `state entry ${keyHex} does not decode`, undefined, {
            cause: err,
          });
        }
      }
      this.cache.set(keyHex, value);
    }
    return value ?? undefined;
  }

  /** Writes (or deletes, with null) inside an execution frame: undone if the frame rolls back. */
  setJournaled(keyHex: string, value: T | null): void {
    this.get(keyHex);
    this.journal.record(this.cache, keyHex);
    this.cache.set(keyHex, value);
    this.dirty.add(keyHex);
  }

  /** Writes outside any frame (transaction bookkeeping: nonces, fees, receipt chain heads). */
  set(keyHex: string, value: T | null): void {
    this.cache.set(keyHex, value);
    this.dirty.add(keyHex);
  }

  /** Entries whose final value differs from the snapshot. */
  writeEntries(out: WriteEntry[]): void {
    for (const keyHex of this.dirty) {
      const value = this.cache.get(keyHex) ?? null;
      const before = this.reader.get(keyHex);
      const after = value === null ? undefined : this.codec.serialize(value);
      if (before === undefined && after === undefined) continue;
      if (before !== undefined && after !== undefined && Buffer.compare(before, after) === 0) continue;
      out.push({ key: fromHex(`0x${keyHex}`), value: after ?? EMPTY });
    }
  }
}
