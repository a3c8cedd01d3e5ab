import { errorMessage } from "./errors.js";

/**
 * The lifecycle every long-lived component follows (js-libp2p's `Startable`): `start` brings it
 * up (rejecting leaves nothing running), `stop` ends its timers, sockets and loops and resolves
 * once they are gone; a second `stop` is harmless. `signal` aborts when the owner begins to stop,
 * so waits inside `start` (a catch-up, a dial) end at once.
 */
export interface Startable {
  start(signal: AbortSignal): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts components in order and stops the started ones in reverse order, so each stops before
 * what it depends on. One instance per owner (the validator node).
 */
export class Lifecycle {
  private readonly started: { name: string; component: Startable }[] = [];
  private readonly abort = new AbortController();

  /** Aborted once `stop` begins. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Starts `component` and records it for `stop`; rejects without recording it if its start fails. */
  async start<T extends Startable>(name: string, component: T): Promise<T> {
    if (this.abort.signal.aborted) throw new Error(`not starting ${name}: stopping`);
    await component.start(this.abort.signal);
    this.started.push({ name, component });
    return component;
  }

  /** Stops everything started, last first; a component whose stop fails is reported and passed. */
  async stop(onError: (name: string, err: unknown) => void = () => {}): Promise<void> {
    this.abort.abort(new Error("stopping"));
    for (let entry = this.started.pop(); entry !== undefined; entry = this.started.pop()) {
      try {
        await entry.component.stop();
      } catch (err) {
        onError(
          entry.name,
          new Error(`${entry.name} did not stop cleanly: ${errorMessage(err)}`, { cause: err }),
        );
      }
    }
  }
}
