import { encodeMessage } from "../messages.js";
import type { ConsensusNetwork } from "../network.js";
import type { Prng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";

export interface LinkModel {
  minDelayMs: number;
  maxDelayMs: number;
  /** Probability that one transmission attempt is lost (the link retransmits). */
  dropProbability: number;
}

/** A lost attempt is retransmitted after this many maximum delays (a retransmission timeout). */
const RETRANSMIT_AFTER_MAX_DELAYS = 2;
/** A link gives up on a message after this many lost attempts (the protocol's own resends take over). */
const MAX_ATTEMPTS = 8;

export interface NetworkStats {
  sent: number;
  delivered: number;
  retransmissions: number;
  lostToPartition: number;
  lostToCrash: number;
  lostAfterRetries: number;
  bytes: number;
}

/**
 * The simulated network: per-message delays drawn from the seeded generator, losses with
 * retransmission, partitions (messages across the cut are lost while it lasts) and crashed
 * receivers. Messages travel encoded, so every receiver decodes real bytes.
 */
export class SimNetwork {
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    retransmissions: 0,
    lostToPartition: 0,
    lostToCrash: 0,
    lostAfterRetries: 0,
    bytes: 0,
  };
  /** Partition side of each validator; undefined when the network is whole. */
  private sides: number[] | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rng: Prng,
    private readonly link: LinkModel,
    private readonly size: number,
    /** Delivers bytes to a validator if it is up; false when it is down. */
    private readonly deliver: (to: number, from: number, bytes: Uint8Array) => boolean,
  ) {}

  partition(sides: number[] | undefined): void {
    this.sides = sides;
  }

  get partitioned(): boolean {
    return this.sides !== undefined;
  }

  /** The network as validator `from` sees it. */
  endpoint(from: number, alive: () => boolean): ConsensusNetwork {
    return {
      send: (to, message) => {
        if (alive()) this.transmit(from, to, encodeMessage(message));
      },
      broadcast: (message) => {
        if (!alive()) return;
        const bytes = encodeMessage(message);
        for (let to = 0; to < this.size; to++) if (to !== from) this.transmit(from, to, bytes);
      },
    };
  }

  /** Sends already-encoded bytes (the adversary uses this for garbage). */
  transmit(from: number, to: number, bytes: Uint8Array): void {
    this.stats.sent++;
    this.stats.bytes += bytes.length;
    if (this.sides !== undefined && this.sides[from] !== this.sides[to]) {
      this.stats.lostToPartition++;
      return;
    }
    const { minDelayMs, maxDelayMs, dropProbability } = this.link;
    let delay = 0;
    let attempts = 1;
    while (dropProbability > 0 && this.rng.chance(dropProbability)) {
      if (attempts >= MAX_ATTEMPTS) {
        this.stats.lostAfterRetries++;
        return;
      }
      attempts++;
      this.stats.retransmissions++;
      delay += RETRANSMIT_AFTER_MAX_DELAYS * maxDelayMs;
    }
    delay += this.rng.int(minDelayMs, maxDelayMs);
    this.scheduler.after(delay, () => {
      if (this.deliver(to, from, bytes)) this.stats.delivered++;
      else this.stats.lostToCrash++;
    });
  }
}
