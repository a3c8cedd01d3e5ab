import { bagPeaks, type Mmr, type MmrPeak, mmrLeafHash, mmrNodeHash } from "../crypto/mmr.js";

/**
 * The root an MMR would have after appending `leaves`, without appending them: a staged block's
 * corridor root must not touch the committed MMR, which can only grow. Same rules as Mmr.append
 * (merge equal-height peaks left to right), over the O(log n) peaks only.
 */
export function rootAfter(mmr: Mmr, leaves: readonly Uint8Array[]): Uint8Array | undefined {
  const peaks: MmrPeak[] = mmr.peaks();
  for (const leaf of leaves) {
    let peak: MmrPeak = { height: 0, hash: mmrLeafHash(leaf) };
    while (peaks.length > 0 && peaks.at(-1)!.height === peak.height) {
      const left = peaks.pop()!;
      peak = { height: peak.height + 1, hash: mmrNodeHash(left.hash, peak.hash) };
    }
    peaks.push(peak);
  }
  return bagPeaks(peaks.map((p) => p.hash));
}
