import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

/**
 * Removal retries: a child that just exited (a validator, Chromium) may still be writing a file or
 * two into the directory, which makes rmdir fail with ENOTEMPTY for a moment.
 */
const REMOVE_RETRIES = 20;
const REMOVE_RETRY_DELAY_MS = 100;

/** A fresh temporary directory removed when the current test file finishes. */
export function tempDir(prefix = "mass-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() =>
    rmSync(dir, {
      recursive: true,
      force: true,
      maxRetries: REMOVE_RETRIES,
      retryDelay: REMOVE_RETRY_DELAY_MS,
    }),
  );
  return dir;
}
