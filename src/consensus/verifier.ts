import { verify } from "../crypto/ed25519.js";

/** Ed25519 verification as the core consumes it (injected so a simulator can share results). */
export interface SignatureVerifier {
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** Verifies every signature with node:crypto. */
export const ed25519Verifier: SignatureVerifier = { verify };

/**
 * Remembers verification results by (public key, message, signature). Verification is a pure
 * function of those bytes, so validators in one process (the simulator, the benchmark) may share
 * one memo: a certificate's vote signatures are checked once by the header author and then found
 * here by every other validator. A real node gives each core its own verifier; the memo then only
 * saves re-checking a signature seen twice (e.g. a certificate resent). The memo forgets its oldest
 * half when full.
 */
export class MemoVerifier implements SignatureVerifier {
  private current = new Map<string, boolean>();
  private previous = new Map<string, boolean>();
  /** Distinct signatures actually verified. */
  verified = 0;
  /** Verifications answered from the memo. */
  hits = 0;

  constructor(
    private readonly inner: SignatureVerifier = ed25519Verifier,
    private readonly capacity = 1 << 20,
  ) {}

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const key = memoKey(publicKey, message, signature);
    const known = this.current.get(key) ?? this.previous.get(key);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    const result = this.inner.verify(publicKey, message, signature);
    this.remember(key, result);
    return result;
  }

  private remember(key: string, result: boolean): void {
    if (this.current.has(key) || this.previous.has(key)) return;
    this.verified++;
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, result);
  }
}

function memoKey(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  return latin1(publicKey) + latin1(message) + latin1(signature);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
