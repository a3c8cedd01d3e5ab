// Decodes a transaction's SSZ payload for display (src/types/transaction.ts, TX_PAYLOAD_TYPES):
// each payload is a container of fixed fields (32-byte values, u64, u8) and byte lists, whose place in
// the fixed part holds a 4-byte little-endian offset to their bytes after it.

import { bytesOfHex, hexOfBytes } from "./format.js";
import { COMPLIANCE_STATES, CORRIDOR_ROLES, CORRIDOR_STATES, DOMAINS, nameOf, TX_KINDS } from "./names.js";

type FieldType = "bytes32" | "u64" | "u8" | "ascii" | "bytes";

const FIXED: Record<FieldType, number> = { bytes32: 32, u64: 8, u8: 1, ascii: 4, bytes: 4 };

/** The payload's fields by kind (TxKind wire value), in their declared order. */
const PAYLOADS: Record<number, [name: string, type: FieldType][]> = {
  0: [
    ["to", "bytes32"],
    ["amount", "u64"],
  ],
  1: [
    ["bytecode", "bytes"],
    ["metadata", "bytes"],
  ],
  2: [
    ["asset", "bytes32"],
    ["input", "bytes"],
  ],
  3: [
    ["subject", "bytes32"],
    ["jurisdiction", "ascii"],
    ["domain", "u8"],
    ["state", "u8"],
    ["attestationRef", "bytes32"],
    ["expiresAt", "u64"],
  ],
  4: [
    ["destinationHarbor", "ascii"],
    ["recipient", "bytes32"],
    ["amount", "u64"],
    ["timeoutBlocks", "u64"],
  ],
  5: [
    ["corridor", "ascii"],
    ["to", "u8"],
    ["role", "u8"],
    ["evidence", "bytes32"],
  ],
};

/** Fields whose value is an account address. */
export const ADDRESS_FIELDS = new Set(["to", "recipient", "subject"]);

export interface DecodedPayload {
  kind: string;
  fields: [name: string, value: string][];
  /** Why the payload could not be decoded (then `fields` is empty). */
  error?: string;
}

function u64(bytes: Uint8Array, at: number): string {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]!);
  return value.toString();
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function decodeContainer(bytes: Uint8Array, fields: [string, FieldType][]): [string, string][] {
  const fixedSize = fields.reduce((n, [, t]) => n + FIXED[t], 0);
  if (bytes.length < fixedSize) throw new Error(`payload of ${bytes.length} bytes, needs ${fixedSize}`);
  const values: [string, string][] = [];
  const variable: { index: number; type: FieldType; offset: number }[] = [];
  let at = 0;
  for (const [name, type] of fields) {
    if (type === "bytes32") values.push([name, hexOfBytes(bytes.subarray(at, at + 32))]);
    else if (type === "u64") values.push([name, u64(bytes, at)]);
    else if (type === "u8") values.push([name, String(bytes[at])]);
    else {
      variable.push({ index: values.length, type, offset: u32(bytes, at) });
      values.push([name, ""]);
    }
    at += FIXED[type];
  }
  variable.forEach((v, i) => {
    const end = variable[i + 1]?.offset ?? bytes.length;
    if (v.offset < fixedSize || end < v.offset || end > bytes.length) throw new Error("bad offset");
    const part = bytes.subarray(v.offset, end);
    values[v.index]![1] = v.type === "ascii" ? String.fromCharCode(...part) : hexOfBytes(part);
  });
  if (variable.length === 0 && bytes.length !== fixedSize)
    throw new Error(`payload of ${bytes.length} bytes, expected ${fixedSize}`);
  return values;
}

/** Wire values shown by name beside their number. */
function named(kind: number, fields: [string, string][]): [string, string][] {
  return fields.map(([name, value]) => {
    const n = Number(value);
    if (kind === 3 && name === "domain") return [name, `${nameOf(DOMAINS, n)} (${value})`];
    if (kind === 3 && name === "state") return [name, `${nameOf(COMPLIANCE_STATES, n)} (${value})`];
    if (kind === 5 && name === "to") return [name, `${nameOf(CORRIDOR_STATES, n)} (${value})`];
    if (kind === 5 && name === "role") return [name, `${nameOf(CORRIDOR_ROLES, n)} (${value})`];
    return [name, value];
  });
}

export function decodePayload(kind: number, payloadHex: string): DecodedPayload {
  const name = nameOf(TX_KINDS, kind);
  const fields = PAYLOADS[kind];
  if (fields === undefined) return { kind: name, fields: [], error: "unknown transaction kind" };
  try {
    return { kind: name, fields: named(kind, decodeContainer(bytesOfHex(payloadHex), fields)) };
  } catch (err) {
    return { kind: name, fields: [], error: err instanceof Error ? err.message : String(err) };
  }
}
