/**
 * Read-only state of one harbor as of a block's start, keyed by hex state keys (state/keys.ts). The
 * chain layer provides it (from its database); the executor never writes through it.
 */
export interface StateReader {
  get(keyHex: string): Uint8Array | undefined;
}

/** A snapshot held in memory: what a harbor task carries to a worker thread. */
export type HarborSnapshot = ReadonlyMap<string, Uint8Array>;

export function snapshotReader(snapshot: HarborSnapshot): StateReader {
  return { get: (keyHex) => snapshot.get(keyHex) };
}
