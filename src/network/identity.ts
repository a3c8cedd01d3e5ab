import "./polyfills.js";
import { generateKeyPairFromSeed, publicKeyFromRaw } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey, PeerId } from "@libp2p/interface";
import { peerIdFromPublicKey } from "@libp2p/peer-id";
import { NetworkError, NetworkErrorCode } from "./errors.js";

const ED25519_KEY_LENGTH = 32;

/**
 * The libp2p private key of a validator: its Ed25519 secret key used as the RFC 8032 seed, so the
 * libp2p public key equals the genesis public key and Noise authenticates committee members.
 */
export async function libp2pPrivateKey(secretKey: Uint8Array): Promise<Ed25519PrivateKey> {
  if (secretKey.length !== ED25519_KEY_LENGTH) {
    throw new NetworkError(
      NetworkErrorCode.InvalidConfig,
      `secret key must be 32 bytes, got ${secretKey.length}`,
    );
  }
  return generateKeyPairFromSeed("Ed25519", secretKey);
}

/** The PeerId ("12D3Koo…") of a 32-byte Ed25519 public key. */
export function peerIdOfPublicKey(publicKey: Uint8Array): PeerId {
  if (publicKey.length !== ED25519_KEY_LENGTH) {
    throw new NetworkError(
      NetworkErrorCode.InvalidConfig,
      `public key must be 32 bytes, got ${publicKey.length}`,
    );
  }
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey));
}
