import { MassError } from "../util/errors.js";

/** Why the pool refused a transaction. Each reaches the client with a message saying what to fix. */
export enum TxRejectCode {
  TooLarge = "TX_TOO_LARGE",
  InvalidEncoding = "TX_INVALID_ENCODING",
  WrongChain = "TX_WRONG_CHAIN",
  UnknownHarbor = "TX_UNKNOWN_HARBOR",
  UnknownKind = "TX_UNKNOWN_KIND",
  InvalidPayload = "TX_INVALID_PAYLOAD",
  FeeTooLow = "TX_FEE_TOO_LOW",
  /** The sender's balance cannot pay this transaction's fee (and amount) after its other pooled ones. */
  InsufficientBalance = "TX_INSUFFICIENT_BALANCE",
  GasLimitTooHigh = "TX_GAS_LIMIT_TOO_HIGH",
  BadSignature = "TX_BAD_SIGNATURE",
  Duplicate = "TX_DUPLICATE",
  NonceTooLow = "TX_NONCE_TOO_LOW",
  NonceTooHigh = "TX_NONCE_TOO_HIGH",
  NonceInUse = "TX_NONCE_IN_USE",
  SenderLimit = "TX_SENDER_LIMIT",
  PoolFull = "TX_POOL_FULL",
}

export class TxRejectedError extends MassError<TxRejectCode> {}
