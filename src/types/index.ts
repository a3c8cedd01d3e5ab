export * from "./block.js";
export * from "./consensus.js";
export * from "./genesis.js";
export * from "./limits.js";
export * from "./primitives.js";
export * from "./signing.js";
export * from "./transaction.js";
