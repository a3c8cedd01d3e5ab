import { MassError } from "../util/errors.js";

export enum CliErrorCode {
  /** The transaction executed and did not succeed (Revert, OutOfGas, Invalid). */
  TxFailed = "CLI_TX_FAILED",
  /** A cross-harbor transfer was refunded instead of credited. */
  TransferRefunded = "CLI_TRANSFER_REFUNDED",
  /** A wait for the chain ran out of time. */
  Timeout = "CLI_TIMEOUT",
}

/** A command that ran as asked but whose outcome is a failure: main prints it in one line, exit 1. */
export class CliError extends MassError<CliErrorCode> {}
