import { publicKeyOf } from "../crypto/ed25519.js";
import type { ConsensusMetrics } from "../metrics/index.js";
import type { Batch, BatchRef, Certificate } from "../types/consensus.js";
import type { EquivocationEvidence } from "../types/consensusMessages.js";
import type { Committee, ConsensusParams } from "../types/genesis.js";
import type { Checkpoint } from "../types/sync.js";
import { bytesEqual } from "../util/bytes.js";
import type { Startable } from "../util/lifecycle.js";
import { applyCheckpoint, checkpointNeeded, takeCheckpoint } from "./checkpoint.js";
import { type Clock, systemClock } from "./clock.js";
import { ConsensusCommittee } from "./committee.js";
import type { CoreContext } from "./context.js";
import { digestKey } from "./digest.js";
import { DropReason } from "./dropReason.js";
import { ConsensusError, ConsensusErrorCode } from "./errors.js";
import { subDagOfRecord } from "./linearizer.js";
import { type ConsensusMessage, decodeMessage, MessageKind } from "./messages.js";
import type { ConsensusNetwork } from "./network.js";
import { Core } from "./primary/core.js";
import { Outbox } from "./primary/outbox.js";
import { Proposer } from "./primary/proposer.js";
import type { ConsensusStore, MaybePromise } from "./store/store.js";
import { type ConsensusOutput, Subscriber } from "./subscriber.js";
import { ed25519Verifier, type SignatureVerifier } from "./verifier.js";
import type { AdmissionStatus } from "./worker/admission.js";
import { SubmitResult, Worker } from "./worker/worker.js";

export interface ConsensusNodeOptions {
  committee: Committee;
  params: ConsensusParams;
  chainId: Uint8Array;
  /** This validator's committee index. */
  authority: number;
  /** Its Ed25519 secret key (must match the committee entry). */
  secretKey: Uint8Array;
  network: ConsensusNetwork;
  store: ConsensusStore;
  /**
   * Receives every committed sub-DAG with its batches once, in commit order, after the commit is
   * durable (batches this validator lacks are fetched from peers first). A returned promise holds
   * back the next output; a rejection stops the node (onFatal), unless it is stopping anyway.
   */
  onOutput: (output: ConsensusOutput) => void | Promise<void>;
  /**
   * The commit index the consumer expects next (what it durably processed, plus one). Commits the
   * store holds from there on are output again at start; default: only new commits.
   */
  deliverFrom?: number;
  /**
   * A checkpoint to install at start, ahead of the store's last commit (a validator that fell
   * behind the gc window and caught up by block sync); see checkpoint.ts.
   */
  checkpoint?: Checkpoint;
  clock?: Clock;
  metrics?: ConsensusMetrics | null;
  verifier?: SignatureVerifier;
  /**
   * Called once for each new batch this node stored (`own`: sealed here; else a peer's), before
   * anything commits it: the application may decode and check its transactions early (it must not
   * rely on being called: a restarted node reads committed batches back from the store).
   */
  onBatch?: (batch: Batch, digest: Uint8Array, own: boolean) => void;
  /**
   * Own batches whose certificate no leader will commit (left out by the next rounds' headers):
   * their transactions should be submitted again. Rare; a slow validator's certificate is the case.
   */
  onOrphanedBatches?: (batches: BatchRef[]) => void;
  /**
   * A store write failed (the node cannot vote safely), or onOutput threw or rejected: the node
   * stopped itself. Default: throw.
   */
  onFatal?: (err: unknown) => void;
  /** A handler threw on a peer's message (a bug: the message is dropped and counted as malformed). */
  onError?: (err: unknown, from: number, kind: MessageKind) => void;
}

export interface ConsensusStatus {
  authority: number;
  /** Round of our latest header. */
  round: number;
  highestRound: number;
  gcRound: number;
  lastCommittedRound: number;
  nextCommitIndex: number;
  dagSize: number;
  suspendedCertificates: number;
}

/**
 * One validator's consensus: Narwhal worker and primary plus the Bullshark committer, as pure logic
 * over the injected network, clock and store. The node layer (libp2p) calls `handleMessage` (or
 * `handleBytes`) for each inbound message with the sender's committee index, and `submitTransaction`
 * for client transactions; committed sub-DAGs and their batches come out of `onOutput`, in order,
 * exactly once per store (use `deliverFrom` to re-deliver after a crash of the consumer).
 */
export class ConsensusNode implements Startable {
  readonly committee: ConsensusCommittee;
  private readonly ctx: CoreContext;
  private readonly outbox: Outbox;
  private readonly worker: Worker;
  private readonly core: Core;
  private readonly proposer: Proposer;
  private readonly subscriber: Subscriber;
  private stopping: Promise<void> | null = null;
  /** Removes the start signal's abort listener. */
  private unlisten: (() => void) | null = null;
  private state: "new" | "starting" | "running" | "stopped" = "new";
  /** The last checkpoint taken: peers asking at the same commit get it without rebuilding it. */
  private lastCheckpoint: Checkpoint | undefined;

  constructor(private readonly options: ConsensusNodeOptions) {
    const committee = new ConsensusCommittee(options.committee);
    if (!committee.isMember(options.authority)) {
      throw new ConsensusError(
        ConsensusErrorCode.KeyMismatch,
        `authority ${options.authority} is not in the committee`,
      );
    }
    if (!bytesEqual(publicKeyOf(options.secretKey), committee.publicKey(options.authority))) {
      throw new ConsensusError(
        ConsensusErrorCode.KeyMismatch,
        `the secret key does not belong to validator ${options.authority}`,
      );
    }
    if (options.params.gcDepth < 2) {
      throw new ConsensusError(
        ConsensusErrorCode.InvalidParams,
        `gcDepth must be at least 2, is ${options.params.gcDepth}`,
      );
    }
    this.committee = committee;
    const metrics = options.metrics ?? null;
    const onFatal =
      options.onFatal ??
      ((err: unknown) => {
        throw err;
      });
    this.outbox = new Outbox(options.store, options.network, (err) => {
      this.halt();
      onFatal(err);
    });
    this.subscriber = new Subscriber({
      read: (refs) => this.readBatches(refs),
      fetch: (wanted) => this.core.sync.fetchCommittedBatches(wanted),
      onOutput: options.onOutput,
      onFailure: (err) => {
        // Stopping anyway: the consumer gave the output up; not a failure.
        if (this.state === "stopped") return;
        this.halt();
        onFatal(err);
      },
    });
    this.ctx = {
      committee,
      params: options.params,
      chainId: options.chainId,
      self: options.authority,
      secretKey: options.secretKey,
      clock: options.clock ?? systemClock,
      outbox: this.outbox,
      verifier: options.verifier ?? ed25519Verifier,
      metrics,
      drop: (kind, reason) =>
        metrics?.dropped.inc({ kind: kind === undefined ? "unknown" : MessageKind[kind], reason }),
    };
    this.worker = new Worker(
      this.ctx,
      options.store,
      () => this.core.dag.highestRound,
      (key) => {
        this.core.batchArrived(key);
        this.subscriber.batchArrived(key);
      },
      () => this.proposer.tryPropose(),
      options.onBatch,
    );
    this.core = new Core(this.ctx, this.worker);
    this.proposer = new Proposer(this.ctx, this.core, this.worker);
    this.core.hooks = {
      certificateAccepted: (v) => this.proposer.certificateAccepted(v),
      committed: (subDags) => {
        for (const s of subDags) {
          this.worker.committed(s.batches);
          this.subscriber.push(s);
        }
      },
      orphaned: (batches) => {
        this.worker.orphaned(batches);
        this.options.onOrphanedBatches?.(batches);
      },
    };
  }

  /**
   * Recovers from the store, re-delivers commits from `deliverFrom`, then starts proposing.
   * `signal` (optional: the simulator and tests stop the node themselves) aborts when the owner
   * begins to stop, and begins stop(): a start under way (aborted, or overtaken by stop()) rejects
   * with ConsensusError Stopped and leaves nothing running; a wait for committed batches ends.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.state !== "new") throw new ConsensusError(ConsensusErrorCode.NotRunning, "a node starts once");
    this.state = "starting";
    if (signal !== undefined) {
      const onAbort = () => void this.stop();
      signal.addEventListener("abort", onAbort, { once: true });
      this.unlisten = () => signal.removeEventListener("abort", onAbort);
    }
    this.throwIfStopped(signal);
    let recovered = await this.options.store.load();
    this.throwIfStopped(signal);
    if (this.options.checkpoint !== undefined && checkpointNeeded(recovered, this.options.checkpoint)) {
      const installed = applyCheckpoint(recovered, this.options.checkpoint, this.options.params.gcDepth);
      await this.options.store.write(installed.write);
      recovered = installed.state;
    }
    // The worker first: replayed outputs read their batches through it.
    this.worker.restore(recovered.batches);
    const replayFrom = this.options.deliverFrom;
    const nextIndex = recovered.lastCommit === undefined ? 0 : recovered.lastCommit.index + 1;
    if (replayFrom !== undefined && replayFrom < nextIndex) await this.replay(replayFrom, nextIndex);
    this.throwIfStopped(signal);
    this.core.restore(recovered);
    this.proposer.restore(recovered.ownHeaders, this.core.dag.gcRound);
    this.state = "running";
    this.proposer.start();
  }

  /**
   * Stops timers, lets queued writes and sends finish (outputting what they commit, where its
   * batches are at hand), ends a wait for batches, and resolves once the output in flight settled.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /**
   * Stops at once, dropping queued effects (store writes and sends not done yet): the simulator's
   * and the tests' crash, which stop() cannot model since it lets them finish. Written data stays
   * written.
   */
  crash(): void {
    this.halt();
    void this.subscriber.stop();
    this.outbox.close();
  }

  /** Whether a store write is in flight. */
  get busy(): boolean {
    return this.outbox.busy;
  }

  idle(): Promise<void> {
    return this.outbox.idle();
  }

  handleBytes(from: number, bytes: Uint8Array): void {
    let message: ConsensusMessage;
    try {
      message = decodeMessage(bytes);
    } catch {
      this.ctx.drop(undefined, DropReason.Malformed);
      return;
    }
    this.handleMessage(from, message);
  }

  /** Processes one message from committee member `from`. Never throws. */
  handleMessage(from: number, message: ConsensusMessage): void {
    if (this.state !== "running") return;
    if (!this.committee.isMember(from) || from === this.ctx.self) {
      this.ctx.drop(message.kind, DropReason.UnknownAuthor);
      return;
    }
    try {
      this.dispatch(from, message);
    } catch (err) {
      this.ctx.drop(message.kind, DropReason.Malformed);
      this.options.onError?.(err, from, message.kind);
    }
  }

  /** Busy while not running: a stopped node would drop what it accepted. */
  submitTransaction(transaction: Uint8Array): SubmitResult {
    if (this.state !== "running") return SubmitResult.Busy;
    return this.worker.submit(transaction);
  }

  /** The worker's admission window: what submitTransaction admits before it answers Busy. */
  admissionStatus(): AdmissionStatus {
    return this.worker.admissionStatus;
  }

  /** Batch contents for committed references (held until gc). Throws NotRunning once stopped. */
  getBatches(refs: readonly BatchRef[]): MaybePromise<(Batch | undefined)[]> {
    // A consumer waiting for batches of a stopped node (they may never come) stops waiting.
    if (this.state === "stopped")
      throw new ConsensusError(ConsensusErrorCode.NotRunning, "consensus stopped");
    return this.readBatches(refs);
  }

  private readBatches(refs: readonly BatchRef[]): MaybePromise<(Batch | undefined)[]> {
    const keys = refs.map((r) => this.worker.keyOf(r.digest));
    const present = keys.flatMap((k) => (k === undefined ? [] : [k]));
    const found = this.options.store.getBatches(present);
    const assemble = (batches: (Batch | undefined)[]): (Batch | undefined)[] => {
      let i = 0;
      return keys.map((k) => (k === undefined ? undefined : batches[i++]));
    };
    return found instanceof Promise ? found.then(assemble) : assemble(found);
  }

  get running(): boolean {
    return this.state === "running";
  }

  /**
   * A new, unstarted node with these options that installs `checkpoint` at start and delivers the
   * commits after it: how a validator resumes after catching up by block sync.
   */
  withCheckpoint(checkpoint: Checkpoint): ConsensusNode {
    return new ConsensusNode({ ...this.options, checkpoint, deliverFrom: checkpoint.index + 1 });
  }

  /** Bullshark's state at the last commit, for a peer that installs it; undefined before the first. */
  checkpoint(): Checkpoint | undefined {
    const leader = this.core.linearizer.lastCommitLeader;
    if (this.state !== "running" || leader === undefined) return undefined;
    const index = this.core.linearizer.nextCommitIndex - 1;
    if (this.lastCheckpoint?.index === index) return this.lastCheckpoint;
    this.lastCheckpoint = takeCheckpoint(
      index,
      this.core.bullshark.lastCommittedRound,
      leader,
      this.core.committedCertificates,
      this.options.params.gcDepth,
    );
    return this.lastCheckpoint;
  }

  evidence(): Promise<EquivocationEvidence[]> {
    return this.options.store.evidence();
  }

  status(): ConsensusStatus {
    return {
      authority: this.ctx.self,
      round: this.proposer.currentRound,
      highestRound: this.core.dag.highestRound,
      gcRound: this.core.dag.gcRound,
      lastCommittedRound: this.core.bullshark.lastCommittedRound,
      nextCommitIndex: this.core.linearizer.nextCommitIndex,
      dagSize: this.core.dag.size,
      suspendedCertificates: this.core.sync.suspendedCertificates,
    };
  }

  private dispatch(from: number, message: ConsensusMessage): void {
    switch (message.kind) {
      case MessageKind.Header: {
        this.core.onHeader(from, message.body);
        return;
      }
      case MessageKind.Vote: {
        this.core.onVote(from, message.body);
        return;
      }
      case MessageKind.Certificate: {
        this.core.onCertificate(from, message.body);
        return;
      }
      case MessageKind.CertificatesRequest: {
        this.core.onCertificatesRequest(from, message.body);
        return;
      }
      case MessageKind.CertificateRangeRequest: {
        this.core.onRangeRequest(from, message.body);
        return;
      }
      case MessageKind.CertificatesResponse: {
        this.core.onCertificatesResponse(from, message.body);
        return;
      }
      case MessageKind.Batch: {
        this.worker.onBatch(from, message.body);
        return;
      }
      case MessageKind.BatchAck: {
        this.worker.onBatchAck(from, message.body);
        return;
      }
      case MessageKind.BatchesRequest: {
        this.worker.onBatchesRequest(from, message.body);
        return;
      }
    }
  }

  /** A start whose signal aborted, or that stop() overtook, ends here, leaving nothing running. */
  private throwIfStopped(signal: AbortSignal | undefined): void {
    if (signal?.aborted !== true && this.state === "starting") return;
    this.crash();
    throw new ConsensusError(ConsensusErrorCode.Stopped, "consensus stopped while starting");
  }

  private halt(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.state = "stopped";
    this.proposer.stop();
    this.worker.stop();
    this.core.sync.stop();
  }

  private async shutdown(): Promise<void> {
    if (this.state !== "stopped") {
      this.halt();
      await this.outbox.idle();
    }
    await this.subscriber.stop();
    this.outbox.close();
  }

  private async replay(from: number, to: number): Promise<void> {
    const store = this.options.store;
    for (let index = from; index < to; index++) {
      const record = await store.getCommit(index);
      if (record === undefined || record.certificates.length === 0) {
        throw new ConsensusError(
          ConsensusErrorCode.ReplayUnavailable,
          `commit ${index} is no longer stored (pruned by gc); the consumer must sync from peers`,
          { index },
        );
      }
      const certificates = await store.getCertificates(record.certificates);
      const missing = certificates.indexOf(undefined);
      if (missing >= 0) {
        throw new ConsensusError(
          ConsensusErrorCode.ReplayUnavailable,
          `commit ${index} names certificate ${digestKey(record.certificates[missing]!)} that is no longer stored`,
          { index },
        );
      }
      this.subscriber.push(subDagOfRecord(record, certificates as Certificate[]));
    }
  }
}
