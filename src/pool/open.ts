import type { Database } from "../state/db/index.js";
import type { Logger } from "../util/logger.js";
import { LevelPoolJournal } from "./journal.js";
import { TxPool, type TxPoolOptions } from "./txPool.js";

/** The pool over its journal in `db`, holding again what it held before a restart. */
export async function openPool(
  db: Database,
  options: Omit<TxPoolOptions, "journal">,
  log: Logger,
): Promise<TxPool> {
  const journal = new LevelPoolJournal(db, (message) => log.error(message));
  const pool = new TxPool({ ...options, journal });
  const restored = pool.restore(await journal.entries());
  if (restored > 0) log.info("transaction pool restored", { transactions: restored });
  return pool;
}
