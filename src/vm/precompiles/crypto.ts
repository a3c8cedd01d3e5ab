import { verify } from "../../crypto/ed25519.js";
import { concatBytes } from "../../util/bytes.js";

/** Crypto precompile helpers; HASH and MERKLE_VERIFY call src/crypto directly. */

/** Largest proof MERKLE_VERIFY accepts: a tree of 2^64 leaves needs no more siblings. */
export const MAX_MERKLE_SIBLINGS = 64;

/** Ed25519 over a 32-byte message, the 64-byte signature given as two words (high half first). */
export function verifySignature(
  publicKey: Uint8Array,
  message: Uint8Array,
  sigHigh: Uint8Array,
  sigLow: Uint8Array,
): boolean {
  return verify(publicKey, message, concatBytes(sigHigh, sigLow));
}
