import { ContainerType, ListCompositeType, type ValueOf } from "@chainsafe/ssz";
import { GenesisCorridor } from "./corridor.js";
import { MAX_ADDRESS_BYTES, MAX_CORRIDORS, MAX_GENESIS_ACCOUNTS, MAX_HARBORS } from "./limits.js";
import {
  AsciiStringType,
  ChainId,
  Digest,
  HarborId,
  MAX_COMMITTEE_SIZE,
  PublicKey,
  Uint8,
  UintBn64,
  UintNum64,
} from "./primitives.js";
import { JurisdictionCode } from "./transaction.js";

export const Validator = new ContainerType(
  {
    name: new AsciiStringType(64),
    /** Ed25519 key that signs headers, votes and block headers. */
    publicKey: PublicKey,
    stake: UintNum64,
    /** libp2p multiaddr the validator listens on, e.g. /ip4/127.0.0.1/tcp/26001. */
    address: new AsciiStringType(MAX_ADDRESS_BYTES),
  },
  { typeName: "Validator" },
);
export type Validator = ValueOf<typeof Validator>;

/** The validators of one epoch in committee order (an index into this list is an AuthorityIndex). */
export const Committee = new ContainerType(
  { epoch: UintNum64, validators: new ListCompositeType(Validator, MAX_COMMITTEE_SIZE) },
  { typeName: "Committee" },
);
export type Committee = ValueOf<typeof Committee>;

export const Harbor = new ContainerType(
  {
    id: HarborId,
    jurisdiction: JurisdictionCode,
    name: new AsciiStringType(64),
    /** canonicalDigest of the harbor's rule pack (rulepacks/<id>.json beside genesis.json). */
    rulePackDigest: Digest,
    /**
     * Ed25519 key of the harbor's authority: it signs the harbor's side of its corridors' lifecycle
     * transitions (proposal, acceptance, suspension, ...). Never all zero.
     */
    authority: PublicKey,
  },
  { typeName: "Harbor" },
);
export type Harbor = ValueOf<typeof Harbor>;

export const GenesisAccount = new ContainerType(
  { harbor: HarborId, address: PublicKey, balance: UintBn64 },
  { typeName: "GenesisAccount" },
);
export type GenesisAccount = ValueOf<typeof GenesisAccount>;

/**
 * A compliance-tensor cell set at genesis (no attester yet exists to write it): the subject's state
 * for one domain in the harbor's jurisdiction, never expiring.
 */
export const GenesisCell = new ContainerType(
  { harbor: HarborId, subject: PublicKey, domain: Uint8, state: Uint8 },
  { typeName: "GenesisCell" },
);
export type GenesisCell = ValueOf<typeof GenesisCell>;

/** SPEC appendix C: a block holds 1 MB of transactions by default, 256 KB to 16 MB. */
export const DEFAULT_MAX_BLOCK_BYTES = 1024 * 1024;
export const MIN_MAX_BLOCK_BYTES = 256 * 1024;
export const MAX_MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Gas a default block allows: 5,000 transactions declaring 200,000 each, about 1 MB of transfers. */
export const DEFAULT_MAX_BLOCK_GAS = 1_000_000_000;
/** The block limits of a genesis that takes the defaults. */
export const DEFAULT_BLOCK_LIMITS = {
  maxBlockBytes: DEFAULT_MAX_BLOCK_BYTES,
  maxBlockGas: DEFAULT_MAX_BLOCK_GAS,
};

/** Consensus tuning fixed at genesis, since every validator must apply the same rules. */
export const ConsensusParams = new ContainerType(
  {
    /** Rounds behind the last committed round below which the DAG is pruned. */
    gcDepth: UintNum64,
    /** Smallest delay between a validator's headers; keeps an idle network quiet. */
    minHeaderDelayMs: UintNum64,
    /**
     * Smallest delay before a header that carries no batches: an idle network advances (and makes
     * empty blocks) at this pace instead of every minHeaderDelayMs. Values below minHeaderDelayMs act as it.
     */
    maxHeaderDelayMs: UintNum64,
    /** Longest a proposer waits for the leader or its support before moving on. */
    leaderTimeoutMs: UintNum64,
    /** A worker seals a batch at this many bytes ... */
    maxBatchBytes: UintNum64,
    /** ... or after this delay, whichever comes first. */
    maxBatchDelayMs: UintNum64,
    /**
     * Encoded transaction bytes one block executes at most (SPEC appendix C: 1 MB, 256 KB-16 MB).
     * Committed transactions past it are left out like a nonce ahead of its turn: their pool submits
     * them again, so a block's cost stays bounded however much one commit orders.
     */
    maxBlockBytes: UintNum64,
    /** Sum of the gas limits of one block's transactions at most. */
    maxBlockGas: UintNum64,
  },
  { typeName: "ConsensusParams" },
);
export type ConsensusParams = ValueOf<typeof ConsensusParams>;

export const Genesis = new ContainerType(
  {
    chainId: ChainId,
    /** Unix milliseconds. */
    genesisTime: UintNum64,
    committee: Committee,
    params: ConsensusParams,
    harbors: new ListCompositeType(Harbor, MAX_HARBORS),
    accounts: new ListCompositeType(GenesisAccount, MAX_GENESIS_ACCOUNTS),
    cells: new ListCompositeType(GenesisCell, MAX_GENESIS_ACCOUNTS),
    /** The corridors between harbors at genesis, at most one per pair of harbors. */
    corridors: new ListCompositeType(GenesisCorridor, MAX_CORRIDORS),
  },
  { typeName: "Genesis" },
);
export type Genesis = ValueOf<typeof Genesis>;
