import type { Checkpoint, CommittedCertificate } from "../types/sync.js";
import { MAX_CHECKPOINT_CERTIFICATES } from "../types/sync.js";
import { bytesEqual } from "../util/bytes.js";
import { type DigestKey, digestKey, digestOfKey } from "./digest.js";
import { ConsensusError, ConsensusErrorCode } from "./errors.js";
import type { ConsensusWrite, RecoveredState } from "./store/store.js";

/**
 * Consensus checkpoints: Bullshark's whole state right after one commit (the commit, and the
 * certificates committed so far above its gc round), which lets a validator whose DAG is hopelessly
 * stale resume consensus at the commit its block sync reached instead of replaying the DAG.
 *
 * Installing one (applyCheckpoint) sets the commit and the committed set, and moves the DAG's floor
 * (the store's gc round) CHECKPOINT_FLOOR_SLACK_ROUNDS above the checkpoint's gc round. Peers keep
 * committing while the installing node finishes block sync and starts consensus, pruning their DAG
 * as they go; were the floor at the checkpoint's own gc round, the first certificates the node
 * fetches would name parents nobody holds any more, and its sync would stall. Rounds between the two
 * are then never fetched: a certificate there that no leader up to the checkpoint ordered, yet a
 * later leader reaches, would be ordered by the peers but not by this node. That needs a
 * certificate left unreferenced by every committed leader for gcDepth − slack rounds; block
 * finality (a disagreement, logged and counted) would expose it.
 *
 * Vote safety: the installing node keeps every vote record (a vote is never cast twice for one
 * author and round, whatever the checkpoint says), and its own headers above the floor. Below the
 * floor nothing is signed again: the core drops headers at or below its gc round before voting,
 * and the proposer never proposes at or below it (Proposer.restore), so a restart, an emptied
 * database or a checkpoint cannot make it equivocate on rounds it may have signed before.
 */

/** Most rounds the floor sits above the checkpoint's gc round (about 10 s of busy devnet rounds). */
export const CHECKPOINT_FLOOR_SLACK_ROUNDS = 100;

/** The checkpoint's gc round: rounds at or below it were pruned when it was taken. */
export function checkpointGcRound(leaderRound: number, gcDepth: number): number {
  return Math.max(0, leaderRound - gcDepth);
}

/** The DAG floor an installed checkpoint gets: its gc round plus the slack, at most half the gc window. */
export function checkpointFloor(checkpoint: Checkpoint, gcDepth: number): number {
  const slack = Math.min(CHECKPOINT_FLOOR_SLACK_ROUNDS, Math.floor(gcDepth / 2));
  return checkpointGcRound(checkpoint.leaderRound, gcDepth) + slack;
}

/** The checkpoint of a committer whose last commit is `index` (its leader `leader` at `leaderRound`). */
export function takeCheckpoint(
  index: number,
  leaderRound: number,
  leader: Uint8Array,
  committed: ReadonlyMap<DigestKey, number>,
  gcDepth: number,
): Checkpoint {
  const gc = checkpointGcRound(leaderRound, gcDepth);
  const entries: { round: number; key: DigestKey }[] = [];
  for (const [key, round] of committed) if (round > gc) entries.push({ round, key });
  if (entries.length > MAX_CHECKPOINT_CERTIFICATES) {
    throw new ConsensusError(
      ConsensusErrorCode.InvalidCheckpoint,
      `${entries.length} committed certificates above the gc round exceed the checkpoint limit of ${MAX_CHECKPOINT_CERTIFICATES}`,
    );
  }
  entries.sort((a, b) => a.round - b.round || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    index,
    leaderRound,
    leader,
    committed: entries.map((e) => ({ round: e.round, digest: digestOfKey(e.key) })),
  };
}

/** Why a checkpoint is not well formed (not what takeCheckpoint builds); null when it is. */
export function checkpointFault(checkpoint: Checkpoint, gcDepth: number): string | null {
  const gc = checkpointGcRound(checkpoint.leaderRound, gcDepth);
  let previous: CommittedCertificate | undefined;
  for (const c of checkpoint.committed) {
    if (c.round <= gc || c.round > checkpoint.leaderRound) {
      return `committed certificate at round ${c.round} is outside (${gc}, ${checkpoint.leaderRound}]`;
    }
    if (
      previous !== undefined &&
      (previous.round > c.round ||
        (previous.round === c.round && digestKey(previous.digest) >= digestKey(c.digest)))
    ) {
      return "committed certificates are not in ascending (round, digest) order";
    }
    previous = c;
  }
  return null;
}

/**
 * Whether `checkpoint` still has to be installed: not when the store already holds its commit
 * (consensus kept committing while block sync fetched the blocks up to it, so both reached the same
 * commit) or a later one. The same commit index with another leader is a divergence: refused.
 */
export function checkpointNeeded(recovered: RecoveredState, checkpoint: Checkpoint): boolean {
  const last = recovered.lastCommit;
  if (last === undefined || checkpoint.index > last.index) return true;
  if (checkpoint.index === last.index && !bytesEqual(checkpoint.leader, last.leader)) {
    throw new ConsensusError(
      ConsensusErrorCode.InvalidCheckpoint,
      `checkpoint at commit ${checkpoint.index} names another leader than the stored commit`,
    );
  }
  return false;
}

/**
 * Installs `checkpoint` over recovered state: returns the store write that makes it durable (one
 * atomic, synced write) and the state the node then starts from, as if it had been loaded.
 * The checkpoint must be ahead of the store's last commit.
 */
export function applyCheckpoint(
  recovered: RecoveredState,
  checkpoint: Checkpoint,
  gcDepth: number,
): { write: ConsensusWrite; state: RecoveredState } {
  const last = recovered.lastCommit?.index ?? -1;
  if (checkpoint.index <= last) {
    throw new ConsensusError(
      ConsensusErrorCode.InvalidCheckpoint,
      `checkpoint at commit ${checkpoint.index} is not ahead of the stored commit ${last}`,
    );
  }
  const fault = checkpointFault(checkpoint, gcDepth);
  if (fault !== null) throw new ConsensusError(ConsensusErrorCode.InvalidCheckpoint, fault);
  const floor = Math.max(checkpointFloor(checkpoint, gcDepth), recovered.gcRound);
  // The record of the checkpoint's commit names no certificates: the node never delivers it (its
  // block came from block sync), and replay refuses a record without them.
  const record = {
    index: checkpoint.index,
    leaderRound: checkpoint.leaderRound,
    leader: checkpoint.leader,
    certificates: [],
  };
  const committed = checkpoint.committed.map((c) => ({ round: c.round, digest: c.digest }));
  return {
    write: { commits: [{ record, rounds: [] }], committed, gcRound: floor, sync: true },
    state: {
      votes: recovered.votes,
      ownHeaders: recovered.ownHeaders.filter((h) => h.header.round > floor),
      certificates: recovered.certificates.filter((c) => c.certificate.header.round > floor),
      lastCommit: record,
      committed,
      batches: recovered.batches.filter((b) => b.round > floor),
      gcRound: floor,
    },
  };
}
