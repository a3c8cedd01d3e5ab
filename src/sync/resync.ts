import type { ConsensusNode } from "../consensus/consensusNode.js";
import { errorMessage } from "../util/errors.js";
import type { Startable } from "../util/lifecycle.js";
import type { CatchUp } from "./catchUp.js";
import { SyncError, SyncErrorCode } from "./errors.js";

/** A consensus that does not stop within this (a commit stuck on batches nobody holds) is abandoned. */
const CONSENSUS_STOP_TIMEOUT_MS = 5_000;

export interface ResyncOptions {
  catchUp: CatchUp;
  /** Catch up before the first start even if the peers say this node is not behind (`mass start --repair`). */
  repair: boolean;
  /** A catch-up failed for good: the node cannot go on. */
  onFatal: (reason: string) => void;
}

/**
 * Keeps this validator's consensus within its peers' gc window: at start, and whenever the running
 * consensus falls behind it (or stalls below the peers' finalized tip), consensus stops, the chain
 * catches up by block sync and an agreed checkpoint, and consensus starts again from there.
 */
export class ResyncingConsensus implements Startable {
  private consensus: ConsensusNode;
  private stopping = false;

  constructor(
    consensus: ConsensusNode,
    private readonly options: ResyncOptions,
  ) {
    this.consensus = consensus;
  }

  /** The consensus running now (a resync replaces it). */
  get current(): ConsensusNode {
    return this.consensus;
  }

  async start(): Promise<void> {
    const { catchUp, repair } = this.options;
    if (repair || (await catchUp.behindAtStart()))
      this.consensus = this.consensus.withCheckpoint(await catchUp.run(repair ? "repair" : "start"));
    await this.consensus.start();
    catchUp.watch(
      () => this.consensus.running,
      (trigger) => this.resync(trigger),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.options.catchUp.stop();
    await this.consensus.stop();
  }

  private async resync(trigger: string): Promise<void> {
    const old = this.consensus;
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      old.stop().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CONSENSUS_STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!stopped) old.crash();
    try {
      const next = old.withCheckpoint(await this.options.catchUp.run(trigger));
      this.consensus = next;
      await next.start();
    } catch (err) {
      if (this.stopping) return;
      const fatal = err instanceof SyncError && err.code === SyncErrorCode.ReexecutionMismatch;
      this.options.onFatal(
        `${fatal ? "cannot reproduce a certified block" : "catch-up failed"}: ${errorMessage(err)}`,
      );
    }
  }
}
