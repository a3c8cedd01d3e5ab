// The validator process: configuration, genesis and keys, wiring and lifecycle, health and metrics serving.
export { buildInfo, gitCommit, packageRoot } from "./buildInfo.js";
export { consensusTransport } from "./consensusTransport.js";
export { describeError } from "./describeError.js";
export {
  DEFAULT_BASE_PORT,
  DEFAULT_CHAIN_ID,
  DEFAULT_CORRIDOR_MAX_DELIVERIES_PER_BLOCK,
  DEFAULT_CORRIDOR_MAX_IN_FLIGHT,
  DEFAULT_CORRIDOR_PARAMS,
  DEFAULT_CORRIDOR_TIMEOUT_BLOCKS,
  DEFAULT_DEVNET_VALIDATORS,
  DEVNET_HARBORS,
  DEVNET_PARAMS,
  type DevnetHome,
  genesisPathOf,
  harborKeyPath,
  type InitOptions,
  initDevnetHome,
  MAX_EXTRA_ACCOUNTS,
  validatorKeyPath,
} from "./devnetHome.js";
export { ConfigError, ConfigErrorCode } from "./errors.js";
export { genesisToJson, loadGenesis, loadRulePacks, rulePackPath, validateGenesis } from "./genesis.js";
export { type Health, type HealthInputs, HealthMonitor } from "./health.js";
export { healthRoutes, LIVE_PATH, READY_PATH, type ReadinessBody } from "./healthRoutes.js";
export { generateKeyPair, type KeyPair, keyFileText, readKeyFile, writeKeyFile } from "./keyFile.js";
export { MetricsServer } from "./metricsServer.js";
export { NodeStatusReporter, type StatusSources } from "./nodeStatus.js";
export { buildParts, type NodeControl, type NodeParts } from "./parts.js";
export { DEFAULT_STATUS_INTERVAL_MS, StatusLine, type StatusLineSources } from "./statusLine.js";
export { ValidatorNode, type ValidatorNodeOptions } from "./validatorNode.js";
