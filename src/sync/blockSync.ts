import type { Chain, ExecutedBlock } from "../chain/chain.js";
import { ChainError, ChainErrorCode } from "../chain/errors.js";
import type { ConsensusCommittee } from "../consensus/committee.js";
import type { SyncMetrics } from "../metrics/index.js";
import type { FinalityCertificate } from "../types/block.js";
import { type BlocksResponse, MAX_SYNC_BLOCKS, type SyncStatus } from "../types/sync.js";
import { deadline, sleep } from "../util/deadline.js";
import { errorMessage, MassError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { SyncError, SyncErrorCode } from "./errors.js";
import { checkSyncedBlock } from "./syncedBlock.js";
import { SyncProgress } from "./syncProgress.js";

/**
 * A peer that failed is left alone this long, doubling per consecutive failure up to the cap: an
 * honest peer's hiccup costs a fraction of a second, a peer that keeps failing (or hanging until
 * the request times out) is asked about twice a minute.
 */
export const PEER_BACKOFF_INITIAL_MS = 200;
export const PEER_BACKOFF_MAX_MS = 30_000;
/** Wait before asking again when no peer has finalized the target yet (finality takes a round trip). */
export const SYNC_POLL_MS = 100;
/** Block sync gives up (typed error) after this long without a single new block. */
export const SYNC_STALL_TIMEOUT_MS = 30_000;
/** A long sync logs its progress (rate, ETA) this often, and a summary when it reaches the target. */
const PROGRESS_LOG_INTERVAL_MS = 5_000;

/** How block sync reaches peers: the node passes its request/response protocol, tests a fake. */
export interface BlockSource {
  /** Finalized blocks from `fromHeight` (at most `maxBlocks`; 0: the status only). Rejects on failure. */
  blocks(peer: number, fromHeight: number, maxBlocks: number, signal: AbortSignal): Promise<BlocksResponse>;
}

export interface BlockSyncOptions {
  chain: Chain;
  committee: ConsensusCommittee;
  chainId: Uint8Array;
  /** Committee members to ask (not this validator). */
  peers: readonly number[];
  source: BlockSource;
  metrics: SyncMetrics | null;
  log: Logger;
  /** A synced block and its certificate are stored. */
  onBlock?: (block: ExecutedBlock, certificate: FinalityCertificate) => void;
}

/**
 * Fetches finalized blocks from peers and appends them to the chain: each is checked against its
 * finality certificate and this node's head (checkSyncedBlock), then executed again through
 * `Chain.execute`, which writes it only if it reproduces the certified hash. A peer that answers
 * garbage, a wrong block or nothing is backed off and another one asked, so one Byzantine peer
 * slows sync down but never stops it.
 */
export class BlockSync {
  private readonly failures = new Map<number, { count: number; until: number }>();
  private next = 0;

  constructor(private readonly options: BlockSyncOptions) {}

  /** Asks every peer for its status; resolves with those that answered within `timeoutMs`. */
  async statuses(timeoutMs: number, signal: AbortSignal): Promise<Map<number, SyncStatus>> {
    const height = this.options.chain.height;
    const timeout = deadline(timeoutMs, signal);
    const answers = await Promise.all(
      this.options.peers.map(async (peer) => {
        try {
          return [
            peer,
            (await this.options.source.blocks(peer, height + 1, 0, timeout.signal)).status,
          ] as const;
        } catch {
          return undefined;
        }
      }),
    ).finally(timeout.clear);
    return new Map(answers.filter((a) => a !== undefined));
  }

  /**
   * The highest finalized height peers holding validity stake (> 1/3, so at least one honest
   * member) have all reached: a height block sync can certainly get.
   */
  tipOf(statuses: ReadonlyMap<number, SyncStatus>): number {
    const { committee } = this.options;
    const byHeight = [...statuses].sort((a, b) => b[1].finalizedHeight - a[1].finalizedHeight);
    let stake = 0;
    for (const [peer, status] of byHeight) {
      stake += committee.stake(peer);
      if (stake >= committee.validityThreshold) return status.finalizedHeight;
    }
    return 0;
  }

  /**
   * Appends finalized blocks until the chain reaches `target`. Peers that have not finalized it yet
   * are polled again; failing peers are backed off. Throws SyncError: Unavailable after
   * SYNC_STALL_TIMEOUT_MS without progress, ReexecutionMismatch when this node cannot reproduce a
   * certified block (no peer can help: the block is the committee's), Aborted on `signal`.
   */
  async syncTo(target: number, signal: AbortSignal): Promise<void> {
    const { chain, metrics, log } = this.options;
    metrics?.targetHeight.set(target);
    let progressAt = Date.now();
    let loggedAt = Date.now();
    let logged = false;
    const progress = new SyncProgress(chain.height, target, loggedAt);
    let lastError = "no peer answered";
    while (chain.height < target) {
      if (signal.aborted) throw new SyncError(SyncErrorCode.Aborted, "block sync stopped");
      if (Date.now() - progressAt > SYNC_STALL_TIMEOUT_MS) {
        throw new SyncError(
          SyncErrorCode.Unavailable,
          `no block after height ${chain.height} within ${SYNC_STALL_TIMEOUT_MS} ms (target ${target}): ${lastError}`,
        );
      }
      const peer = this.pickPeer();
      if (peer === undefined) {
        await sleep(SYNC_POLL_MS, signal);
        continue;
      }
      const from = chain.height + 1;
      let response: BlocksResponse;
      try {
        response = await this.options.source.blocks(
          peer,
          from,
          Math.min(MAX_SYNC_BLOCKS, target - chain.height),
          signal,
        );
      } catch (err) {
        lastError = `validator ${peer}: ${errorMessage(err)}`;
        this.failed(peer, "request");
        continue;
      }
      if (response.blocks.length === 0) {
        if (response.status.finalizedHeight >= from) {
          // Claims the block but does not serve it.
          lastError = `validator ${peer} has block ${from} final but sent none`;
          this.failed(peer, "empty");
        } else {
          await sleep(SYNC_POLL_MS, signal);
        }
        continue;
      }
      try {
        for (const block of response.blocks) {
          if (chain.height >= target) break;
          await this.apply(block);
          progressAt = Date.now();
          if (progressAt - loggedAt >= PROGRESS_LOG_INTERVAL_MS) {
            loggedAt = progressAt;
            logged = true;
            log.info("block sync", progress.report(chain.height, progressAt));
          }
        }
        this.failures.delete(peer);
      } catch (err) {
        if (err instanceof SyncError && err.code === SyncErrorCode.ReexecutionMismatch) throw err;
        lastError = `validator ${peer}: ${errorMessage(err)}`;
        log.warn("rejected a synced block", { peer, height: chain.height + 1, error: errorMessage(err) });
        this.failed(peer, err instanceof MassError ? err.code : "error");
      }
    }
    if (logged) log.info("block sync reached its target", progress.summary(chain.height, Date.now()));
  }

  /** Checks, re-executes and stores one block. */
  private async apply(block: BlocksResponse["blocks"][number]): Promise<void> {
    const { chain, committee, chainId, metrics } = this.options;
    const expectedHash = checkSyncedBlock(committee, chainId, chain.chainHead, block);
    const { header } = block;
    let executed: ExecutedBlock;
    try {
      executed = await chain.execute({
        commitIndex: header.height - 1,
        leaderRound: header.leaderRound,
        leaderDigest: header.leaderCertificate,
        leaderTime: header.timestamp,
        transactions: block.transactions,
        expectedHash,
      });
    } catch (err) {
      if (err instanceof ChainError && err.code === ChainErrorCode.BlockHashMismatch) {
        throw new SyncError(SyncErrorCode.ReexecutionMismatch, err.message, err.details, { cause: err });
      }
      throw err;
    }
    await chain.store.putFinality(block.finality);
    metrics?.height.set(header.height);
    metrics?.blocks.inc();
    this.options.onBlock?.(executed, block.finality);
  }

  /** The next peer in turn that is not backed off. */
  private pickPeer(): number | undefined {
    const peers = this.options.peers;
    const now = Date.now();
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(this.next + i) % peers.length]!;
      if ((this.failures.get(peer)?.until ?? 0) <= now) {
        this.next = (this.next + i + 1) % peers.length;
        return peer;
      }
    }
    return undefined;
  }

  private failed(peer: number, reason: string): void {
    const count = (this.failures.get(peer)?.count ?? 0) + 1;
    const delay = Math.min(PEER_BACKOFF_MAX_MS, PEER_BACKOFF_INITIAL_MS * 2 ** (count - 1));
    this.failures.set(peer, { count, until: Date.now() + delay });
    this.options.metrics?.peerFailures.inc({ reason });
  }
}
