import { BitListType, ByteListType, ByteVectorType, UintBigintType, UintNumberType } from "@chainsafe/ssz";
import { DecodeError, DecodeErrorCode } from "../util/errors.js";

export const Uint8 = new UintNumberType(1);
export const Uint16 = new UintNumberType(2);
export const Uint32 = new UintNumberType(4);
/** u64 read as a JS number: rounds, heights, nonces, gas, milliseconds (all far below 2^53). */
export const UintNum64 = new UintNumberType(8);
/** u64 read as a bigint: amounts, balances and fees, which may use the full 64 bits. */
export const UintBn64 = new UintBigintType(8);

export const Bytes32 = new ByteVectorType(32);
export const Bytes64 = new ByteVectorType(64);
/** An Ed25519 public key (RFC 8032 encoding). Accounts are addressed by their public key. */
export const PublicKey = Bytes32;
/** An Ed25519 signature (RFC 8032 encoding). */
export const Signature = Bytes64;
export const Digest = Bytes32;

/** The largest committee the bitmaps and lists in certificates can describe. */
export const MAX_COMMITTEE_SIZE = 256;
/** Which committee members signed, by committee index. */
export const SignerBitmap = new BitListType(MAX_COMMITTEE_SIZE);

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const isPrintable = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/**
 * A short printable-ASCII string (chain ids, harbor ids, names). On the wire it is a ByteList of its
 * ASCII bytes; in JSON it is the plain string, so genesis files and RPC output stay readable.
 */
export class AsciiStringType extends ByteListType {
  constructor(limitBytes: number, opts?: { typeName?: string }) {
    super(limitBytes, opts);
  }

  override fromJson(json: unknown): Uint8Array {
    if (typeof json !== "string") {
      throw new DecodeError(DecodeErrorCode.InvalidString, `expected a string, got ${typeof json}`);
    }
    const bytes = asciiBytes(json);
    if (bytes.length > this.limitBytes) {
      throw new DecodeError(
        DecodeErrorCode.TooLarge,
        `string "${json.slice(0, 40)}" is ${bytes.length} bytes, limit ${this.limitBytes}`,
      );
    }
    return bytes;
  }

  override toJson(value: Uint8Array): string {
    return asciiString(value);
  }
}

/** Encodes a printable-ASCII string; anything else is a typed error. */
export function asciiBytes(text: string): Uint8Array {
  if (!PRINTABLE_ASCII.test(text)) {
    throw new DecodeError(DecodeErrorCode.InvalidString, `"${text.slice(0, 40)}" is not printable ASCII`);
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Ids are short: a loop beats a Buffer round trip, and it runs in browsers too. */
export function asciiString(bytes: Uint8Array): string {
  let text = "";
  for (const code of bytes) {
    if (!isPrintable(code))
      throw new DecodeError(DecodeErrorCode.InvalidString, "bytes are not printable ASCII");
    text += String.fromCharCode(code);
  }
  return text;
}

/** Chain ids, e.g. "mass-devnet". */
export const ChainId = new AsciiStringType(32, { typeName: "ChainId" });
/** Harbor ids, e.g. "pk-sifc". */
export const HarborId = new AsciiStringType(32, { typeName: "HarborId" });
