/**
 * Undo log for everything a frame may write. A checkpoint is the journal length; rolling back
 * replays the entries after it in reverse, restoring each map entry (or its absence).
 */
interface Entry {
  map: Map<unknown, unknown>;
  key: unknown;
  existed: boolean;
  prev: unknown;
}

export class Journal {
  private readonly entries: Entry[] = [];

  /** Call before `map.set(key, ...)`: remembers what `key` held. */
  record<K, V>(map: Map<K, V>, key: K): void {
    const existed = map.has(key);
    this.entries.push({
      map: map as Map<unknown, unknown>,
      key,
      existed,
      prev: existed ? map.get(key) : undefined,
    });
  }

  get length(): number {
    return this.entries.length;
  }

  rollback(to: number): void {
    for (let i = this.entries.length - 1; i >= to; i--) {
      const e = this.entries[i]!;
      if (e.existed) e.map.set(e.key, e.prev);
      else e.map.delete(e.key);
    }
    this.entries.length = to;
  }

  /** Forget undo information (the outermost execution finished). */
  clear(): void {
    this.entries.length = 0;
  }
}
