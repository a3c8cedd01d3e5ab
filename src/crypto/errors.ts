import { MassError } from "../util/errors.js";

export enum CryptoErrorCode {
  InvalidPublicKeyLength = "INVALID_PUBLIC_KEY_LENGTH",
  InvalidSecretKeyLength = "INVALID_SECRET_KEY_LENGTH",
  InvalidSignatureLength = "INVALID_SIGNATURE_LENGTH",
  InvalidPublicKey = "INVALID_PUBLIC_KEY",
  InvalidDigestLength = "INVALID_DIGEST_LENGTH",
  InvalidProof = "INVALID_PROOF",
  IndexOutOfRange = "INDEX_OUT_OF_RANGE",
  NonIntegerNumber = "NON_INTEGER_NUMBER",
  UnsupportedJsonValue = "UNSUPPORTED_JSON_VALUE",
  PoolClosed = "VERIFY_POOL_CLOSED",
}

export class CryptoError extends MassError<CryptoErrorCode> {}
