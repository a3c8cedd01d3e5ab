import type { Chain } from "../chain/chain.js";
import { DOMAIN_COUNT, domainName } from "../compliance/domains.js";
import { complianceStateName, isComplianceState } from "../compliance/state.js";
import { readCellState } from "../compliance/tensor.js";
import { ConsensusCommittee } from "../consensus/committee.js";
import { Bucket } from "../state/db/buckets.js";
import type { Database, Repository } from "../state/db/database.js";
import { readU64Key, u64Key } from "../state/db/keys.js";
import { Certificate } from "../types/consensus.js";
import { CommitRecord, Marker } from "../types/consensusMessages.js";
import { TensorCell } from "../types/execution.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString, Digest } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { JURISDICTION_KEY_BYTES, StateKind } from "../vm/state/keys.js";
import { blockJson } from "./blockJson.js";
import { refuseIfDiverged as refuseDiverged } from "./diverged.js";
import { invalidParams, RpcError, RpcErrorCode } from "./errors.js";
import type { NodeStatus } from "./methods.js";
import { hexParam, param, stringParam, u64Param } from "./params.js";
import type { RpcMethod, RpcParams } from "./server.js";

/** Rounds `mass_getDag` returns when the call names none. */
export const DEFAULT_DAG_ROUNDS = 12;
/** Most rounds one `mass_getDag` call returns: bounds the reads (about n certificates a round). */
export const MAX_DAG_ROUNDS = 50;
/** Most certificates one `mass_getDag` answer holds: a large committee gets fewer rounds. */
export const MAX_DAG_CERTIFICATES = 1024;
/** Cells a `mass_listTensorCells` page holds when the call gives no limit. */
export const DEFAULT_TENSOR_PAGE = 100;
/** Most cells one `mass_listTensorCells` page holds. */
export const MAX_TENSOR_PAGE = 500;

/** A tensor state key without its kind byte: subject(32) ‖ jurisdiction(8) ‖ domain(1). */
const TENSOR_KEY_HEX_CHARS = 2 * (1 + 32 + JURISDICTION_KEY_BYTES + 1);
const TENSOR_PREFIX = StateKind.Tensor.toString(16).padStart(2, "0");
/** A cursor is a state key (or a prefix of one): at most that many bytes. */
const MAX_CURSOR_BYTES = TENSOR_KEY_HEX_CHARS / 2;

export interface ExplorerRpcDeps {
  genesis: Genesis;
  chain: Chain;
  /** The node's database: the consensus DAG is read from its store's buckets (LevelConsensusStore). */
  db: Database;
  status(): Pick<NodeStatus, "status" | "reason">;
}

/**
 * Read-only view of the consensus store's DAG, over the buckets LevelConsensusStore writes
 * (src/consensus/store/levelStore.ts): certificates by digest, the by-round index
 * `round(u64) ‖ author(u16) → digest`, commit records by index, and committed markers
 * `round(u64) ‖ digest`. Everything above the store's gc round is there, committed or not.
 */
export class DagReader {
  private readonly certificates: Repository<Certificate>;
  private readonly byRound: Repository<Uint8Array>;
  private readonly commits: Repository<CommitRecord>;
  private readonly committed: Repository<number>;
  private readonly gc: Repository<number>;

  constructor(db: Database) {
    this.certificates = db.repository(Bucket.ConsensusCertificates, Certificate);
    this.byRound = db.repository(Bucket.ConsensusCertificatesByRound, Digest);
    this.commits = db.repository(Bucket.ConsensusCommitState, CommitRecord);
    this.committed = db.repository(Bucket.ConsensusCommitted, Marker);
    this.gc = db.repository(Bucket.ConsensusGcRound, Marker);
  }

  /** The highest round the store holds a certificate of (0: none). */
  async highestRound(): Promise<number> {
    for await (const key of this.byRound.keys({ reverse: true, limit: 1 })) return readU64Key(key);
    return 0;
  }

  async gcRound(): Promise<number> {
    for await (const key of this.gc.keys({ limit: 1 })) return readU64Key(key);
    return 0;
  }

  /** Certificates of rounds [from, to], ascending by round then author, with their digests. */
  async certificatesIn(
    from: number,
    to: number,
  ): Promise<{ round: number; author: number; digest: Uint8Array; certificate: Certificate }[]> {
    const slots: { round: number; author: number; digest: Uint8Array }[] = [];
    for await (const [key, digest] of this.byRound.entries({ gte: u64Key(from), lt: u64Key(to + 1) })) {
      slots.push({ round: readU64Key(key), author: (key[8]! << 8) | key[9]!, digest });
    }
    const stored = await this.certificates.getMany(slots.map((s) => s.digest));
    return slots.flatMap((s, i) => {
      const certificate = stored[i];
      return certificate === undefined ? [] : [{ ...s, certificate }];
    });
  }

  /**
   * Commit records whose leader is at or above round `from`, newest first: only those can order a
   * certificate of a round at or above it (a leader orders its causal history, never a later round).
   */
  async commitsFrom(from: number, max: number): Promise<CommitRecord[]> {
    const out: CommitRecord[] = [];
    for await (const [, record] of this.commits.entries({ reverse: true })) {
      if (record.leaderRound < from || out.length >= max) break;
      out.push(record);
    }
    return out;
  }

  /** Hex digests of the certificates of rounds [from, to] marked committed (a checkpoint's too). */
  async committedIn(from: number, to: number): Promise<Set<string>> {
    const out = new Set<string>();
    for await (const key of this.committed.keys({ gte: u64Key(from), lt: u64Key(to + 1) })) {
      out.add(toHex(key.subarray(8)));
    }
    return out;
  }
}

/** One certificate as `mass_getDag` answers it. */
export interface DagCertificateJson {
  round: string;
  author: number;
  digest: string;
  parents: string[];
  createdAt: string;
  batches: number;
  /** It is the round's leader by the schedule (an even round's anchor), committed or not. */
  leader: boolean;
  /** A commit record names it as its leader: it ordered a sub-DAG (the block `height`). */
  committedLeader: boolean;
  /** Ordered by a commit (or installed as committed by a checkpoint). */
  committed: boolean;
  /** The commit that ordered it: its leader's sub-DAG; null while uncommitted or when the record is gone. */
  commitIndex: string | null;
}

export interface DagJson {
  fromRound: string;
  toRound: string;
  highestRound: string;
  gcRound: string;
  lastCommittedRound: string;
  committee: { index: number; name: string; stake: string }[];
  certificates: DagCertificateJson[];
  /** Commits of leaders in the window, ascending: index, leader, certificates ordered, block height. */
  commits: {
    index: string;
    leaderRound: string;
    leader: string;
    certificates: number;
    height: string | null;
  }[];
}

export interface TensorCellJson {
  subject: string;
  jurisdiction: string;
  domain: string;
  domainIndex: number;
  /** As attested. */
  state: string;
  stateCode: number;
  /** As a transaction executing now reads it: EXPIRED once past `expiresAt`. */
  effectiveState: string;
  expired: boolean;
  /** Unix ms; "0": never expires. */
  expiresAt: string;
  evaluatedAt: string;
  attester: string;
  attestationRef: string;
}

/** The optional non-negative integer parameter, or `fallback` when absent or null. */
function optionalCount(params: RpcParams, index: number, name: string, fallback: number): number {
  const value = param(params, index, name);
  return value === undefined || value === null ? fallback : u64Param(params, index, name);
}

function boundedCount(params: RpcParams, index: number, name: string, fallback: number, max: number): number {
  const n = optionalCount(params, index, name, fallback);
  if (n < 1 || n > max) throw invalidParams(`${name} must be from 1 to ${max}, got ${n}`);
  return n;
}

/** A 0x-hex cursor of at most a tensor key's bytes; absent or null: from the first cell. */
function cursorParam(params: RpcParams, index: number): string {
  const value = param(params, index, "cursor");
  if (value === undefined || value === null) return "";
  const bytes = hexParam(params, index, "cursor");
  if (bytes.length > MAX_CURSOR_BYTES)
    throw invalidParams(`cursor must be at most ${MAX_CURSOR_BYTES} bytes, got ${bytes.length}`);
  return toHex(bytes).slice(2);
}

/**
 * The explorer's read-only methods (docs/rpc.md, "Explorer"): the recent consensus DAG, a harbor's
 * compliance tensor cells, and a block by its hash. Every parameter is checked (-32602), every
 * answer bounded.
 */
export function explorerMethods(deps: ExplorerRpcDeps): Record<string, RpcMethod> {
  const { chain, genesis } = deps;
  const dag = new DagReader(deps.db);
  const committee = new ConsensusCommittee(genesis.committee);
  const jurisdictions = new Map(genesis.harbors.map((h) => [asciiString(h.id), asciiString(h.jurisdiction)]));
  /** Sorted tensor keys of one harbor as of one height: a page is a slice, not a sort. */
  const sortedKeys = new Map<string, { height: number; keys: string[] }>();

  const refuseIfDiverged = () => refuseDiverged(deps.status);

  function tensorKeys(harbor: string): string[] {
    const cached = sortedKeys.get(harbor);
    if (cached !== undefined && cached.height === chain.height) return cached.keys;
    const keys: string[] = [];
    for (const key of chain.state.snapshot(harbor).keys()) {
      if (key.length === TENSOR_KEY_HEX_CHARS && key.startsWith(TENSOR_PREFIX)) keys.push(key);
    }
    keys.sort();
    sortedKeys.set(harbor, { height: chain.height, keys });
    return keys;
  }

  function cellJson(key: string, cell: TensorCell, now: number): TensorCellJson {
    const domain = Number.parseInt(key.slice(-2), 16);
    const jurisdictionBytes = Buffer.from(key.slice(2 + 64, -2), "hex");
    const end = jurisdictionBytes.indexOf(0);
    const state = isComplianceState(cell.state) ? complianceStateName(cell.state) : String(cell.state);
    const effective = readCellState(cell, now);
    return {
      subject: `0x${key.slice(2, 2 + 64)}`,
      jurisdiction: jurisdictionBytes.subarray(0, end < 0 ? undefined : end).toString("latin1"),
      domain: domain < DOMAIN_COUNT ? domainName(domain) : String(domain),
      domainIndex: domain,
      state,
      stateCode: cell.state,
      effectiveState: isComplianceState(effective) ? complianceStateName(effective) : String(effective),
      expired: cell.expiresAt !== 0 && now > cell.expiresAt,
      expiresAt: String(cell.expiresAt),
      evaluatedAt: String(cell.evaluatedAt),
      attester: toHex(cell.attester),
      attestationRef: toHex(cell.attestationRef),
    };
  }

  /** Block heights of the leaders committed at or above `fromRound`, by leader digest (recent blocks only). */
  async function leaderHeights(fromRound: number, max: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let h = chain.height; h >= 1 && out.size < max; h--) {
      const block = await chain.store.blockByHeight(h);
      if (block === undefined || block.header.leaderRound < fromRound) break;
      out.set(toHex(block.header.leaderCertificate), h);
    }
    return out;
  }

  return {
    mass_getDag: async (params): Promise<DagJson> => {
      const asked = boundedCount(params, 0, "rounds", DEFAULT_DAG_ROUNDS, MAX_DAG_ROUNDS);
      const rounds = Math.min(asked, Math.max(1, Math.floor(MAX_DAG_CERTIFICATES / committee.size)));
      const [highest, gcRound] = await Promise.all([dag.highestRound(), dag.gcRound()]);
      const toRound = highest;
      const fromRound = Math.max(1, gcRound + 1, toRound - rounds + 1);
      const certificates = highest === 0 ? [] : await dag.certificatesIn(fromRound, toRound);
      // A leader round per two rounds in the window, and one more to find where to stop.
      const commits = highest === 0 ? [] : await dag.commitsFrom(fromRound, rounds);
      const committed = highest === 0 ? new Set<string>() : await dag.committedIn(fromRound, toRound);
      const heights = await leaderHeights(fromRound, rounds);
      const orderedBy = new Map<string, number>();
      const leaders = new Set<string>();
      for (const c of commits) {
        leaders.add(toHex(c.leader));
        for (const d of c.certificates) orderedBy.set(toHex(d), c.index);
      }
      const lastCommittedRound =
        commits[0]?.leaderRound ?? (await dag.commitsFrom(0, 1))[0]?.leaderRound ?? 0;
      return {
        fromRound: String(highest === 0 ? 0 : fromRound),
        toRound: String(toRound),
        highestRound: String(highest),
        gcRound: String(gcRound),
        lastCommittedRound: String(lastCommittedRound),
        committee: genesis.committee.validators.map((v, index) => ({
          index,
          name: asciiString(v.name),
          stake: String(v.stake),
        })),
        certificates: certificates.map(({ round, author, digest, certificate }) => {
          const hex = toHex(digest);
          const index = orderedBy.get(hex);
          return {
            round: String(round),
            author,
            digest: hex,
            parents: certificate.header.parents.map(toHex),
            createdAt: String(certificate.header.createdAt),
            batches: certificate.header.payload.length,
            leader: round % 2 === 0 && committee.leader(round) === author,
            committedLeader: leaders.has(hex),
            committed: index !== undefined || committed.has(hex),
            commitIndex: index === undefined ? null : String(index),
          };
        }),
        commits: commits
          .map((c) => {
            const leader = toHex(c.leader);
            const height = heights.get(leader);
            return {
              index: String(c.index),
              leaderRound: String(c.leaderRound),
              leader,
              certificates: c.certificates.length,
              height: height === undefined ? null : String(height),
            };
          })
          .reverse(),
      };
    },

    mass_listTensorCells: (params) => {
      refuseIfDiverged();
      const harbor = stringParam(params, 0, "harbor");
      const jurisdiction = jurisdictions.get(harbor);
      if (jurisdiction === undefined) throw invalidParams(`unknown harbor "${harbor}"`);
      const cursor = cursorParam(params, 1);
      const limit = boundedCount(params, 2, "limit", DEFAULT_TENSOR_PAGE, MAX_TENSOR_PAGE);
      const keys = tensorKeys(harbor);
      // The first key at or above the cursor (binary search over the sorted keys).
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < cursor) lo = mid + 1;
        else hi = mid;
      }
      const now = chain.chainHead.timestamp;
      const data: TensorCellJson[] = [];
      let next = lo;
      for (; next < keys.length && data.length < limit; next++) {
        const key = keys[next]!;
        const value = chain.state.get(harbor, key);
        if (value === undefined) continue;
        data.push(cellJson(key, TensorCell.deserialize(value), now));
      }
      const nextKey = keys[next];
      return {
        harbor,
        jurisdiction,
        height: String(chain.height),
        now: String(now),
        data,
        nextCursor: nextKey === undefined ? null : `0x${nextKey}`,
        hasNextPage: nextKey !== undefined,
      };
    },

    mass_getBlockByHash: async (params) => {
      const hash = hexParam(params, 0, "hash", 32);
      const block = await chain.store.blockByHash(hash);
      if (block === undefined) throw new RpcError(RpcErrorCode.NotFound, `block ${toHex(hash)} not found`);
      return blockJson(chain, block);
    },
  };
}
