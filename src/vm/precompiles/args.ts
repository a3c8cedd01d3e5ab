import { isDomainIndex } from "../../compliance/domains.js";
import { isComplianceState } from "../../compliance/state.js";
import { Fault, FaultCode } from "../errors.js";
import { type Word, wordToAscii, wordToBytes } from "../word.js";

/** Stack-word decoding shared by the precompiles; a malformed argument faults. */

const JURISDICTION_RE = /^[A-Z]{2,8}$/;
const HARBOR_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const U64_MAX = (1n << 64n) - 1n;

export function argJurisdiction(w: Word): string {
  const text = wordToAscii(w);
  if (text === undefined || !JURISDICTION_RE.test(text)) {
    throw new Fault(FaultCode.InvalidArgument, 'jurisdiction must be an upper-case ASCII code like "PAK"');
  }
  return text;
}

export function argHarbor(w: Word): string {
  const text = wordToAscii(w);
  if (text === undefined || !HARBOR_RE.test(text)) {
    throw new Fault(FaultCode.InvalidArgument, 'harbor must be an ASCII harbor id like "ae-difc"');
  }
  return text;
}

export function argDomain(w: Word): number {
  if (!isDomainIndex(w)) throw new Fault(FaultCode.InvalidArgument, "domain must be 0..19");
  return w;
}

export function argState(w: Word): number {
  if (!isComplianceState(w)) throw new Fault(FaultCode.InvalidArgument, "state must be 0..6");
  return w;
}

/** A u64 quantity (amounts, timestamps). */
export function argU64(w: Word, what: string): bigint {
  const v = BigInt(w);
  if (v > U64_MAX) throw new Fault(FaultCode.InvalidArgument, `${what} exceeds 64 bits`);
  return v;
}

export function argId(w: Word): Uint8Array {
  return wordToBytes(w);
}
