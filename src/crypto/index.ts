export * from "./canonicalJson.js";
export * from "./ed25519.js";
export * from "./errors.js";
export * from "./hash.js";
export * from "./merkle.js";
export * from "./mmr.js";
