import type { Clock, Timer } from "../clock.js";

interface Event {
  time: number;
  seq: number;
  run: () => void | Promise<void>;
}

/**
 * A discrete-event scheduler over simulated milliseconds. Events at the same time run in the order
 * they were scheduled, so a run depends only on the seed.
 */
export class Scheduler {
  private heap: Event[] = [];
  private seq = 0;
  private time = 0;

  get now(): number {
    return this.time;
  }

  get pending(): number {
    return this.heap.length;
  }

  at(time: number, run: () => void | Promise<void>): void {
    this.push({ time: Math.max(time, this.time), seq: this.seq++, run });
  }

  after(delayMs: number, run: () => void | Promise<void>): void {
    this.at(this.time + Math.max(0, delayMs), run);
  }

  /** Removes and returns the next event, advancing time to it. */
  next(): Event | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    this.time = top.time;
    return top;
  }

  /** A clock for one validator incarnation: its timers die with `alive()` turning false. */
  clock(alive: () => boolean): Clock {
    return {
      now: () => this.time,
      setTimer: (delayMs, callback): Timer => {
        let cancelled = false;
        this.after(delayMs, () => {
          if (!cancelled && alive()) callback();
        });
        return { cancel: () => (cancelled = true) };
      },
    };
  }

  private less(a: Event, b: Event): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(e: Event): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
