import type { ConsensusOutput } from "../consensus/index.js";
import type { ChainMetrics } from "../metrics/index.js";
import { errorMessage } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import type { DecodedTx } from "../vm/tx/validity.js";
import type { Chain, ExecutedBlock } from "./chain.js";

/**
 * Turns each consensus output (a committed sub-DAG with its batches, in commit order) into the next
 * block: executes it on the chain and hands the executed block to `onExecuted` (the pool forgets
 * its transactions, finality signs it). An execution failure is fatal: the chain cannot skip a commit.
 */
export class CommitExecutor {
  constructor(
    private readonly chain: Chain,
    /** Transactions decoded when their batch was stored, by batch digest. */
    private readonly decoded: { take(digest: Uint8Array): readonly (DecodedTx | null)[] | undefined },
    private readonly metrics: ChainMetrics | null,
    private readonly log: Logger,
    private readonly onExecuted: (block: ExecutedBlock) => void,
    private readonly onFatal: (reason: string) => void,
  ) {}

  async execute({ subDag, batches }: ConsensusOutput): Promise<void> {
    const started = performance.now();
    let block: ExecutedBlock;
    try {
      block = await this.chain.execute({
        commitIndex: subDag.index,
        leaderRound: subDag.leaderRound,
        leaderDigest: subDag.leaderDigest,
        leaderTime: subDag.leader.header.createdAt,
        transactions: batches.flatMap((b) => b.transactions),
        decoded: batches.flatMap(
          (b, i): readonly (DecodedTx | null | undefined)[] =>
            this.decoded.take(subDag.batches[i]!.digest) ?? b.transactions.map(() => undefined),
        ),
      });
    } catch (err) {
      this.onFatal(`block execution failed at commit ${subDag.index}: ${errorMessage(err)}`);
      throw err;
    }
    this.onExecuted(block);
    const executedMs = performance.now() - started;
    this.metrics?.blockExecutionSeconds.observe(executedMs / 1000);
    this.log.debug("block", {
      height: block.header.height,
      txs: block.txHashes.length,
      leaderRound: subDag.leaderRound,
      commitLagMs: Date.now() - subDag.leader.header.createdAt,
      ...block.timings,
      totalMs: Math.round(executedMs),
    });
  }
}
