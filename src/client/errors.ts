import { MassError } from "../util/errors.js";

export enum TxBuildErrorCode {
  /** An integer field outside its SSZ width (SSZ would wrap it silently): negative, fractional or too large. */
  OutOfRange = "TX_BUILD_OUT_OF_RANGE",
}

export class TxBuildError extends MassError<TxBuildErrorCode> {}
