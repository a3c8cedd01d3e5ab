import type { ValueOf } from "@chainsafe/ssz";
import { MAX_TX_BYTES } from "../../types/limits.js";
import { asciiString } from "../../types/primitives.js";
import { txHashOfBytes } from "../../types/signing.js";
import {
  SignedTransaction,
  type TransactionBody,
  TX_PAYLOAD_TYPES,
  type TxKind,
} from "../../types/transaction.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import { errorMessage } from "../../util/errors.js";

/**
 * The stateless rules of a transaction, each written once, for the three steps that apply them:
 * the pool refuses a transaction (telling the client why), the chain leaves it out of a block, the
 * VM gives it an Invalid receipt. Each step runs the rules it needs, in its order, and words the
 * fault for its audience; none of the rules reads state.
 */

export enum TxFaultCode {
  /** Larger than any transaction can be: refused before decoding. */
  TooLarge = "too_large",
  /** Not an SSZ SignedTransaction. */
  Undecodable = "undecodable",
  /** Signed for another chain. */
  WrongChain = "wrong_chain",
  /** Names a harbor that is not among the ones accepted here. */
  UnknownHarbor = "unknown_harbor",
  /** A kind with no payload type. */
  UnknownKind = "unknown_kind",
  /** The payload does not decode as its kind's type. */
  MalformedPayload = "malformed_payload",
  /** Pays less than the admission policy's minimum fee. */
  FeeTooLow = "fee_too_low",
  /** Asks for more gas than the admission policy allows one transaction. */
  GasLimitTooHigh = "gas_limit_too_high",
}

export type TxFault =
  | { code: TxFaultCode.TooLarge; bytes: number; limit: number }
  | { code: TxFaultCode.Undecodable; error: string }
  | { code: TxFaultCode.WrongChain; expected: Uint8Array }
  | { code: TxFaultCode.UnknownHarbor; harbor: string; known: readonly string[] }
  | { code: TxFaultCode.UnknownKind; kind: number }
  | { code: TxFaultCode.MalformedPayload; kind: number; error: string }
  | { code: TxFaultCode.FeeTooLow; fee: bigint; minimum: bigint }
  | { code: TxFaultCode.GasLimitTooHigh; gasLimit: number; maximum: number };

/** The faults of the given codes (what one check can return). */
export type FaultOf<C extends TxFaultCode> = Extract<TxFault, { code: C }>;

/** What a check returns: the value it produced, or the rule the transaction broke. */
export type TxCheck<T, F extends TxFault = TxFault> = { ok: true; value: T } | { ok: false; fault: F };

/** A decoded payload of any kind. */
export type DecodedPayload = { [K in TxKind]: ValueOf<(typeof TX_PAYLOAD_TYPES)[K]> }[TxKind];

/** What a transaction must match wherever it is checked. */
export interface EnvelopeRules {
  chainId: Uint8Array;
  /** The harbors it may name: the chain's (pool), or the one executing it (VM). */
  harbors: ReadonlySet<string>;
}

/** A node's own limits on what it admits; consensus applies none of them. */
export interface AdmissionPolicy {
  minFee: bigint;
  maxGasLimit: number;
}

export interface ValidTx {
  tx: SignedTransaction;
  harbor: string;
  payload: DecodedPayload;
}

const fail = <F extends TxFault>(fault: F): { ok: false; fault: F } => ({ ok: false, fault });

/** The size bound, checked before decoding so an oversized input costs nothing to refuse. */
export function sizeFault(bytes: Uint8Array): FaultOf<TxFaultCode.TooLarge> | null {
  if (bytes.length <= MAX_TX_BYTES) return null;
  return { code: TxFaultCode.TooLarge, bytes: bytes.length, limit: MAX_TX_BYTES };
}

export function decodeTransaction(
  bytes: Uint8Array,
): TxCheck<SignedTransaction, FaultOf<TxFaultCode.Undecodable>> {
  try {
    return { ok: true, value: SignedTransaction.deserialize(bytes) };
  } catch (err) {
    return fail({ code: TxFaultCode.Undecodable, error: errorMessage(err) });
  }
}

/**
 * A transaction decoded and hashed once, where a validator first sees it (its pool's admission, or
 * a peer's batch arriving), and carried so to execution: nothing on the way decodes or hashes it again.
 */
export interface DecodedTx {
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly tx: SignedTransaction;
  /** The harbor id it names; "" when that is not printable ASCII (no harbor has that id). */
  readonly harbor: string;
}

/** Decodes and hashes an encoded transaction; null when it is not one. */
export function decodeTx(bytes: Uint8Array): DecodedTx | null {
  const decoded = decodeTransaction(bytes);
  if (!decoded.ok) return null;
  const hash = txHashOfBytes(bytes);
  return {
    bytes,
    hash,
    hashHex: toHex(hash),
    tx: decoded.value,
    harbor: harborText(decoded.value.body.harbor),
  };
}

/**
 * Sets up to this size are scanned, comparing the transaction's bytes with each id's characters:
 * cheaper than building a string per transaction (the VM's set holds just its own harbor).
 */
const SCAN_MAX_HARBORS = 8;

/**
 * The harbor a transaction names, if it is one of `harbors` (printable-ASCII ids, as genesis checks
 * them). The transaction's bytes are untrusted, maybe not even ASCII.
 */
export function knownHarbor(
  body: TransactionBody,
  harbors: ReadonlySet<string>,
): TxCheck<string, FaultOf<TxFaultCode.UnknownHarbor>> {
  if (harbors.size <= SCAN_MAX_HARBORS) {
    for (const id of harbors) if (spells(body.harbor, id)) return { ok: true, value: id };
  } else {
    const id = harborText(body.harbor);
    if (harbors.has(id)) return { ok: true, value: id };
  }
  return fail({ code: TxFaultCode.UnknownHarbor, harbor: harborText(body.harbor), known: [...harbors] });
}

function spells(bytes: Uint8Array, id: string): boolean {
  if (bytes.length !== id.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== id.charCodeAt(i)) return false;
  return true;
}

/** The harbor id as text; "" when it is not printable ASCII (so it matches no harbor). */
function harborText(bytes: Uint8Array): string {
  try {
    return asciiString(bytes);
  } catch {
    return "";
  }
}

/** The chain id, then the harbor; yields the harbor's id. */
export function checkEnvelope(
  body: TransactionBody,
  rules: EnvelopeRules,
): TxCheck<string, FaultOf<TxFaultCode.WrongChain | TxFaultCode.UnknownHarbor>> {
  // Compared as bytes: a transaction's strings are untrusted.
  if (!bytesEqual(body.chainId, rules.chainId)) {
    return fail({ code: TxFaultCode.WrongChain, expected: rules.chainId });
  }
  return knownHarbor(body, rules.harbors);
}

/** The kind, then its payload. */
export function decodePayload(
  body: TransactionBody,
): TxCheck<DecodedPayload, FaultOf<TxFaultCode.UnknownKind | TxFaultCode.MalformedPayload>> {
  const payloadType = TX_PAYLOAD_TYPES[body.kind as TxKind];
  if (payloadType === undefined) return fail({ code: TxFaultCode.UnknownKind, kind: body.kind });
  try {
    return { ok: true, value: payloadType.deserialize(body.payload) };
  } catch (err) {
    return fail({ code: TxFaultCode.MalformedPayload, kind: body.kind, error: errorMessage(err) });
  }
}

export function policyFault(
  body: TransactionBody,
  policy: AdmissionPolicy,
): FaultOf<TxFaultCode.FeeTooLow | TxFaultCode.GasLimitTooHigh> | null {
  if (body.fee < policy.minFee) {
    return { code: TxFaultCode.FeeTooLow, fee: body.fee, minimum: policy.minFee };
  }
  if (body.gasLimit > policy.maxGasLimit) {
    return { code: TxFaultCode.GasLimitTooHigh, gasLimit: body.gasLimit, maximum: policy.maxGasLimit };
  }
  return null;
}

/** Every rule, as the pool admits: size, encoding, chain, harbor, kind, payload, fee, gas limit. */
export function checkTransaction(
  bytes: Uint8Array,
  rules: EnvelopeRules & AdmissionPolicy,
): TxCheck<ValidTx> {
  const tooLarge = sizeFault(bytes);
  if (tooLarge !== null) return fail(tooLarge);
  const decoded = decodeTransaction(bytes);
  if (!decoded.ok) return decoded;
  const tx = decoded.value;
  const harbor = checkEnvelope(tx.body, rules);
  if (!harbor.ok) return harbor;
  const payload = decodePayload(tx.body);
  if (!payload.ok) return payload;
  const overLimit = policyFault(tx.body, rules);
  if (overLimit !== null) return fail(overLimit);
  return { ok: true, value: { tx, harbor: harbor.value, payload: payload.value } };
}
