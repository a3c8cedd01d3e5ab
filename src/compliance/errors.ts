import { MassError } from "../util/errors.js";

export enum ComplianceErrorCode {
  InvalidState = "INVALID_COMPLIANCE_STATE",
  InvalidDomain = "INVALID_COMPLIANCE_DOMAIN",
  InvalidJurisdiction = "INVALID_JURISDICTION",
  InvalidRulePack = "INVALID_RULE_PACK",
  InvalidTensorFile = "INVALID_TENSOR_FILE",
  UnknownOperation = "UNKNOWN_OPERATION",
}

export class ComplianceError extends MassError<ComplianceErrorCode> {}
