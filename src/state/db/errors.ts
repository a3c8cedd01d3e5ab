import { MassError } from "../../util/errors.js";

export enum DbErrorCode {
  /** Another process holds the database's LOCK file. */
  Locked = "DB_LOCKED",
  /** Opening failed for another reason (permissions, corruption of LevelDB files). */
  OpenFailed = "DB_OPEN_FAILED",
  /** A stored value does not decode as the repository's SSZ type. */
  CorruptValue = "DB_CORRUPT_VALUE",
  /** The database was used after close(). */
  Closed = "DB_CLOSED",
}

export class DbError extends MassError<DbErrorCode> {}
