import { BitArray } from "@chainsafe/ssz";
import { Registry } from "prom-client";
import type { Clock, Timer } from "../../../src/consensus/clock.js";
import { ConsensusNode } from "../../../src/consensus/consensusNode.js";
import type { DropReason } from "../../../src/consensus/dropReason.js";
import type { CommittedSubDag } from "../../../src/consensus/linearizer.js";
import type { ConsensusMessage } from "../../../src/consensus/messages.js";
import { headerSigningMessage, voteSigningMessage } from "../../../src/consensus/primary/validation.js";
import type { ConsensusStore } from "../../../src/consensus/store/store.js";
import { publicKeyOf, sign } from "../../../src/crypto/ed25519.js";
import { sha256 } from "../../../src/crypto/hash.js";
import { createConsensusMetrics, metricTotal } from "../../../src/metrics/index.js";
import type { Batch, Certificate, Header, SignedHeader, Vote } from "../../../src/types/consensus.js";
import { type Committee, type ConsensusParams, DEFAULT_BLOCK_LIMITS } from "../../../src/types/genesis.js";
import { headerDigest } from "../../../src/types/signing.js";
import { utf8 } from "../../../src/util/bytes.js";

export const CHAIN_ID = utf8("mass-test");

export const PARAMS: ConsensusParams = {
  gcDepth: 20,
  minHeaderDelayMs: 0,
  maxHeaderDelayMs: 0,
  leaderTimeoutMs: 500,
  maxBatchBytes: 1024,
  maxBatchDelayMs: 50,
  ...DEFAULT_BLOCK_LIMITS,
};

export function keys(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => sha256(utf8(`test-key-${i}`)));
}

export function committeeOf(secretKeys: Uint8Array[]): Committee {
  return {
    epoch: 0,
    validators: secretKeys.map((k, i) => ({
      name: utf8(`v${i}`),
      publicKey: publicKeyOf(k),
      stake: 1,
      address: utf8(""),
    })),
  };
}

/** A clock that only moves when the test says so. */
export class ManualClock implements Clock {
  time = 1_000;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const t = { at: this.time + delayMs, callback, cancelled: false };
    this.timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time && !t.cancelled);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.callback();
  }
}

/** One validator under test, with everything it sends captured. */
export class Harness {
  readonly sent: { to: number | "all"; message: ConsensusMessage }[] = [];
  readonly commits: CommittedSubDag[] = [];
  /** The batches output with each of `commits`. */
  readonly outputBatches: Batch[][] = [];
  readonly metrics = createConsensusMetrics(new Registry());
  readonly clock = new ManualClock();
  node: ConsensusNode;

  constructor(
    readonly secretKeys: Uint8Array[],
    readonly self: number,
    readonly store: ConsensusStore,
  ) {
    this.node = this.build();
  }

  /** Messages dropped, for one reason or all. */
  dropCount(reason?: DropReason): Promise<number> {
    return metricTotal(this.metrics.dropped, reason === undefined ? {} : { reason });
  }

  equivocations(): Promise<number> {
    return metricTotal(this.metrics.equivocations);
  }

  get committee(): Committee {
    return committeeOf(this.secretKeys);
  }

  build(deliverFrom?: number): ConsensusNode {
    return new ConsensusNode({
      committee: this.committee,
      params: PARAMS,
      chainId: CHAIN_ID,
      authority: this.self,
      secretKey: this.secretKeys[this.self]!,
      network: {
        send: (to, message) => this.sent.push({ to, message }),
        broadcast: (message) => this.sent.push({ to: "all", message }),
      },
      store: this.store,
      clock: this.clock,
      metrics: this.metrics,
      deliverFrom,
      onOutput: ({ subDag, batches }) => {
        this.commits.push(subDag);
        this.outputBatches.push(batches);
      },
    });
  }

  /** Crashes the node and starts a new one over the same store. */
  async restart(deliverFrom?: number): Promise<void> {
    this.node.crash();
    this.node = this.build(deliverFrom);
    await this.node.start();
  }

  votesTo(author: number): Vote[] {
    return this.sent.flatMap((s) =>
      s.to === author && s.message.kind === 2 ? [s.message.body as Vote] : [],
    );
  }

  signedHeader(author: number, header: Partial<Header> & { round: number }): SignedHeader {
    const full: Header = { author, epoch: 0, createdAt: 1, payload: [], parents: [], ...header };
    const digest = headerDigest(full);
    return {
      header: full,
      signature: sign(this.secretKeys[author]!, headerSigningMessage(CHAIN_ID, digest)),
    };
  }

  /** A certificate of `author`'s header, with the votes of validators 0, 1, … up to a quorum of them. */
  certificate(author: number, header: Partial<Header> & { round: number }): Certificate {
    const signed = this.signedHeader(author, header);
    const n = this.secretKeys.length;
    const voters = Array.from({ length: Math.floor((2 * n) / 3) + 1 }, (_, i) => i);
    const signers = BitArray.fromBitLen(n);
    for (const v of voters) signers.set(v, true);
    return {
      header: signed.header,
      signers,
      signatures: voters.map((v) => this.voteFor(v, signed).signature),
    };
  }

  voteFor(voter: number, signed: SignedHeader): Vote {
    const digest = headerDigest(signed.header);
    return {
      headerDigest: digest,
      round: signed.header.round,
      origin: signed.header.author,
      voter,
      signature: sign(this.secretKeys[voter]!, voteSigningMessage(CHAIN_ID, digest)),
    };
  }
}
