import { sha256Concat } from "../crypto/hash.js";
import type { Committee } from "../types/genesis.js";
import { MAX_COMMITTEE_SIZE } from "../types/primitives.js";
import { utf8 } from "../util/bytes.js";
import { ConsensusError, ConsensusErrorCode } from "./errors.js";

const LEADER_TAG = utf8("MASS-L1/leader/v1");

/**
 * The committee of one epoch as consensus reads it: stakes, keys, the quorum (> 2/3 of stake) and
 * validity (> 1/3) thresholds, and the Bullshark leader schedule.
 */
export class ConsensusCommittee {
  readonly epoch: number;
  readonly size: number;
  readonly totalStake: number;
  /** Smallest stake that is more than 2/3 of the total. */
  readonly quorumThreshold: number;
  /** Smallest stake that is more than 1/3 of the total. */
  readonly validityThreshold: number;
  private readonly stakes: number[];
  private readonly keys: Uint8Array[];
  /** Prefix sums of stake, for the stake-weighted leader draw. */
  private readonly cumulative: number[];
  private readonly leaders = new Map<number, number>();

  constructor(committee: Committee) {
    const validators = committee.validators;
    if (validators.length === 0 || validators.length > MAX_COMMITTEE_SIZE) {
      throw new ConsensusError(
        ConsensusErrorCode.InvalidCommittee,
        `committee must have 1..${MAX_COMMITTEE_SIZE} validators, has ${validators.length}`,
      );
    }
    this.epoch = committee.epoch;
    this.size = validators.length;
    this.stakes = validators.map((v) => v.stake);
    this.keys = validators.map((v) => v.publicKey);
    let total = 0;
    this.cumulative = this.stakes.map((s, i) => {
      if (!Number.isSafeInteger(s) || s <= 0) {
        throw new ConsensusError(ConsensusErrorCode.InvalidCommittee, `validator ${i} has stake ${s}`);
      }
      total += s;
      return total;
    });
    if (!Number.isSafeInteger(total)) {
      throw new ConsensusError(ConsensusErrorCode.InvalidCommittee, "total stake exceeds 2^53");
    }
    this.totalStake = total;
    this.quorumThreshold = Math.floor((2 * total) / 3) + 1;
    this.validityThreshold = Math.floor(total / 3) + 1;
  }

  isMember(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.size;
  }

  stake(index: number): number {
    return this.stakes[index] ?? 0;
  }

  publicKey(index: number): Uint8Array {
    const key = this.keys[index];
    if (key === undefined)
      throw new ConsensusError(ConsensusErrorCode.InvalidCommittee, `no validator ${index}`);
    return key;
  }

  /** Index of the validator with this public key, or -1. */
  indexOf(publicKey: Uint8Array): number {
    return this.keys.findIndex((k) => Buffer.compare(k, publicKey) === 0);
  }

  /**
   * The leader of an (even) round: a stake-weighted draw seeded by SHA-256(tag ‖ epoch ‖ round), so
   * every validator computes the same schedule and a validator leads in proportion to its stake.
   */
  leader(round: number): number {
    const cached = this.leaders.get(round);
    if (cached !== undefined) return cached;
    const seed = new Uint8Array(16);
    const view = new DataView(seed.buffer);
    view.setBigUint64(0, BigInt(this.epoch));
    view.setBigUint64(8, BigInt(round));
    const digest = sha256Concat(LEADER_TAG, seed);
    const draw = Number(
      new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0) % BigInt(this.totalStake),
    );
    let leader = this.cumulative.findIndex((c) => draw < c);
    if (leader < 0) leader = this.size - 1;
    // Rounds are visited in increasing order; a small cache is enough and stays bounded.
    if (this.leaders.size >= LEADER_CACHE_SIZE) this.leaders.clear();
    this.leaders.set(round, leader);
    return leader;
  }
}

const LEADER_CACHE_SIZE = 4096;
