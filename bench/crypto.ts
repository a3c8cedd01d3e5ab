/**
 * Ed25519 verifications/s and SHA-256 hashes/s of the project's wrappers beside raw node:crypto,
 * measured in the same run. Prints JSON lines. Usage: npm run bench:crypto
 */
import { createPublicKey, hash, verify as nodeVerify } from "node:crypto";
import { publicKeyOf, sign, verify, verifyPure } from "../src/crypto/ed25519.js";
import { sha256 } from "../src/crypto/hash.js";
import { compare, emit, rate } from "./harness.js";

/** Milliseconds per measurement round; three interleaved rounds per figure. */
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const secret = new Uint8Array(32).fill(42);
const publicKey = publicKeyOf(secret);
const message = new Uint8Array(32).fill(9);
const signature = sign(secret, message);
const rawKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });

const verifyRates = compare(
  {
    raw: () => nodeVerify(null, message, rawKey, signature),
    wrapper: () => verify(publicKey, message, signature),
  },
  ROUND_MS,
);
emit({
  bench: "crypto",
  op: "ed25519_verify",
  wrapperPerSec: Math.round(verifyRates.wrapper!),
  rawNodeCryptoPerSec: Math.round(verifyRates.raw!),
  wrapperLossPct: +(100 * (1 - verifyRates.wrapper! / verifyRates.raw!)).toFixed(2),
});
emit({
  bench: "crypto",
  op: "ed25519_verify_noble",
  perSec: Math.round(rate(() => verifyPure(publicKey, message, signature), ROUND_MS, 16)),
});

const block = new Uint8Array(64).fill(3);
const hashRates = compare(
  { raw: () => hash("sha256", block, "buffer"), wrapper: () => sha256(block) },
  ROUND_MS,
  3,
);
emit({
  bench: "crypto",
  op: "sha256_64B",
  wrapperPerSec: Math.round(hashRates.wrapper!),
  rawNodeCryptoPerSec: Math.round(hashRates.raw!),
  wrapperLossPct: +(100 * (1 - hashRates.wrapper! / hashRates.raw!)).toFixed(2),
});
