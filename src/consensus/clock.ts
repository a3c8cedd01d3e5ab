/** A pending timer; cancelling a fired or cancelled timer does nothing. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as consensus sees it. The node passes `systemClock`; the simulator passes a clock driven by
 * its event queue, so a run never reads wall time.
 */
export interface Clock {
  /** Milliseconds (unix time for the system clock, simulated time in the simulator). */
  now(): number;
  setTimer(delayMs: number, callback: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    // Consensus timers alone never keep the process alive; the node's network and RPC do.
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
