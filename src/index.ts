export * from "./client/index.js";
export * from "./compliance/index.js";
export * as consensus from "./consensus/index.js";
export * from "./crypto/index.js";
export * from "./types/index.js";
export { fromHex, toHex } from "./util/bytes.js";
export { DecodeError, DecodeErrorCode, MassError } from "./util/errors.js";
export * from "./vm/index.js";
