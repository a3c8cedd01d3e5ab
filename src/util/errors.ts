/**
 * Typed errors. Every error the node raises on bad input or a broken invariant is a `MassError`
 * carrying a stable string `code`, so callers (RPC, CLI, tests) branch on the code, never on the message.
 */
export class MassError<C extends string = string> extends Error {
  readonly code: C;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: C, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Errors from decoding or validating bytes that came from outside (network, RPC, files). */
export enum DecodeErrorCode {
  InvalidSsz = "INVALID_SSZ",
  InvalidLength = "INVALID_LENGTH",
  InvalidHex = "INVALID_HEX",
  InvalidString = "INVALID_STRING",
  TooLarge = "TOO_LARGE",
}

export class DecodeError extends MassError<DecodeErrorCode> {}

/** The message of an unknown thrown value, for logs and wrapped errors. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
