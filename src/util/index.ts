// The bottom floor: bytes, typed errors, logging, deadlines and the socket helpers every floor uses.
export { bytesEqual, compareBytes, concatBytes, fromHex, toHex, utf8 } from "./bytes.js";
export { ConnectionGuard, type ConnectionLimits } from "./connectionGuard.js";
export { type Deadline, deadline, sleep } from "./deadline.js";
export { DecodeError, DecodeErrorCode, errorMessage, MassError } from "./errors.js";
export { openFileLimit } from "./fdLimit.js";
export { Lifecycle, type Startable } from "./lifecycle.js";
export { ListenErrorCode, listen } from "./listen.js";
export {
  createLogger,
  type LogFields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  LogLevel,
  parseLogLevel,
  silentLogger,
} from "./logger.js";
