export { Bucket } from "./buckets.js";
export {
  Database,
  DB_MAX_OPEN_FILES,
  type RangeOptions,
  Repository,
  WriteBatch,
  type WriteOptions,
} from "./database.js";
export { DbError, DbErrorCode } from "./errors.js";
export { readU64Key, u16Key, u64Key } from "./keys.js";
