import { cpus } from "node:os";

/** Shared by the benches: every figure is one JSON line, with the machine beside it. */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...record, node: process.version, cpus: cpus().length })}\n`);
}

/**
 * Operations per second of `op` over about `ms` milliseconds, counted in chunks of `chunk` calls so
 * the clock is read rarely.
 */
export function rate(op: () => void, ms: number, chunk = 256): number {
  const deadline = performance.now() + ms;
  let count = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < chunk; i++) op();
    count += chunk;
  }
  return count / ((performance.now() - start) / 1000);
}

/**
 * Best rate of each contender over `rounds` interleaved rounds, so drift in machine load affects
 * every contender alike.
 */
export function compare(
  contenders: Record<string, () => void>,
  ms: number,
  rounds = 3,
): Record<string, number> {
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, op] of Object.entries(contenders)) best[name] = Math.max(best[name] ?? 0, rate(op, ms));
  }
  return best;
}
