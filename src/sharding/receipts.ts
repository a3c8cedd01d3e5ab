import { sha256 } from "../crypto/hash.js";
import { CorridorReceipt } from "../types/corridor.js";

/** `previous` of a corridor's first receipt, and the zero transit id, asset and evidence. */
export const ZERO_DIGEST: Uint8Array = new Uint8Array(32);

/** A corridor receipt's digest: SHA-256 of its SSZ encoding. The next receipt's `previous`, and its MMR leaf. */
export function corridorReceiptDigest(receipt: CorridorReceipt): Uint8Array {
  return sha256(CorridorReceipt.serialize(receipt));
}
