import { MassError } from "../util/errors.js";

/** Errors of the tools around the VM (bytecode validation, assembler, CLI input), never of a running program. */
export enum VmErrorCode {
  InvalidBytecode = "INVALID_BYTECODE",
  AssemblyError = "ASSEMBLY_ERROR",
  InvalidInput = "INVALID_VM_INPUT",
  InvalidState = "INVALID_STATE_ENTRY",
  UnknownHarbor = "UNKNOWN_HARBOR",
}

export class VmError extends MassError<VmErrorCode> {}

/**
 * Why a frame stopped abnormally. A fault ends the frame like REVERT (its writes roll back, the gas
 * it used stays charged); the code is part of the revert reason. OutOfGas is reported as its own outcome.
 */
export enum FaultCode {
  StackUnderflow = "stack underflow",
  StackOverflow = "stack overflow",
  InvalidJump = "invalid jump destination",
  DivisionByZero = "division by zero",
  MemoryLimit = "memory limit exceeded",
  InvalidArgument = "invalid argument",
  Unauthorised = "unauthorised",
  ReceiptLimit = "receipt limit exceeded",
  ComplianceFailed = "compliance",
  OutOfGas = "out of gas",
}

/** Thrown inside the interpreter and caught at the frame boundary. */
export class Fault extends Error {
  constructor(
    readonly code: FaultCode,
    readonly detail: string,
  ) {
    super(detail === "" ? code : `${code}: ${detail}`);
  }
}
