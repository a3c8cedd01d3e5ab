import { readFileSync } from "node:fs";

/** Assumed when the limit cannot be read (not Linux): the common default soft limit. */
const FALLBACK_FD_LIMIT = 1024;

/** The process's soft limit on open file descriptors (Linux: /proc/self/limits). */
export function openFileLimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    const n = soft === undefined ? Number.NaN : Number(soft);
    return Number.isSafeInteger(n) && n > 0 ? n : FALLBACK_FD_LIMIT;
  } catch {
    return FALLBACK_FD_LIMIT;
  }
}
