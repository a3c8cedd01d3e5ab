export {
  DOMAIN_COUNT,
  DOMAINS,
  type DomainIndex,
  type DomainName,
  domainName,
  parseDomain,
} from "./domains.js";
export { ComplianceError, ComplianceErrorCode } from "./errors.js";
export {
  type CellReader,
  describeReading,
  evaluateRequirements,
  type PredicateResult,
  type Requirement,
  tensorReader,
} from "./predicate.js";
export {
  BASIS_POINTS,
  isAuthorisedAttester,
  loadRulePackDir,
  loadRulePackFile,
  OPERATIONS,
  type Operation,
  type OperationRequirements,
  parseRulePack,
  type RulePack,
} from "./rulePack.js";
export {
  ComplianceState,
  complianceStateName,
  isPassing,
  join,
  meet,
  meetAll,
  parseComplianceState,
  STATE_COUNT,
} from "./state.js";
export { type CellReading, describeCell, readCellState, type TensorView } from "./tensor.js";
export { transferRefusal } from "./transferRule.js";
