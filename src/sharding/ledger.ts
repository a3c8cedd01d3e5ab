import type { MmrConsistencyProof, MmrProof } from "../crypto/mmr.js";
import type { Database } from "../state/db/index.js";
import type { CorridorReceipt } from "../types/corridor.js";
import type { CorridorMessage } from "../types/execution.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { type CorridorAnchor, corridorInclusion, corridorRoot } from "./anchor.js";
import { CorridorBlock, type StagedCorridor } from "./corridorBlock.js";
import { CorridorChain, type CorridorView, lifecycleOf } from "./corridorChain.js";
import { corridorIdOf } from "./corridorId.js";
import { CorridorRound } from "./corridorRound.js";
import { ShardingError, ShardingErrorCode } from "./errors.js";
import { CorridorLedgerStore } from "./ledgerStore.js";
import type { LifecycleRequest } from "./lifecyclePlan.js";
import { PendingQueue } from "./pendingQueue.js";
import { corridorReceiptDigest } from "./receipts.js";
import { TransferBook } from "./transferBook.js";
import type { TransferRecord } from "./transfers.js";

/** Most receipts one `receipts()` page returns (RPC `mass_listCorridorReceipts`). */
export const MAX_RECEIPTS_PAGE = 100;

/** A corridor receipt with what an independent client needs to check it against a block header. */
export interface CorridorReceiptProof {
  receipt: CorridorReceipt;
  digest: Uint8Array;
  /** The block whose header's corridorRoot commits `mmr.size` and `mmr.root`: the receipt's own block. */
  height: number;
  mmr: { size: number; root: Uint8Array; proof: MmrProof };
  /** The corridor's leaf in that header's corridorRoot (RFC 9162 inclusion). */
  corridorLeafIndex: number;
  corridorSiblings: Uint8Array[];
}

export interface CorridorReceiptPage {
  data: { receipt: CorridorReceipt; digest: Uint8Array }[];
  /** The sequence the next page starts at; null on the last page. */
  nextCursor: number | null;
  hasNextPage: boolean;
}

/**
 * Every corridor's receipt chain and MMR, their lifecycles and the transfers in transit: the
 * sharding layer's state beside the harbors'. Blocks change it through `stage(height)`, atomically
 * with the block's write; reads see committed blocks only.
 */
export class CorridorLedger {
  private current: CorridorBlock | undefined;

  private constructor(
    private readonly store: CorridorLedgerStore,
    /** By id, in id order (the corridorRoot's leaf order). */
    private readonly chains: ReadonlyMap<string, CorridorChain>,
    private readonly book: TransferBook,
    private readonly queue: PendingQueue,
  ) {}

  static async open(db: Database, genesis: Genesis): Promise<CorridorLedger> {
    const store = new CorridorLedgerStore(db);
    const chains: CorridorChain[] = [];
    for (const declared of genesis.corridors) {
      const harbors = [asciiString(declared.harborA), asciiString(declared.harborB)] as const;
      const id = corridorIdOf(...harbors);
      const record = await store.record(id);
      const lifecycle = record === undefined ? { state: declared.state } : lifecycleOf(record);
      const chain = new CorridorChain(id, harbors, lifecycle, declared.params);
      for await (const leaf of store.leaves(id)) chain.append(leaf.digest, leaf.height);
      const expected = record?.receiptCount ?? 0;
      if (chain.size !== expected) {
        throw new ShardingError(
          ShardingErrorCode.CorruptLedger,
          `corridor ${id} records ${expected} receipts but the database holds ${chain.size}`,
          { id, expected, found: chain.size },
        );
      }
      chains.push(chain);
    }
    chains.sort((x, y) => (x.id < y.id ? -1 : 1));
    const book = new TransferBook(await store.openTransferList());
    const queue = await PendingQueue.open(store);
    return new CorridorLedger(store, new Map(chains.map((c) => [c.id, c])), book, queue);
  }

  /** Corridor messages waiting for delivery by the next blocks (answers, and departures held back). */
  get pending(): readonly CorridorMessage[] {
    return this.queue.messages;
  }

  /**
   * Starts the corridor work of the block at `height` (corridorRound.ts): what it delivers, and the
   * verdicts on its lifecycle transactions, signed by the harbors' authorities.
   */
  begin(
    height: number,
    requests: readonly LifecycleRequest[],
    authorityOf: (harbor: string) => Uint8Array | undefined,
  ): CorridorRound {
    return new CorridorRound(this.stage(height), this.queue, this.store, requests, authorityOf);
  }

  /** Corridor ids, sorted. */
  get ids(): string[] {
    return [...this.chains.keys()];
  }

  has(id: string): boolean {
    return this.chains.has(id);
  }

  view(id: string): CorridorView | undefined {
    return this.chains.get(id)?.view();
  }

  list(): CorridorView[] {
    return [...this.chains.values()].map((c) => c.view());
  }

  /** Value in flight through a corridor (departed, neither credited nor refunded). */
  inFlight(id: string): bigint {
    return this.book.inFlight(id);
  }

  /** The transfers in transit. */
  openTransfers(): TransferRecord[] {
    return this.book.openTransfers();
  }

  /** Starts the block at `height`; a block staged before and not committed is dropped. */
  stage(height: number): CorridorBlock {
    this.current?.discard();
    const block = new CorridorBlock(height, this.chains, this.store, this.book, (b, changes, transfers) =>
      this.commit(b, changes, transfers),
    );
    this.current = block;
    return block;
  }

  /** The corridorRoot a header at `height` commits (the chains as of the end of that block). */
  rootAt(height: number): Uint8Array {
    return corridorRoot(this.anchorsAt(height));
  }

  /** Receipt `sequence` of corridor `id` with its MMR and corridorRoot proofs; undefined if none. */
  async receiptProof(id: string, sequence: number): Promise<CorridorReceiptProof | undefined> {
    const chain = this.chainOf(id);
    const height = chain.heightOf(sequence);
    if (height === undefined) return undefined;
    const receipt = await this.store.receipt(id, sequence);
    if (receipt === undefined) {
      throw new ShardingError(ShardingErrorCode.CorruptLedger, `corridor ${id} lacks receipt ${sequence}`, {
        id,
        sequence,
      });
    }
    const size = chain.sizeAt(height);
    const { leafIndex, siblings } = corridorInclusion(this.anchorsAt(height), id);
    return {
      receipt,
      digest: corridorReceiptDigest(receipt),
      height,
      mmr: { size, root: chain.rootAt(size), proof: chain.mmr.proof(sequence, size) },
      corridorLeafIndex: leafIndex,
      corridorSiblings: siblings,
    };
  }

  /**
   * Proof that corridor `id`'s MMR as a header at `toHeight` commits it extends, unchanged, the MMR
   * a header at `fromHeight` commits; undefined while the corridor had no receipt at `fromHeight`
   * (every MMR extends the empty one).
   */
  consistencyProof(id: string, fromHeight: number, toHeight: number): MmrConsistencyProof | undefined {
    const chain = this.chainOf(id);
    if (!Number.isSafeInteger(fromHeight) || !Number.isSafeInteger(toHeight) || fromHeight > toHeight) {
      throw new ShardingError(
        ShardingErrorCode.InvalidHeightRange,
        `heights must be integers with from ≤ to, got ${fromHeight} and ${toHeight}`,
        { fromHeight, toHeight },
      );
    }
    const oldSize = chain.sizeAt(fromHeight);
    return oldSize === 0 ? undefined : chain.mmr.consistencyProof(oldSize, chain.sizeAt(toHeight));
  }

  /** Receipts of corridor `id` from sequence `cursor`, at most `limit` (1..MAX_RECEIPTS_PAGE). */
  async receipts(id: string, cursor: number, limit: number): Promise<CorridorReceiptPage> {
    const chain = this.chainOf(id);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RECEIPTS_PAGE) {
      throw new ShardingError(
        ShardingErrorCode.InvalidPageLimit,
        `a page holds 1 to ${MAX_RECEIPTS_PAGE} receipts, not ${limit}`,
        { limit },
      );
    }
    const from = Math.min(cursor, chain.size);
    const to = Math.min(from + limit, chain.size);
    const receipts = await this.store.receiptRange(id, from, to);
    const hasNextPage = to < chain.size;
    return {
      data: receipts.map((receipt) => ({ receipt, digest: corridorReceiptDigest(receipt) })),
      nextCursor: hasNextPage ? to : null,
      hasNextPage,
    };
  }

  transfer(transitId: Uint8Array): Promise<TransferRecord | undefined> {
    return this.store.transfer(transitId);
  }

  private anchorsAt(height: number): CorridorAnchor[] {
    return [...this.chains.values()].map((chain) => {
      const size = chain.sizeAt(height);
      return { id: chain.id, mmrRoot: size === 0 ? undefined : chain.rootAt(size), mmrSize: size };
    });
  }

  private chainOf(id: string): CorridorChain {
    const chain = this.chains.get(id);
    if (chain === undefined)
      throw new ShardingError(ShardingErrorCode.UnknownCorridor, `no corridor ${id}`, { id });
    return chain;
  }

  private commit(
    block: CorridorBlock,
    changes: readonly StagedCorridor[],
    transfers: readonly TransferRecord[],
  ): void {
    if (block !== this.current) {
      throw new ShardingError(
        ShardingErrorCode.StageClosed,
        `the corridor block at height ${block.height} was replaced by a later stage`,
        { height: block.height },
      );
    }
    this.current = undefined;
    for (const { chain, lifecycle, receipts } of changes) {
      for (const { digest } of receipts) chain.append(digest, block.height);
      chain.lifecycle = lifecycle;
    }
    this.book.apply(transfers);
  }
}
