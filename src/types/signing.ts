import { sha256, sha256Concat } from "../crypto/hash.js";
import { utf8 } from "../util/bytes.js";
import type { BlockHeader as BlockHeaderValue } from "./block.js";
import { BlockHeader } from "./block.js";
import { Batch, Header } from "./consensus.js";
import { SignedTransaction, TransactionBody } from "./transaction.js";

/**
 * Digests and signing messages of every signed object (docs/protocol.md is the normative text).
 * Every Ed25519 signature covers a 32-byte message SHA-256(tag ‖ 0x00 ‖ ...), where the tag names
 * the object kind and version, so a signature over one kind can never be replayed as another.
 * Consensus objects also bind the chain id, so a devnet vote is never valid on another chain.
 */
export const SigningDomain = {
  Transaction: "MASS-L1/tx/v1",
  Header: "MASS-L1/header/v1",
  Vote: "MASS-L1/vote/v1",
  Block: "MASS-L1/block/v1",
} as const;
export type SigningDomain = (typeof SigningDomain)[keyof typeof SigningDomain];

const SEPARATOR = new Uint8Array([0]);
const domainBytes = new Map<string, Uint8Array>(Object.values(SigningDomain).map((d) => [d, utf8(d)]));

function domainTag(domain: SigningDomain): Uint8Array {
  return domainBytes.get(domain)!;
}

/** SHA-256(tag ‖ 0x00 ‖ chainId ‖ 0x00 ‖ digest): what a validator signs for a header, vote or block. */
export function consensusSigningMessage(
  domain: SigningDomain,
  chainId: Uint8Array,
  digest: Uint8Array,
): Uint8Array {
  return sha256Concat(domainTag(domain), SEPARATOR, chainId, SEPARATOR, digest);
}

/** SHA-256("MASS-L1/tx/v1" ‖ 0x00 ‖ SSZ(TransactionBody)): what a transaction's sender signs. */
export function txSigningMessage(body: TransactionBody): Uint8Array {
  return sha256Concat(domainTag(SigningDomain.Transaction), SEPARATOR, TransactionBody.serialize(body));
}

/** Where the body starts in an encoded SignedTransaction: after the body's offset (4) and the signature (64). */
const SIGNED_TX_BODY_OFFSET = 4 + 64;

/**
 * `txSigningMessage` from the encoded transaction the body was decoded from: the body's bytes are
 * hashed where they lie, not encoded again.
 */
export function txSigningMessageOfBytes(encoded: Uint8Array, body: TransactionBody): Uint8Array {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  if (encoded.length < SIGNED_TX_BODY_OFFSET || view.getUint32(0, true) !== SIGNED_TX_BODY_OFFSET)
    return txSigningMessage(body);
  return sha256Concat(
    domainTag(SigningDomain.Transaction),
    SEPARATOR,
    encoded.subarray(SIGNED_TX_BODY_OFFSET),
  );
}

/** Transaction id: SHA-256 of the encoded signed transaction. */
export function txHash(tx: SignedTransaction): Uint8Array {
  return sha256(SignedTransaction.serialize(tx));
}

/** Transaction id from the encoded bytes (as carried in batches), without decoding them. */
export function txHashOfBytes(encoded: Uint8Array): Uint8Array {
  return sha256(encoded);
}

export function batchDigest(batch: Batch): Uint8Array {
  return sha256(Batch.serialize(batch));
}

/** Header digest; a certificate's digest is its header's digest (one certificate per header). */
export function headerDigest(header: Header): Uint8Array {
  return sha256(Header.serialize(header));
}

export function blockHash(header: BlockHeaderValue): Uint8Array {
  return sha256(BlockHeader.serialize(header));
}
