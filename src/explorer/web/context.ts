// What a page gets from the shell: the chain's description, where to draw, and its lifetime.

import type { El } from "./dom.js";
import type { ChainInfo } from "./rpc.js";

export interface PageContext {
  info: ChainInfo;
  main: El;
  /** True while this page is the one shown (answers arriving later are dropped). */
  alive(): boolean;
  /** Runs `task` now and then every `ms` after it settles, while the page is shown. */
  every(ms: number, task: () => Promise<void>): void;
  /** Shows (or, with null, clears) a problem with live updates without leaving the page. */
  warn(message: string | null): void;
}

export type Page = (ctx: PageContext, ...args: string[]) => Promise<void>;

/** Committee member names by index, "validator i" where genesis names none. */
export function memberName(info: ChainInfo, index: number): string {
  return info.committee[index]?.name || `validator ${index}`;
}
