import type { TensorView } from "../../compliance/tensor.js";
import {
  Account,
  Arrival,
  AssetRecord,
  type CorridorMessage,
  Lock,
  type LogEntry,
  MAX_RECEIPT_STORAGE_MUTATIONS,
  ReceiptChainHead,
  type StorageMutation,
  TensorCell,
  type TensorUpdate,
  type WriteEntry,
} from "../../types/execution.js";
import { compareBytes, toHex } from "../../util/bytes.js";
import { Fault, FaultCode } from "../errors.js";
import { type Program, programOf } from "../program.js";
import { bytesToWord, type Word, wordToBytes } from "../word.js";
import { Journal } from "./journal.js";
import { accountKey, assetKey, NATIVE_CHAIN_KEY, storageKey, tensorKey } from "./keys.js";
import type { StateReader } from "./reader.js";
import { Table } from "./table.js";

const STORAGE_VALUE_CODEC = {
  serialize: (v: Word) => wordToBytes(v),
  deserialize: (b: Uint8Array) => bytesToWord(b),
};

/** A deployed asset as the interpreter sees it: decoded code and a word-keyed storage cache. */
export interface AssetState {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly idWord: Word;
  readonly program: Program;
  /** Current value of every slot read or written so far (0 = absent). */
  readonly storage: Map<Word, Word>;
  /** Slots written during this block (candidates for the write-set). */
  readonly written: Set<Word>;
}

/** Side effects of the current execution, truncated when a frame rolls back. */
export interface Effects {
  logs: LogEntry[];
  tensorUpdates: TensorUpdate[];
  attestations: Uint8Array[];
  messages: CorridorMessage[];
  refund: number;
}

export interface Checkpoint {
  journal: number;
  logs: number;
  tensorUpdates: number;
  attestations: number;
  messages: number;
  refund: number;
}

export const ZERO32 = new Uint8Array(32);

/**
 * A harbor's state during one block: the start-of-block snapshot plus every write so far. Frames
 * journal their writes so REVERT and out-of-gas can undo them; `writeSet()` yields the block's changes.
 */
export class World implements TensorView {
  readonly journal = new Journal();
  readonly accounts: Table<Account>;
  readonly assetRecords: Table<AssetRecord>;
  readonly tensor: Table<TensorCell>;
  readonly locks: Table<Lock>;
  readonly arrivals: Table<Arrival>;
  readonly nativeChain: Table<ReceiptChainHead>;
  private readonly assets = new Map<string, AssetState | null>();
  effects: Effects = emptyEffects();
  /** Storage values at the start of the current execution, for the receipt's mutations. */
  private originals = new Map<AssetState, Map<Word, Word>>();
  /** Slots touched in the current transaction (SLOAD is cheaper on them). */
  private warm = new Map<AssetState, Set<Word>>();
  private mutationCount = 0;

  constructor(readonly reader: StateReader) {
    this.accounts = new Table(reader, Account, this.journal);
    this.assetRecords = new Table(reader, AssetRecord, this.journal);
    this.tensor = new Table(reader, TensorCell, this.journal);
    this.locks = new Table(reader, Lock, this.journal);
    this.arrivals = new Table(reader, Arrival, this.journal);
    this.nativeChain = new Table(reader, ReceiptChainHead, this.journal);
  }

  getAccount(address: Uint8Array): Account {
    return this.accounts.get(accountKey(address)) ?? { balance: 0n, nonce: 0 };
  }

  setAccount(address: Uint8Array, account: Account): void {
    this.accounts.set(accountKey(address), account);
  }

  getNativeChain(): ReceiptChainHead {
    return this.nativeChain.get(NATIVE_CHAIN_KEY) ?? { head: ZERO32, count: 0 };
  }

  setNativeChain(head: ReceiptChainHead): void {
    this.nativeChain.set(NATIVE_CHAIN_KEY, head);
  }

  getCell(subject: Uint8Array, jurisdiction: string, domain: number): TensorCell | undefined {
    return this.tensor.get(tensorKey(subject, jurisdiction, domain));
  }

  /** The asset with this id, or undefined if none is deployed. */
  getAsset(id: Uint8Array): AssetState | undefined {
    const idHex = toHex(id).slice(2);
    let asset = this.assets.get(idHex);
    if (asset === undefined) {
      const record = this.assetRecords.get(assetKey(id));
      asset = record === undefined ? null : this.assetState(id, idHex, record);
      this.assets.set(idHex, asset);
    }
    return asset ?? undefined;
  }

  getAssetRecord(id: Uint8Array): AssetRecord | undefined {
    return this.assetRecords.get(assetKey(id));
  }

  /** Records a deployed or updated asset (outside any frame). */
  putAssetRecord(id: Uint8Array, record: AssetRecord): void {
    this.assetRecords.set(assetKey(id), record);
    const idHex = toHex(id).slice(2);
    if (this.assets.get(idHex) == null) this.assets.set(idHex, this.assetState(id, idHex, record));
  }

  private assetState(id: Uint8Array, idHex: string, record: AssetRecord): AssetState {
    return {
      id,
      idHex,
      idWord: bytesToWord(id),
      program: programOf(record.code),
      storage: new Map(),
      written: new Set(),
    };
  }

  isWarm(asset: AssetState, key: Word): boolean {
    let set = this.warm.get(asset);
    if (set === undefined) {
      set = new Set();
      this.warm.set(asset, set);
    }
    if (set.has(key)) return true;
    set.add(key);
    return false;
  }

  sload(asset: AssetState, key: Word): Word {
    let value = asset.storage.get(key);
    if (value === undefined) {
      const bytes = this.reader.get(storageKey(asset.idHex, key));
      value = bytes === undefined ? 0 : STORAGE_VALUE_CODEC.deserialize(bytes);
      asset.storage.set(key, value);
    }
    return value;
  }

  /** Journaled slot write; value 0 deletes. Returns the previous value. */
  sstore(asset: AssetState, key: Word, value: Word): Word {
    const prev = this.sload(asset, key);
    let originals = this.originals.get(asset);
    if (originals === undefined) {
      originals = new Map();
      this.originals.set(asset, originals);
    }
    if (!originals.has(key)) {
      if (++this.mutationCount > MAX_RECEIPT_STORAGE_MUTATIONS) {
        throw new Fault(FaultCode.ReceiptLimit, "too many storage mutations");
      }
      originals.set(key, prev);
    }
    this.journal.record(asset.storage, key);
    asset.storage.set(key, value);
    asset.written.add(key);
    this.isWarm(asset, key);
    return prev;
  }

  checkpoint(): Checkpoint {
    const e = this.effects;
    return {
      journal: this.journal.length,
      logs: e.logs.length,
      tensorUpdates: e.tensorUpdates.length,
      attestations: e.attestations.length,
      messages: e.messages.length,
      refund: e.refund,
    };
  }

  rollback(cp: Checkpoint): void {
    this.journal.rollback(cp.journal);
    const e = this.effects;
    e.logs.length = cp.logs;
    e.tensorUpdates.length = cp.tensorUpdates;
    e.attestations.length = cp.attestations;
    e.messages.length = cp.messages;
    e.refund = cp.refund;
  }

  /** Starts a transaction's execution: fresh effects, warm set and mutation tracking. */
  beginExecution(): void {
    this.effects = emptyEffects();
    this.originals = new Map();
    this.warm = new Map();
    this.mutationCount = 0;
    this.journal.clear();
  }

  /** Storage slots whose value changed during the execution, in first-write order. */
  storageMutations(): StorageMutation[] {
    const out: StorageMutation[] = [];
    for (const [asset, originals] of this.originals) {
      for (const [key, old] of originals) {
        const now = asset.storage.get(key) ?? 0;
        if (now === old) continue;
        out.push({ asset: asset.id, key: wordToBytes(key), old: wordToBytes(old), new: wordToBytes(now) });
      }
    }
    return out;
  }

  /** Every change against the snapshot, sorted by key: what the chain commits for this harbor. */
  writeSet(): WriteEntry[] {
    const out: WriteEntry[] = [];
    this.accounts.writeEntries(out);
    this.assetRecords.writeEntries(out);
    this.tensor.writeEntries(out);
    this.locks.writeEntries(out);
    this.arrivals.writeEntries(out);
    this.nativeChain.writeEntries(out);
    for (const asset of this.assets.values()) {
      if (asset === null) continue;
      for (const slot of asset.written) {
        const keyHex = storageKey(asset.idHex, slot);
        const value = asset.storage.get(slot) ?? 0;
        const before = this.reader.get(keyHex);
        const beforeWord = before === undefined ? 0 : STORAGE_VALUE_CODEC.deserialize(before);
        if (beforeWord === value) continue;
        out.push({
          key: new Uint8Array(Buffer.from(keyHex, "hex")),
          value: value === 0 ? new Uint8Array(0) : STORAGE_VALUE_CODEC.serialize(value),
        });
      }
    }
    out.sort((a, b) => compareBytes(a.key, b.key));
    return out;
  }
}

function emptyEffects(): Effects {
  return { logs: [], tensorUpdates: [], attestations: [], messages: [], refund: 0 };
}
