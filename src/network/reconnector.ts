import { deadline } from "../util/deadline.js";
import { Backoff } from "./backoff.js";
import { DIAL_TIMEOUT_MS, HIGHER_INDEX_DIAL_DEFER_MS } from "./constants.js";
import type { CommitteePeer } from "./peerBook.js";

export interface ReconnectorContext {
  selfIndex: number;
  peers: Iterable<CommitteePeer>;
  isConnected(index: number): boolean;
  dial(peer: CommitteePeer, signal: AbortSignal): Promise<unknown>;
  /** Reports each dial's outcome (metrics). */
  dialed(outcome: "ok" | "error"): void;
}

interface PeerState {
  peer: CommitteePeer;
  backoff: Backoff;
  timer: NodeJS.Timeout | undefined;
  dialing: boolean;
  /** Added to every delay: zero when this node has the lower index of the pair (it dials first). */
  defer: number;
}

/**
 * Keeps this node connected to every committee peer: dials each at start and after every
 * disconnect, retrying failed dials with exponential backoff and jitter until the peer answers. Of
 * each pair, the lower index dials first and the higher one only after a deferral, so both ends
 * rarely dial each other at once, yet either end restores a lost connection.
 */
export class Reconnector {
  private readonly states = new Map<number, PeerState>();
  private readonly lifetime = new AbortController();

  constructor(private readonly ctx: ReconnectorContext) {
    for (const peer of ctx.peers) {
      const defer = peer.index < ctx.selfIndex ? HIGHER_INDEX_DIAL_DEFER_MS : 0;
      this.states.set(peer.index, { peer, backoff: new Backoff(), timer: undefined, dialing: false, defer });
    }
  }

  start(): void {
    for (const state of this.states.values()) this.schedule(state, state.defer);
  }

  connected(index: number): void {
    const state = this.states.get(index);
    if (state === undefined) return;
    state.backoff.reset();
    clearTimeout(state.timer);
    state.timer = undefined;
  }

  disconnected(index: number): void {
    const state = this.states.get(index);
    if (state !== undefined) this.retry(state);
  }

  stop(): void {
    this.lifetime.abort();
    for (const state of this.states.values()) clearTimeout(state.timer);
  }

  private retry(state: PeerState): void {
    this.schedule(state, state.defer + state.backoff.nextDelay());
  }

  private schedule(state: PeerState, delayMs: number): void {
    if (state.timer !== undefined || state.dialing || this.lifetime.signal.aborted) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.attempt(state);
    }, delayMs);
  }

  private attempt(state: PeerState): void {
    if (this.ctx.isConnected(state.peer.index) || this.lifetime.signal.aborted) return;
    state.dialing = true;
    const timeout = deadline(DIAL_TIMEOUT_MS, this.lifetime.signal);
    this.ctx
      .dial(state.peer, timeout.signal)
      .finally(timeout.clear)
      .then(
        () => {
          state.dialing = false;
          this.ctx.dialed("ok");
          // A connection that closed again at once produced no disconnect event to retry on.
          if (!this.ctx.isConnected(state.peer.index)) this.retry(state);
        },
        () => {
          state.dialing = false;
          if (this.lifetime.signal.aborted) return;
          this.ctx.dialed("error");
          this.retry(state);
        },
      );
  }
}
