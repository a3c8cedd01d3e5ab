import { asciiBytes } from "../../types/primitives.js";
import { type Word, wordToBytes } from "../word.js";

/**
 * A harbor's state is a flat key space; a key is a kind byte followed by ids, and the value is the
 * SSZ encoding of the kind's type (docs/savm.md, "State layout"). Kind numbers are persistent: never
 * reuse one. Keys travel as lowercase hex without 0x (the snapshot and write-set form).
 */
export enum StateKind {
  /** 0x01 ‖ address(32) -> Account */
  Account = 0x01,
  /** 0x02 ‖ asset(32) -> AssetRecord */
  Asset = 0x02,
  /** 0x03 ‖ asset(32) ‖ slot(32) -> 32-byte value (absent = 0) */
  Storage = 0x03,
  /** 0x04 ‖ subject(32) ‖ jurisdiction(8, zero-padded ASCII) ‖ domain(1) -> TensorCell */
  Tensor = 0x04,
  /** 0x05 ‖ lockId(32) -> Lock */
  Lock = 0x05,
  /** 0x06 ‖ transitId(32) -> Arrival */
  Arrival = 0x06,
  /** 0x07 -> ReceiptChainHead of the harbor's native ledger */
  NativeChain = 0x07,
}

/** Bytes reserved for the jurisdiction code inside a tensor key (JurisdictionCode's limit). */
export const JURISDICTION_KEY_BYTES = 8;

function kindHex(kind: StateKind): string {
  return kind.toString(16).padStart(2, "0");
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function accountKey(address: Uint8Array): string {
  return kindHex(StateKind.Account) + hexOf(address);
}

export function assetKey(asset: Uint8Array): string {
  return kindHex(StateKind.Asset) + hexOf(asset);
}

export function storageKey(assetHex: string, slot: Word): string {
  return kindHex(StateKind.Storage) + assetHex + hexOf(wordToBytes(slot));
}

/** Jurisdiction codes as they appear in tensor keys, cached: read on every compliance check. */
const jurisdictionHexes = new Map<string, string>();
/** A chain has a handful of jurisdictions; programs may name others, which are not cached past this. */
const MAX_CACHED_JURISDICTIONS = 64;

function jurisdictionHex(jurisdiction: string): string {
  let hex = jurisdictionHexes.get(jurisdiction);
  if (hex === undefined) {
    const jur = new Uint8Array(JURISDICTION_KEY_BYTES);
    jur.set(asciiBytes(jurisdiction));
    hex = hexOf(jur);
    if (jurisdictionHexes.size < MAX_CACHED_JURISDICTIONS) jurisdictionHexes.set(jurisdiction, hex);
  }
  return hex;
}

export function tensorKey(subject: Uint8Array, jurisdiction: string, domain: number): string {
  return (
    kindHex(StateKind.Tensor) +
    hexOf(subject) +
    jurisdictionHex(jurisdiction) +
    domain.toString(16).padStart(2, "0")
  );
}

export function lockKey(lockId: Uint8Array): string {
  return kindHex(StateKind.Lock) + hexOf(lockId);
}

export function arrivalKey(transitId: Uint8Array): string {
  return kindHex(StateKind.Arrival) + hexOf(transitId);
}

export const NATIVE_CHAIN_KEY = kindHex(StateKind.NativeChain);
