import { fromHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { invalidParams } from "./errors.js";
import type { RpcParams } from "./server.js";

/** The i-th positional parameter (or the named one), for methods taking a fixed list. */
export function param(params: RpcParams, index: number, name: string): unknown {
  if (Array.isArray(params)) return params[index];
  if (params !== undefined) return params[name];
  return undefined;
}

export function hexParam(params: RpcParams, index: number, name: string, length?: number): Uint8Array {
  const value = param(params, index, name);
  if (typeof value !== "string") throw invalidParams(`${name} must be a 0x-prefixed hex string`);
  try {
    return fromHex(value, length);
  } catch (err) {
    throw invalidParams(`${name}: ${errorMessage(err)}`);
  }
}

export function stringParam(params: RpcParams, index: number, name: string): string {
  const value = param(params, index, name);
  if (typeof value !== "string" || value.length === 0)
    throw invalidParams(`${name} must be a non-empty string`);
  return value;
}

/** A u64 given as a decimal string (the API's form) or a safe integer. */
export function u64Param(params: RpcParams, index: number, name: string): number {
  const value = param(params, index, name);
  const n = typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw invalidParams(`${name} must be a non-negative integer as a decimal string`);
  }
  return n;
}
