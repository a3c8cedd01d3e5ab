import { type ContainerType, UintBigintType, UintNumberType, type ValueOf } from "@chainsafe/ssz";
import { ed25519 } from "@noble/curves/ed25519.js";
import { CryptoError, CryptoErrorCode } from "../crypto/errors.js";
import { asciiBytes } from "../types/primitives.js";
import { txHashOfBytes, txSigningMessage } from "../types/signing.js";
import {
  type AttestPayload,
  type CallPayload,
  type CorridorPayload,
  type DeployPayload,
  type MigratePayload,
  SignedTransaction,
  type TransactionBody,
  TransactionBody as TransactionBodyType,
  type TransferPayload,
  TX_PAYLOAD_TYPES,
  TxKind,
} from "../types/transaction.js";
import { TxBuildError, TxBuildErrorCode } from "./errors.js";

/**
 * Building and signing transactions: the one place that turns "who sends what" into the bytes
 * `mass_sendRawTransaction` takes (CLI, tests, benches and SDK users all come here). Signing is pure
 * JS (@noble/curves), so this file needs no node:crypto; a caller that has a faster signer (the
 * node's `sign` from src/crypto/ed25519.ts) passes it in. Ed25519 is deterministic, so every signer
 * gives the same bytes.
 */

/** Gas limit of a native transfer: its intrinsic cost plus the compliance reads, with room to spare. */
export const TRANSFER_GAS_LIMIT = 200_000;

/** What every transaction carries besides its kind and payload. Ids may be given as ASCII strings. */
export interface TxEnvelope {
  chainId: string | Uint8Array;
  harbor: string | Uint8Array;
  /** The sender's Ed25519 public key (accounts are addressed by it). */
  sender: Uint8Array;
  nonce: number;
  gasLimit: number;
  fee: bigint;
}

/** The payload value of each kind, as its SSZ type decodes it. */
export type TxPayload<K extends TxKind> = ValueOf<(typeof TX_PAYLOAD_TYPES)[K]>;

/** An Ed25519 signer: the 64-byte signature of `message` under the 32-byte secret key (RFC 8032). */
export type Signer = (secretKey: Uint8Array, message: Uint8Array) => Uint8Array;

/** A signed transaction three ways: decoded, encoded (what is sent) and its id (SHA-256 of the bytes). */
export interface SignedTx {
  tx: SignedTransaction;
  bytes: Uint8Array;
  hash: Uint8Array;
}

/**
 * Refuses an integer field that does not fit its SSZ width: SSZ encodes 2^64 + 5 as 5 and 300 in a
 * u8 as 44, so a typo in an amount would otherwise be signed as another amount.
 */
function assertIntegersFit(
  typeName: string,
  type: ContainerType<never>,
  value: Record<string, unknown>,
): void {
  for (const [name, fieldType] of Object.entries(type.fields)) {
    if (!(fieldType instanceof UintBigintType || fieldType instanceof UintNumberType)) continue;
    const v = value[name];
    const max = 2n ** BigInt(8 * fieldType.byteLength);
    const ok =
      (typeof v === "bigint" && v >= 0n && v < max) ||
      (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && BigInt(v) < max);
    if (!ok) {
      throw new TxBuildError(
        TxBuildErrorCode.OutOfRange,
        `${typeName}.${name} must be an integer from 0 to ${max - 1n}, got ${String(v)}`,
        { field: `${typeName}.${name}`, value: String(v) },
      );
    }
  }
}

function idBytes(id: string | Uint8Array): Uint8Array {
  return typeof id === "string" ? asciiBytes(id) : id;
}

/** The body of a transaction of `kind`; the payload is SSZ-encoded with that kind's type. */
export function buildTransaction<K extends TxKind>(
  envelope: TxEnvelope,
  kind: K,
  payload: TxPayload<K>,
): TransactionBody {
  // The payload type is the one `kind` selects; TypeScript cannot narrow the union by a generic key.
  const type = TX_PAYLOAD_TYPES[kind] as unknown as ContainerType<never> & {
    serialize(value: TxPayload<K>): Uint8Array;
  };
  assertIntegersFit(type.typeName, type, payload as Record<string, unknown>);
  const body: TransactionBody = {
    chainId: idBytes(envelope.chainId),
    harbor: idBytes(envelope.harbor),
    sender: envelope.sender,
    nonce: envelope.nonce,
    gasLimit: envelope.gasLimit,
    fee: envelope.fee,
    kind,
    payload: type.serialize(payload),
  };
  assertIntegersFit("TransactionBody", TransactionBodyType as unknown as ContainerType<never>, body);
  return body;
}

/** A native balance transfer inside the sender's harbor. */
export function transferTx(envelope: TxEnvelope, payload: TransferPayload): TransactionBody {
  return buildTransaction(envelope, TxKind.Transfer, payload);
}

/** Deploys a Smart Asset: SAVM bytecode and metadata (canonical JSON bytes; none by default). */
export function deployTx(
  envelope: TxEnvelope,
  payload: { bytecode: Uint8Array; metadata?: Uint8Array },
): TransactionBody {
  const value: DeployPayload = {
    bytecode: payload.bytecode,
    metadata: payload.metadata ?? new Uint8Array(0),
  };
  return buildTransaction(envelope, TxKind.Deploy, value);
}

/** Calls a deployed Smart Asset with `input`. */
export function callTx(envelope: TxEnvelope, payload: CallPayload): TransactionBody {
  return buildTransaction(envelope, TxKind.Call, payload);
}

/** Writes one compliance-tensor cell; the jurisdiction may be given as its code ("PAK"). */
export function attestTx(
  envelope: TxEnvelope,
  payload: Omit<AttestPayload, "jurisdiction"> & { jurisdiction: string | Uint8Array },
): TransactionBody {
  const value: AttestPayload = { ...payload, jurisdiction: idBytes(payload.jurisdiction) };
  return buildTransaction(envelope, TxKind.Attest, value);
}

/** Moves native balance to `recipient` in another harbor through their corridor (`timeoutBlocks` 0: the corridor's). */
export function migrateTx(
  envelope: TxEnvelope,
  payload: Omit<MigratePayload, "destinationHarbor" | "timeoutBlocks"> & {
    destinationHarbor: string | Uint8Array;
    timeoutBlocks?: number;
  },
): TransactionBody {
  const value: MigratePayload = {
    ...payload,
    destinationHarbor: idBytes(payload.destinationHarbor),
    timeoutBlocks: payload.timeoutBlocks ?? 0,
  };
  return buildTransaction(envelope, TxKind.Migrate, value);
}

/** A corridor lifecycle move, signed by the authority of the envelope's harbor. */
export function corridorTx(
  envelope: TxEnvelope,
  payload: Omit<CorridorPayload, "corridor"> & { corridor: string | Uint8Array },
): TransactionBody {
  return buildTransaction(envelope, TxKind.Corridor, { ...payload, corridor: idBytes(payload.corridor) });
}

const SECRET_KEY_LENGTH = 32;

function assertSecretKey(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_LENGTH) {
    const actual = secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey;
    throw new CryptoError(
      CryptoErrorCode.InvalidSecretKeyLength,
      `secret key must be ${SECRET_KEY_LENGTH} bytes, got ${actual}`,
    );
  }
}

/** Pure-JS Ed25519 signing (@noble/curves): the default signer. */
export const signEd25519: Signer = (secretKey, message) => {
  assertSecretKey(secretKey);
  return ed25519.sign(message, secretKey);
};

/** The Ed25519 public key (the account address) of a 32-byte secret key, in pure JS. */
export function derivePublicKey(secretKey: Uint8Array): Uint8Array {
  assertSecretKey(secretKey);
  return ed25519.getPublicKey(secretKey);
}

/**
 * Signs `body` (the signature covers `txSigningMessage(body)`, docs/protocol.md) and returns the
 * signed transaction, its encoding and its hash. The secret key must belong to `body.sender`;
 * that is not checked here (the node rejects a wrong one as a bad signature).
 */
export function signTransaction(
  body: TransactionBody,
  secretKey: Uint8Array,
  signer: Signer = signEd25519,
): SignedTx {
  const tx: SignedTransaction = { body, signature: signer(secretKey, txSigningMessage(body)) };
  const bytes = SignedTransaction.serialize(tx);
  return { tx, bytes, hash: txHashOfBytes(bytes) };
}
