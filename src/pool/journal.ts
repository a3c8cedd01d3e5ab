import { ByteListType } from "@chainsafe/ssz";
import { Bucket, type Database, type Repository } from "../state/db/index.js";
import { MAX_TX_BYTES } from "../types/limits.js";
import { errorMessage } from "../util/errors.js";
import type { TxPoolJournal } from "./txPool.js";

const EncodedTx = new ByteListType(MAX_TX_BYTES);

/**
 * The pool's journal in the node's LevelDB. Writes are not fsynced: they survive a killed process
 * (the OS holds them), which is the crash a validator restarts from; a power cut may lose the last.
 * Additions and removals made in one turn of the event loop go out as one batch: one LevelDB write
 * per burst of client requests or per block, not one per transaction.
 */
export class LevelPoolJournal implements TxPoolJournal {
  private readonly repository: Repository<Uint8Array>;
  /** The open group: operations in call order (bytes undefined: a removal). */
  private group: { ops: [Uint8Array, Uint8Array | undefined][]; written: Promise<void> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly onError: (message: string) => void,
  ) {
    this.repository = db.repository(Bucket.ChainPoolJournal, EncodedTx);
  }

  added(hash: Uint8Array, bytes: Uint8Array): Promise<void> {
    const group = this.currentGroup();
    group.ops.push([hash, bytes]);
    return group.written;
  }

  removed(hash: Uint8Array): void {
    this.currentGroup().ops.push([hash, undefined]);
  }

  /** Every journaled transaction, for `TxPool.restore`. */
  async entries(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const [, bytes] of this.repository.entries()) out.push(bytes);
    return out;
  }

  private currentGroup() {
    if (this.group !== null) return this.group;
    const written = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        const group = this.group!;
        this.group = null;
        const batch = this.db.batch();
        for (const [hash, bytes] of group.ops) {
          if (bytes === undefined) batch.delete(this.repository, hash);
          else batch.put(this.repository, hash, bytes);
        }
        batch.write().then(resolve, (err) => {
          this.onError(`pool journal: ${errorMessage(err)}`);
          reject(err);
        });
      }),
    );
    // Removals alone have no waiter: a failure is reported through onError, not left unhandled.
    written.catch(() => undefined);
    this.group = { ops: [], written };
    return this.group;
  }
}
