import type { MassClient } from "../../src/rpc/client.js";
import type { BlockJson } from "./rpc.js";

/** One periodic throughput line of a run. */
export interface Progress {
  atSeconds: number;
  accepted: number;
  acceptedPerSecond: number;
  refused: number;
  failedSubmissions: number;
  /** Per validator; null where it did not answer (down, frozen or busy). */
  heights: (number | null)[];
  finalizedHeights: (number | null)[];
  /** Transactions in final blocks so far, counting every transaction on the chain. */
  finalizedTxs: number;
  finalizedTxPerSecond: number;
}

/**
 * Counts transactions in final blocks by reading each new final block once from whichever
 * validator answers; its total only grows, so two samples give a finalization rate.
 */
export class FinalizedTxCounter {
  private scannedHeight = 0;
  total = 0;

  constructor(private readonly clients: readonly MassClient[]) {}

  /** Scans up to the finalized height of the first of `candidates` that answers. */
  async update(candidates: readonly number[]): Promise<void> {
    for (const v of candidates) {
      try {
        await this.scan(this.clients[v]!);
        return;
      } catch {
        // The next candidate may answer; the count resumes where this one stopped.
      }
    }
  }

  private async scan(client: MassClient): Promise<void> {
    const info = await client.call<{ finalizedHeight: string }>("mass_chainInfo");
    for (let h = this.scannedHeight + 1; h <= Number(info.finalizedHeight); h++) {
      const block = await client.call<BlockJson>("mass_getBlockByHeight", [String(h)]);
      if (block.finality === null) return;
      this.total += block.transactions.length;
      this.scannedHeight = h;
    }
  }
}
