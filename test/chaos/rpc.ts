import { setTimeout as sleep } from "node:timers/promises";
import type { MassClient } from "../../src/rpc/client.js";
import { errorMessage } from "../../src/util/errors.js";

/** `mass_getBlockByHeight` as docs/rpc.md gives it (the fields the chaos checks read). */
export interface BlockJson {
  hash: string;
  header: Record<string, unknown> & { height: string; parentHash: string };
  transactions: string[];
  finality: unknown;
}

/** `mass_getTransaction`: status and, once executed, where. */
export interface TxJson {
  status: string;
  block?: { height: string; hash: string; index: number };
  outcome?: string | null;
}

/** `mass_health`. */
export interface HealthJson {
  status: string;
  height: string;
  finalizedHeight: string;
  txPoolSize: number;
}

/** Waits `ms`, or less if `signal` aborts first; never throws. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * A signal that aborts when `parent` does or after `ms`; `clear` releases its timer. Not
 * AbortSignal.any with AbortSignal.timeout: on Node 20 the timeout signal can be garbage-collected
 * before it fires, and the combined signal then never aborts (nodejs/node#57736).
 */
export function deadline(parent: AbortSignal, ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, ms);
  parent.addEventListener("abort", abort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener("abort", abort);
    },
  };
}

/** Smallest number of equal-stake validators holding more than 2/3 of the stake. */
export function quorumOf(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}

/** Calls `fn` on every item with at most `limit` calls in flight. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Tries per read: a busy validator may drop one call, and one retry tells that from a dead one. */
const READ_ATTEMPTS = 2;
/** Consecutive failed reads after which a validator is given up on, so a dead one costs seconds, not hours. */
const MAX_CONSECUTIVE_FAILURES = 5;
/** Pause between a failed read and its retry. */
const READ_RETRY_MS = 200;

/**
 * Reads one validator's RPC for the final checks: retries a failed call once and, after repeated
 * failures, stops asking and says why, so the checks can name the validator instead of hanging.
 */
export class ValidatorReader {
  private consecutiveFailures = 0;
  /** Why the validator was given up on; undefined while it answers. */
  private deadReason: string | undefined;

  constructor(
    readonly index: number,
    private readonly client: MassClient,
  ) {}

  /** The call's result, or why there is none (failed, not found, or the validator was given up on). */
  async read<T>(method: string, params: unknown[] = []): Promise<{ value?: T; error?: string }> {
    if (this.deadReason !== undefined)
      return { error: `validator ${this.index} is unreachable (${this.deadReason})` };
    let error = "";
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      try {
        const value = await this.client.call<T>(method, params);
        this.consecutiveFailures = 0;
        return { value };
      } catch (err) {
        error = errorMessage(err);
        if (isNotFound(err)) {
          this.consecutiveFailures = 0;
          return { error };
        }
        await pause(READ_RETRY_MS);
      }
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) this.deadReason = error;
    return { error };
  }
}

/** JSON-RPC "not found" (-32001): a definite answer, not a failure to retry. */
const NOT_FOUND = -32001;

function isNotFound(err: unknown): boolean {
  return (err as { rpcCode?: number }).rpcCode === NOT_FOUND;
}
