import { CORRIDOR_ID_SEPARATOR } from "../types/corridor.js";
import { ShardingError, ShardingErrorCode } from "./errors.js";

/**
 * A harbor id as a corridor id may hold it: 1 to 32 bytes (HarborId's limit) of printable ASCII
 * other than `~` (0x7e, the separator, and the last printable character).
 */
const HARBOR_ID = /^[\x20-\x7d]{1,32}$/;

function isHarborId(id: string): boolean {
  return HARBOR_ID.test(id);
}

/** The id of the corridor between two harbors: the two ids sorted, joined by `~` (`ae-difc~pk-sifc`). */
export function corridorIdOf(a: string, b: string): string {
  if (!isHarborId(a) || !isHarborId(b) || a === b) {
    throw new ShardingError(
      ShardingErrorCode.InvalidCorridorId,
      `a corridor links two distinct harbor ids (printable ASCII without "~"), got "${a}" and "${b}"`,
      { a, b },
    );
  }
  return a < b ? `${a}${CORRIDOR_ID_SEPARATOR}${b}` : `${b}${CORRIDOR_ID_SEPARATOR}${a}`;
}

/** The two harbors of a corridor id, sorted; a typed error unless the id is exactly `corridorIdOf`'s form. */
export function parseCorridorId(id: string): readonly [string, string] {
  const parts = typeof id === "string" ? id.split(CORRIDOR_ID_SEPARATOR) : [];
  const [a, b] = parts;
  if (
    parts.length !== 2 ||
    a === undefined ||
    b === undefined ||
    !isHarborId(a) ||
    !isHarborId(b) ||
    !(a < b)
  ) {
    throw new ShardingError(
      ShardingErrorCode.InvalidCorridorId,
      `"${String(id).slice(0, 80)}" is not a corridor id (two distinct harbor ids, sorted, joined by "~")`,
      { id },
    );
  }
  return [a, b];
}
