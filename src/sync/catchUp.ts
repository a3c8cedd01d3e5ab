import type { Chain, ExecutedBlock } from "../chain/chain.js";
import type { ConsensusCommittee } from "../consensus/committee.js";
import type { SyncMetrics } from "../metrics/index.js";
import type { FinalityCertificate } from "../types/block.js";
import type { Checkpoint, SyncStatus } from "../types/sync.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { sleep } from "../util/deadline.js";
import { errorMessage } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { type BlockSource, BlockSync } from "./blockSync.js";
import { type CheckpointSource, fetchAgreedCheckpoint } from "./checkpointAgreement.js";
import { SyncError, SyncErrorCode } from "./errors.js";

/** How long the start-up check waits for peers' statuses (peers that are down do not hold start-up longer). */
export const START_PROBE_TIMEOUT_MS = 1_500;
/** How often a running validator asks its peers whether it fell behind their gc window. */
export const BEHIND_CHECK_INTERVAL_MS = 2_000;
/** A status probe of the running check waits this long for answers. */
const PROBE_TIMEOUT_MS = 1_000;
/**
 * A running validator whose height has not moved for this long while peers holding validity stake
 * finalized beyond it catches up by block sync (e.g. its DAG sync cannot progress because the
 * rounds it needs were pruned after a checkpoint). Long enough that a slow DAG catch-up within the
 * gc window is never interrupted.
 */
export const STALL_TIMEOUT_MS = 15_000;
/** Wait before a failed catch-up is tried again. */
export const CATCH_UP_RETRY_MS = 1_000;

/**
 * Whether peers holding validity stake (so at least one honest member) pruned their DAG, and the
 * batches with it, above the leader round of this node's last executed block: their DAG can no
 * longer bring it up to date.
 */
export function behindGcWindow(
  statuses: ReadonlyMap<number, SyncStatus>,
  committee: ConsensusCommittee,
  executedLeaderRound: number,
): boolean {
  let stake = 0;
  for (const [peer, status] of statuses)
    if (status.gcRound > executedLeaderRound) stake += committee.stake(peer);
  return stake >= committee.validityThreshold;
}

export interface CatchUpOptions {
  chain: Chain;
  committee: ConsensusCommittee;
  chainId: Uint8Array;
  gcDepth: number;
  peers: readonly number[];
  blocks: BlockSource;
  checkpoints: CheckpointSource;
  metrics: SyncMetrics | null;
  log: Logger;
  /** A synced block and its certificate are stored. */
  onBlock: (block: ExecutedBlock, certificate: FinalityCertificate) => void;
}

/**
 * Catching up beyond the gc window: block sync to the peers' finalized tip, then a checkpoint that
 * peers holding validity stake agree on, then block sync to exactly the checkpoint's commit, whose
 * block must name the checkpoint's leader. The node then starts consensus with that checkpoint.
 * `watch` runs the check of a running validator; the node supplies how to stop and restart consensus.
 */
export class CatchUp {
  private readonly sync: BlockSync;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** A restart by `watch` is under way. */
  private restarting = false;
  /** Calls of `run` under way. */
  private runs = 0;

  constructor(private readonly options: CatchUpOptions) {
    this.sync = new BlockSync({
      chain: options.chain,
      committee: options.committee,
      chainId: options.chainId,
      peers: options.peers,
      source: options.blocks,
      metrics: options.metrics,
      log: options.log,
      onBlock: options.onBlock,
    });
  }

  /** At start-up, before consensus: whether peers that answered in time say this node is beyond their gc window. */
  async behindAtStart(): Promise<boolean> {
    const statuses = await this.sync.statuses(START_PROBE_TIMEOUT_MS, this.abort.signal);
    return behindGcWindow(statuses, this.options.committee, await this.executedLeaderRound());
  }

  /**
   * The leader round of the chain's head block: what this node executed, not what its consensus
   * ordered (a commit whose batches peers pruned is ordered but can never execute).
   */
  private async executedLeaderRound(): Promise<number> {
    const { chain } = this.options;
    if (chain.height === 0) return 0;
    return (await chain.store.blockByHeight(chain.height))?.header.leaderRound ?? 0;
  }

  /** Whether this node is catching up by block sync (its consensus is not running meanwhile). */
  get active(): boolean {
    return this.restarting || this.runs > 0;
  }

  /** Catches up (see the class comment), retrying until it succeeds or `stop`; resolves with the checkpoint. */
  async run(trigger: string): Promise<Checkpoint> {
    this.runs++;
    try {
      return await this.runUntilDone(trigger);
    } finally {
      this.runs--;
    }
  }

  private async runUntilDone(trigger: string): Promise<Checkpoint> {
    const { log, metrics } = this.options;
    metrics?.runs.inc({ trigger });
    log.info("behind the peers' gc window: catching up by block sync", {
      trigger,
      height: this.options.chain.height,
    });
    for (;;) {
      try {
        const checkpoint = await this.attempt();
        metrics?.checkpointsInstalled.inc();
        return checkpoint;
      } catch (err) {
        if (err instanceof SyncError && err.code === SyncErrorCode.ReexecutionMismatch) throw err;
        if (this.abort.signal.aborted)
          throw new SyncError(SyncErrorCode.Aborted, "stopping", {}, { cause: err });
        log.warn("catch-up failed; retrying", { error: errorMessage(err) });
        await sleep(CATCH_UP_RETRY_MS, this.abort.signal);
      }
    }
  }

  /**
   * Checks the peers every BEHIND_CHECK_INTERVAL_MS; when this node is behind their gc window (or
   * stalled below their finalized tip), calls `restart`, which stops consensus, runs `run` and
   * starts consensus again. Nothing is checked while `consensusRunning` is false.
   */
  watch(consensusRunning: () => boolean, restart: (trigger: string) => Promise<void>): void {
    const { chain, committee } = this.options;
    let lastHeight = chain.height;
    let lastMove = Date.now();
    const tick = async (): Promise<void> => {
      if (this.restarting || !consensusRunning()) return;
      if (chain.height !== lastHeight) {
        lastHeight = chain.height;
        lastMove = Date.now();
      }
      const statuses = await this.sync.statuses(PROBE_TIMEOUT_MS, this.abort.signal);
      const stalled = Date.now() - lastMove > STALL_TIMEOUT_MS && this.sync.tipOf(statuses) > chain.height;
      const behind = behindGcWindow(statuses, committee, await this.executedLeaderRound());
      if (!behind && !stalled) return;
      this.restarting = true;
      try {
        await restart(behind ? "behind" : "stalled");
      } finally {
        this.restarting = false;
        lastHeight = chain.height;
        lastMove = Date.now();
      }
    };
    const schedule = (): void => {
      this.timer = setTimeout(() => {
        tick()
          .catch((err: unknown) =>
            this.options.log.error("catch-up check failed", { error: errorMessage(err) }),
          )
          .finally(() => {
            if (!this.abort.signal.aborted) schedule();
          });
      }, BEHIND_CHECK_INTERVAL_MS);
    };
    schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private async attempt(): Promise<Checkpoint> {
    const { chain, committee, gcDepth, peers, log } = this.options;
    const signal = this.abort.signal;
    const tip = this.sync.tipOf(await this.sync.statuses(PROBE_TIMEOUT_MS, signal));
    await this.sync.syncTo(tip, signal);
    // At or after the synced head's commit: the checkpoint's block is the head or still to come.
    const checkpoint = await fetchAgreedCheckpoint({
      committee,
      peers,
      source: this.options.checkpoints,
      minIndex: Math.max(0, chain.height - 1),
      gcDepth,
      signal,
    });
    // Peers commit ahead of what they finalized: the checkpoint's own block may need a moment.
    await this.sync.syncTo(checkpoint.index + 1, signal);
    const block = await chain.store.blockByHeight(checkpoint.index + 1);
    if (
      chain.height !== checkpoint.index + 1 ||
      block === undefined ||
      block.header.leaderRound !== checkpoint.leaderRound ||
      !bytesEqual(block.header.leaderCertificate, checkpoint.leader)
    ) {
      throw new SyncError(
        SyncErrorCode.CheckpointMismatch,
        `checkpoint leader ${toHex(checkpoint.leader)} (round ${checkpoint.leaderRound}) is not the leader of block ${checkpoint.index + 1} at the head`,
      );
    }
    log.info("caught up by block sync; starting consensus from a checkpoint", {
      height: chain.height,
      commit: checkpoint.index,
      leaderRound: checkpoint.leaderRound,
      committed: checkpoint.committed.length,
    });
    return checkpoint;
  }
}
