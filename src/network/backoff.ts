import {
  RECONNECT_BACKOFF_FACTOR,
  RECONNECT_INITIAL_DELAY_MS,
  RECONNECT_JITTER,
  RECONNECT_MAX_DELAY_MS,
} from "./constants.js";

/** Exponential backoff with jitter: attempt 0 waits about the initial delay, each failure doubles it up to the cap. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** The delay before the next attempt, in ms; counts the attempt. */
  nextDelay(): number {
    const base = Math.min(
      RECONNECT_MAX_DELAY_MS,
      RECONNECT_INITIAL_DELAY_MS * RECONNECT_BACKOFF_FACTOR ** this.attempt,
    );
    this.attempt++;
    return base * (1 - RECONNECT_JITTER * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
