import { ByteListType } from "@chainsafe/ssz";
import { Bucket, type Database, type Repository } from "../state/db/index.js";
import { MAX_TX_BYTES } from "../types/limits.js";
import { errorMessage } from "../util/errors.js";
import type { TxPoolJournal } from "./txPool.js";

const EncodedTx = new ByteListType(MAX_TX_BYTES);

/**
 * The pool's journal in the node's LevelDB. Writes are not fsynced: they survive a killed process
 * (the OS holds them), which is the crash a validator restarts from; a power cut may lose the last.
 */
export class LevelPoolJournal implements TxPoolJournal {
  private readonly repository: Repository<Uint8Array>;

  constructor(
    db: Database,
    private readonly onError: (message: string) => void,
  ) {
    this.repository = db.repository(Bucket.ChainPoolJournal, EncodedTx);
  }

  added(hash: Uint8Array, bytes: Uint8Array): Promise<void> {
    return this.repository.put(hash, bytes);
  }

  removed(hash: Uint8Array): void {
    this.repository.delete(hash).catch((err) => this.onError(`pool journal: ${errorMessage(err)}`));
  }

  /** Every journaled transaction, for `TxPool.restore`. */
  async entries(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const [, bytes] of this.repository.entries()) out.push(bytes);
    return out;
  }
}
