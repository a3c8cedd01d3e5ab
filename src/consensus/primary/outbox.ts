import type { ConsensusMessage } from "../messages.js";
import type { ConsensusNetwork } from "../network.js";
import type { ConsensusStore, ConsensusWrite } from "../store/store.js";

type Effect =
  | { type: "write"; write: ConsensusWrite }
  | { type: "send"; to: number; message: ConsensusMessage }
  | { type: "broadcast"; message: ConsensusMessage }
  | { type: "run"; action: () => void };

/**
 * Everything the core does to the outside world, in program order: store writes, sends and local
 * actions (our own votes and certificates, commit delivery). A write holds back every later effect
 * until it is done, which is how "persist the vote, then send it" and "persist the commit, then
 * output it" hold without the core itself ever awaiting. With the in-memory store writes finish
 * synchronously and the whole queue drains in the same call.
 */
export class Outbox {
  private readonly queue: Effect[] = [];
  private head = 0;
  private draining = false;
  private pending: Promise<void> | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: ConsensusStore,
    private readonly network: ConsensusNetwork,
    private readonly onFatal: (err: unknown) => void,
  ) {}

  /** Whether a store write is in flight (the simulator waits for it before advancing time). */
  get busy(): boolean {
    return this.pending !== null;
  }

  write(write: ConsensusWrite): void {
    this.push({ type: "write", write });
  }

  send(to: number, message: ConsensusMessage): void {
    this.push({ type: "send", to, message });
  }

  broadcast(message: ConsensusMessage): void {
    this.push({ type: "broadcast", message });
  }

  /** Runs `action` once every earlier effect is done. */
  after(action: () => void): void {
    this.push({ type: "run", action });
  }

  /** Resolves when every queued effect has run. */
  idle(): Promise<void> {
    if (this.pending === null && this.head >= this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what is queued and runs nothing more (a crash, or stop after idle()). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private push(effect: Effect): void {
    if (this.closed) return;
    this.queue.push(effect);
    this.drain();
  }

  private drain(): void {
    if (this.draining || this.pending !== null) return;
    this.draining = true;
    try {
      while (!this.closed && this.head < this.queue.length) {
        const effect = this.queue[this.head++]!;
        if (effect.type === "write") {
          const done = this.store.write(effect.write);
          if (done instanceof Promise) {
            this.pending = done.then(
              () => {
                this.pending = null;
                this.drain();
              },
              (err: unknown) => {
                this.pending = null;
                this.close();
                this.onFatal(err);
              },
            );
            return;
          }
        } else if (effect.type === "send") {
          this.network.send(effect.to, effect.message);
        } else if (effect.type === "broadcast") {
          this.network.broadcast(effect.message);
        } else {
          effect.action();
        }
      }
      this.queue.length = 0;
      this.head = 0;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    } finally {
      this.draining = false;
    }
  }
}
