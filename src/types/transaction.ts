import { ByteListType, ContainerType, type ValueOf } from "@chainsafe/ssz";
import {
  MAX_BYTECODE_BYTES,
  MAX_CALL_INPUT_BYTES,
  MAX_METADATA_BYTES,
  MAX_TX_PAYLOAD_BYTES,
} from "./limits.js";
import {
  AsciiStringType,
  Bytes32,
  ChainId,
  HarborId,
  PublicKey,
  Signature,
  Uint8,
  UintBn64,
  UintNum64,
} from "./primitives.js";

/** What a transaction does; selects the SSZ type of its payload. Numbers are wire values: never reuse one. */
export enum TxKind {
  /** Native balance transfer inside the sender's harbor. */
  Transfer = 0,
  /** Deploy a Smart Asset (SAVM bytecode + metadata) into the harbor. */
  Deploy = 1,
  /** Call a deployed Smart Asset. */
  Call = 2,
  /** Write one compliance-tensor cell (only an attester the harbor authorises for the domain). */
  Attest = 3,
  /** Move native balance to another harbor through their corridor (escrowed until credited or refunded). */
  Migrate = 4,
  /** A corridor lifecycle move by one of its harbors' authorities (sharding/lifecycle.ts says who may do what). */
  Corridor = 5,
}

export const TransactionBody = new ContainerType(
  {
    chainId: ChainId,
    harbor: HarborId,
    sender: PublicKey,
    nonce: UintNum64,
    gasLimit: UintNum64,
    fee: UintBn64,
    kind: Uint8,
    payload: new ByteListType(MAX_TX_PAYLOAD_BYTES),
  },
  { typeName: "TransactionBody" },
);
export type TransactionBody = ValueOf<typeof TransactionBody>;

export const SignedTransaction = new ContainerType(
  { body: TransactionBody, signature: Signature },
  { typeName: "SignedTransaction" },
);
export type SignedTransaction = ValueOf<typeof SignedTransaction>;

export const TransferPayload = new ContainerType(
  { to: PublicKey, amount: UintBn64 },
  { typeName: "TransferPayload" },
);
export type TransferPayload = ValueOf<typeof TransferPayload>;

export const DeployPayload = new ContainerType(
  { bytecode: new ByteListType(MAX_BYTECODE_BYTES), metadata: new ByteListType(MAX_METADATA_BYTES) },
  { typeName: "DeployPayload" },
);
export type DeployPayload = ValueOf<typeof DeployPayload>;

export const CallPayload = new ContainerType(
  { asset: Bytes32, input: new ByteListType(MAX_CALL_INPUT_BYTES) },
  { typeName: "CallPayload" },
);
export type CallPayload = ValueOf<typeof CallPayload>;

/** ISO 3166 alpha-3 jurisdiction codes such as "PAK", "ARE", "KAZ". */
export const JurisdictionCode = new AsciiStringType(8, { typeName: "JurisdictionCode" });

export const AttestPayload = new ContainerType(
  {
    subject: Bytes32,
    jurisdiction: JurisdictionCode,
    /** Index into the twenty compliance domains, in SPEC order. */
    domain: Uint8,
    /** ComplianceState wire value. */
    state: Uint8,
    attestationRef: Bytes32,
    /** Unix milliseconds after which the cell reads as EXPIRED; 0 = never expires. */
    expiresAt: UintNum64,
  },
  { typeName: "AttestPayload" },
);
export type AttestPayload = ValueOf<typeof AttestPayload>;

export const MigratePayload = new ContainerType(
  {
    destinationHarbor: HarborId,
    /** The account credited at the destination harbor. */
    recipient: PublicKey,
    amount: UintBn64,
    /** Blocks the departure may wait for delivery before it is refunded; 0: the corridor's timeout (the most). */
    timeoutBlocks: UintNum64,
  },
  { typeName: "MigratePayload" },
);
export type MigratePayload = ValueOf<typeof MigratePayload>;

/** The role a harbor authority acts in on a corridor: it starts a move, or agrees to the other side's. */
export enum CorridorRole {
  Proposer = 0,
  Acceptor = 1,
}

export const CorridorPayload = new ContainerType(
  {
    /** The corridor id: its two harbor ids sorted, joined by "~"; the sender's harbor is one of them. */
    corridor: new AsciiStringType(2 * 32 + 1, { typeName: "CorridorId" }),
    /** The CorridorState to move to. */
    to: Uint8,
    /** CorridorRole wire value. */
    role: Uint8,
    /** Digest of the off-chain evidence for the move (the agreement, the order, the incident report). */
    evidence: Bytes32,
  },
  { typeName: "CorridorPayload" },
);
export type CorridorPayload = ValueOf<typeof CorridorPayload>;

/** The payload type of each kind, for decoding `TransactionBody.payload`. */
export const TX_PAYLOAD_TYPES = {
  [TxKind.Transfer]: TransferPayload,
  [TxKind.Deploy]: DeployPayload,
  [TxKind.Call]: CallPayload,
  [TxKind.Attest]: AttestPayload,
  [TxKind.Migrate]: MigratePayload,
  [TxKind.Corridor]: CorridorPayload,
} as const;
