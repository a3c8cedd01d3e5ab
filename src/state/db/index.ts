export { Bucket } from "./buckets.js";
export { Database, type RangeOptions, Repository, WriteBatch, type WriteOptions } from "./database.js";
export { DbError, DbErrorCode } from "./errors.js";
export { readU64Key, u16Key, u64Key } from "./keys.js";
