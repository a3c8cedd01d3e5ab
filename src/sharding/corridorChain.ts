import { Mmr } from "../crypto/mmr.js";
import type { CorridorParams, CorridorState } from "../types/corridor.js";
import { asciiBytes, asciiString } from "../types/primitives.js";
import type { CorridorRecord } from "./ledgerStore.js";
import type { CorridorLifecycle } from "./lifecycle.js";
import { ZERO_DIGEST } from "./receipts.js";

/** A corridor as reads see it (RPC `mass_getCorridor`). */
export interface CorridorView {
  id: string;
  state: CorridorState;
  /** Sorted. */
  harbors: readonly [string, string];
  params: CorridorParams;
  receiptCount: number;
  /** 32 zero bytes while the corridor has no receipt. */
  mmrRoot: Uint8Array;
  mmrSize: number;
  /** The harbor that moved the corridor into its state (proposer of PENDING, suspender, halter). */
  initiator?: string;
  /** On a HALTED corridor, the harbor that proposed resuming it. */
  resumeProposer?: string;
}

const optionalHarbor = (bytes: Uint8Array): string | undefined =>
  bytes.length === 0 ? undefined : asciiString(bytes);

export function lifecycleOf(record: CorridorRecord): CorridorLifecycle {
  return {
    state: record.state,
    initiator: optionalHarbor(record.initiator),
    resumeProposer: optionalHarbor(record.resumeProposer),
  };
}

export function recordOf(
  lifecycle: CorridorLifecycle,
  params: CorridorParams,
  receiptCount: number,
): CorridorRecord {
  return {
    state: lifecycle.state,
    params,
    receiptCount,
    initiator: asciiBytes(lifecycle.initiator ?? ""),
    resumeProposer: asciiBytes(lifecycle.resumeProposer ?? ""),
  };
}

/** One corridor's committed receipt chain in memory: its MMR, each receipt's height, its lifecycle. */
export class CorridorChain {
  readonly mmr = new Mmr();
  /** heights[sequence]: the block of each receipt, never decreasing. */
  private readonly heights: number[] = [];
  private last: Uint8Array = ZERO_DIGEST;

  constructor(
    readonly id: string,
    readonly harbors: readonly [string, string],
    public lifecycle: CorridorLifecycle,
    readonly params: CorridorParams,
  ) {}

  get size(): number {
    return this.mmr.size;
  }

  /** Digest of the last receipt (the next one's `previous`); 32 zero bytes when none. */
  get lastDigest(): Uint8Array {
    return this.last;
  }

  append(digest: Uint8Array, height: number): void {
    this.mmr.append(digest);
    this.heights.push(height);
    this.last = digest;
  }

  heightOf(sequence: number): number | undefined {
    return this.heights[sequence];
  }

  /** Receipts in blocks up to `height`: the MMR size a header at that height commits. */
  sizeAt(height: number): number {
    let lo = 0;
    let hi = this.heights.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.heights[mid]! <= height) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The MMR root over the first `size` receipts; 32 zero bytes when size is 0. */
  rootAt(size: number): Uint8Array {
    return this.mmr.root(size) ?? ZERO_DIGEST;
  }

  view(): CorridorView {
    return {
      id: this.id,
      state: this.lifecycle.state,
      harbors: this.harbors,
      params: this.params,
      receiptCount: this.size,
      mmrRoot: this.rootAt(this.size),
      mmrSize: this.size,
      ...(this.lifecycle.initiator !== undefined && { initiator: this.lifecycle.initiator }),
      ...(this.lifecycle.resumeProposer !== undefined && { resumeProposer: this.lifecycle.resumeProposer }),
    };
  }
}
