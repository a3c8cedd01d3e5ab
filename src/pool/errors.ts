import { MassError } from "../util/errors.js";
import { type TxFault, TxFaultCode } from "../vm/tx/validity.js";

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

/** The client's answer to a transaction that breaks a stateless rule: what it broke and how to fix it. */
export function rejectionOf(fault: TxFault): TxRejectedError {
  switch (fault.code) {
    case TxFaultCode.TooLarge:
      return new TxRejectedError(
        TxRejectCode.TooLarge,
        `transaction is ${fault.bytes} bytes, limit ${fault.limit}`,
      );
    case TxFaultCode.Undecodable:
      return new TxRejectedError(
        TxRejectCode.InvalidEncoding,
        `not an SSZ SignedTransaction: ${fault.error}`,
      );
    case TxFaultCode.WrongChain:
      return new TxRejectedError(
        TxRejectCode.WrongChain,
        `transaction is for another chain (this is ${Buffer.from(fault.expected).toString("latin1")})`,
      );
    case TxFaultCode.UnknownHarbor:
      return new TxRejectedError(
        TxRejectCode.UnknownHarbor,
        `unknown harbor "${fault.harbor}" (known: ${fault.known.join(", ")})`,
      );
    case TxFaultCode.UnknownKind:
      return new TxRejectedError(TxRejectCode.UnknownKind, `unknown transaction kind ${fault.kind}`);
    case TxFaultCode.MalformedPayload:
      return new TxRejectedError(
        TxRejectCode.InvalidPayload,
        `payload does not decode for kind ${fault.kind}: ${fault.error}`,
      );
    case TxFaultCode.FeeTooLow:
      return new TxRejectedError(
        TxRejectCode.FeeTooLow,
        `fee ${fault.fee} is below the minimum ${fault.minimum}`,
      );
    case TxFaultCode.GasLimitTooHigh:
      return new TxRejectedError(
        TxRejectCode.GasLimitTooHigh,
        `gas limit ${fault.gasLimit} is above ${fault.maximum}`,
      );
  }
}
