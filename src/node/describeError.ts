import { MassError } from "../util/errors.js";

/** Causes followed at most: a cycle of causes must not hang a log line. */
const MAX_CAUSES = 5;

/**
 * An error for a log line: its message with its code (a MassError's), then each cause it wraps
 * (`new Error(…, { cause })`), so a log says why, not just what: `SYNC_UNAVAILABLE: no block …
 * <- caused by: ECONNREFUSED …`.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let i = 0; current !== undefined && current !== null && i <= MAX_CAUSES; i++) {
    if (current instanceof MassError) parts.push(`${current.code}: ${current.message}`);
    else if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(typeof code === "string" ? `${code}: ${current.message}` : current.message);
    } else parts.push(String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" <- caused by: ");
}
