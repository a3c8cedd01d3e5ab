/** A signal that aborts after a time or with any of its parents, and the means to release it. */
export interface Deadline {
  signal: AbortSignal;
  /** Whether it aborted because the time ran out (not a parent). */
  timedOut(): boolean;
  /** Releases the timer and the parents' listeners; call it once the guarded work is done. */
  clear(): void;
}

/**
 * `AbortSignal.any([...parents, AbortSignal.timeout(ms)])` without its Node 20 defect: the combined
 * signal can be garbage-collected while its timer is pending, and then never fires
 * (nodejs/node#57736), leaving a request waiting forever. This one holds its own timer.
 */
export function deadline(ms: number, ...parents: (AbortSignal | undefined)[]): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = (event: Event) =>
    controller.abort((event.target as AbortSignal | null)?.reason ?? new Error("aborted"));
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError"));
  }, ms);
  const live = parents.filter((p): p is AbortSignal => p !== undefined);
  for (const parent of live) {
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    parent.addEventListener("abort", onParentAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear: () => {
      clearTimeout(timer);
      for (const parent of live) parent.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
