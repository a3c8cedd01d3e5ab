import { MassError } from "../util/errors.js";

export enum ConfigErrorCode {
  InvalidArgument = "INVALID_ARGUMENT",
  FileExists = "FILE_EXISTS",
  FileNotFound = "FILE_NOT_FOUND",
  InvalidKeyFile = "INVALID_KEY_FILE",
  InvalidGenesis = "INVALID_GENESIS",
  NotImplemented = "NOT_IMPLEMENTED",
}

/** Bad configuration or arguments from the operator: the message says what to fix. */
export class ConfigError extends MassError<ConfigErrorCode> {}
