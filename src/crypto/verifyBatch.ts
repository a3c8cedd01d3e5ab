import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH, verify } from "./ed25519.js";

/** One Ed25519 check: key, message, signature. */
export interface VerifyItem {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Per item: public key (32) ‖ signature (64) ‖ message length (u32 big-endian) ‖ message. */
const ITEM_HEADER_BYTES = PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH + 4;

/** Packs checks into one buffer, which crosses to a worker thread without a copy. */
export function packVerifications(items: readonly VerifyItem[]): Uint8Array {
  let size = 0;
  for (const item of items) size += ITEM_HEADER_BYTES + item.message.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const { publicKey, message, signature } of items) {
    out.set(publicKey, offset);
    out.set(signature, offset + PUBLIC_KEY_LENGTH);
    view.setUint32(offset + PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH, message.length);
    out.set(message, offset + ITEM_HEADER_BYTES);
    offset += ITEM_HEADER_BYTES + message.length;
  }
  return out;
}

/**
 * Runs packed checks (see `packVerifications`) and returns one byte per item, 1 for a valid
 * signature. Keys or signatures of the wrong length cannot occur (the packing fixes them); a key
 * that is not a curve point verifies as 0. A truncated buffer throws.
 */
export function verifyPacked(packed: Uint8Array): Uint8Array {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const results: number[] = [];
  let offset = 0;
  while (offset < packed.length) {
    const length = view.getUint32(offset + PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH);
    const start = offset + ITEM_HEADER_BYTES;
    if (start + length > packed.length) throw new RangeError("packed verification batch is truncated");
    const publicKey = packed.subarray(offset, offset + PUBLIC_KEY_LENGTH);
    const signature = packed.subarray(
      offset + PUBLIC_KEY_LENGTH,
      offset + PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH,
    );
    results.push(verify(publicKey, packed.subarray(start, start + length), signature) ? 1 : 0);
    offset = start + length;
  }
  return Uint8Array.from(results);
}
