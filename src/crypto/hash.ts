import { createHash, hash } from "node:crypto";

/** SHA-256 of `data` (node:crypto's one-shot form: the fastest for small inputs). */
export function sha256(data: Uint8Array): Uint8Array {
  return hash("sha256", data, "buffer");
}

/** SHA-256 over the concatenation of `parts`, without building the concatenation. */
export function sha256Concat(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}
