/** An inclusive range of integers (milliseconds, counts). */
export interface Range {
  min: number;
  max: number;
}

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same fault schedule, so a failing run
 * can be replayed with its seed. Not for cryptography.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in `range`, both ends included. */
  between(range: Range): number {
    return range.min + Math.floor(this.next() * (range.max - range.min + 1));
  }

  /** `count` distinct integers from 0 to n - 1. */
  distinct(n: number, count: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, count);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns them. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** A seed given as text (CHAOS_SEED, --seed): an integer, kept to 32 bits by the PRNG. */
export function parseSeed(text: string, what: string): number {
  const seed = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(seed))
    throw new Error(`${what} must be an integer, got "${text}"`);
  return seed;
}
