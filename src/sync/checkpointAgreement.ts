import { checkpointFault } from "../consensus/checkpoint.js";
import type { ConsensusCommittee } from "../consensus/committee.js";
import { ConsensusError, ConsensusErrorCode } from "../consensus/errors.js";
import { Checkpoint } from "../types/sync.js";
import { toHex } from "../util/bytes.js";
import { deadline } from "../util/deadline.js";

/** Rounds of asking every peer before giving up: peers commit at nearly, not exactly, the same moment. */
export const CHECKPOINT_ATTEMPTS = 40;
/** Wait between rounds of asking. */
export const CHECKPOINT_RETRY_MS = 150;
/** One peer's answer is abandoned after this long. */
export const CHECKPOINT_REQUEST_TIMEOUT_MS = 5_000;

/** How checkpoints are fetched: the node passes its request/response protocol, tests a fake. */
export interface CheckpointSource {
  /** The peer's encoded checkpoint, if its last commit index is at least `minIndex`. Rejects otherwise. */
  checkpoint(peer: number, minIndex: number, signal: AbortSignal): Promise<Uint8Array>;
}

/**
 * The checkpoint that committee members holding validity stake (> 1/3, so at least one honest
 * member) returned byte for byte, if any: a lying minority cannot make up a checkpoint, and honest
 * peers at the same commit return identical bytes.
 */
export function agreedCheckpoint(
  answers: ReadonlyMap<number, Uint8Array>,
  committee: ConsensusCommittee,
): Uint8Array | undefined {
  const stakeOf = new Map<string, { stake: number; bytes: Uint8Array }>();
  for (const [peer, bytes] of answers) {
    if (!committee.isMember(peer)) continue;
    const key = toHex(bytes);
    const entry = stakeOf.get(key) ?? { stake: 0, bytes };
    entry.stake += committee.stake(peer);
    stakeOf.set(key, entry);
  }
  for (const { stake, bytes } of stakeOf.values()) if (stake >= committee.validityThreshold) return bytes;
  return undefined;
}

/**
 * Asks every peer for its checkpoint at commit `minIndex` or later until validity stake agrees on
 * one; throws ConsensusError CheckpointUnavailable after CHECKPOINT_ATTEMPTS rounds.
 */
export async function fetchAgreedCheckpoint(options: {
  committee: ConsensusCommittee;
  peers: readonly number[];
  source: CheckpointSource;
  minIndex: number;
  gcDepth: number;
  signal: AbortSignal;
}): Promise<Checkpoint> {
  const { committee, peers, source, minIndex, gcDepth, signal } = options;
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS && !signal.aborted; attempt++) {
    const timeout = deadline(CHECKPOINT_REQUEST_TIMEOUT_MS, signal);
    const answers = new Map<number, Uint8Array>();
    await Promise.all(
      peers.map(async (peer) => {
        try {
          answers.set(peer, await source.checkpoint(peer, minIndex, timeout.signal));
        } catch {
          // Unreachable, behind `minIndex`, or failing: it simply does not count.
        }
      }),
    ).finally(timeout.clear);
    const agreed = agreedCheckpoint(answers, committee);
    if (agreed !== undefined) {
      let checkpoint: Checkpoint;
      try {
        checkpoint = Checkpoint.deserialize(agreed);
      } catch (err) {
        throw new ConsensusError(
          ConsensusErrorCode.InvalidCheckpoint,
          "the agreed checkpoint does not decode",
          {},
          { cause: err },
        );
      }
      const fault =
        checkpoint.index < minIndex
          ? `commit ${checkpoint.index} is below ${minIndex}`
          : checkpointFault(checkpoint, gcDepth);
      if (fault !== null) throw new ConsensusError(ConsensusErrorCode.InvalidCheckpoint, fault);
      return checkpoint;
    }
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_RETRY_MS));
  }
  throw new ConsensusError(
    ConsensusErrorCode.CheckpointUnavailable,
    `peers holding validity stake did not agree on a checkpoint at commit ${minIndex} or later`,
  );
}
