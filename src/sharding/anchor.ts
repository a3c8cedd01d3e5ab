import { sha256Concat } from "../crypto/hash.js";
import { merkleProof, merkleRoot } from "../crypto/merkle.js";
import { utf8 } from "../util/bytes.js";
import { ShardingError, ShardingErrorCode } from "./errors.js";
import { ZERO_DIGEST } from "./receipts.js";

/**
 * How a block header anchors every corridor's receipt chain (docs/protocol.md, "Corridor root"):
 * `corridorRoot` = RFC 9162 Merkle root over one leaf per corridor, sorted by corridor id, with
 * leaf = SHA-256(utf8(id) ‖ 0x00 ‖ mmrRoot ‖ mmrSize as u64 little-endian).
 */

/** Ends the id in a leaf: harbor ids are printable ASCII, so no id holds it and no id is another's prefix. */
const ID_TERMINATOR = new Uint8Array([0x00]);
const SIZE_BYTES = 8;

/** One corridor's MMR at some height; an empty MMR has no root and anchors 32 zero bytes. */
export interface CorridorAnchor {
  id: string;
  mmrRoot: Uint8Array | undefined;
  mmrSize: number;
}

export function corridorLeaf(id: string, mmrRoot: Uint8Array | undefined, mmrSize: number): Uint8Array {
  const size = new Uint8Array(SIZE_BYTES);
  new DataView(size.buffer).setBigUint64(0, BigInt(mmrSize), true);
  return sha256Concat(utf8(id), ID_TERMINATOR, mmrRoot ?? ZERO_DIGEST, size);
}

/** The leaves in root order: sorted by id (ids are ASCII, so string order is byte order). */
function sortedLeaves(entries: readonly CorridorAnchor[]): { ids: string[]; leaves: Uint8Array[] } {
  const sorted = [...entries].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id) {
      throw new ShardingError(
        ShardingErrorCode.InvalidGenesisCorridor,
        `corridor ${sorted[i]!.id} appears twice in a corridor root`,
        { id: sorted[i]!.id },
      );
    }
  }
  return {
    ids: sorted.map((e) => e.id),
    leaves: sorted.map((e) => corridorLeaf(e.id, e.mmrRoot, e.mmrSize)),
  };
}

export function corridorRoot(entries: readonly CorridorAnchor[]): Uint8Array {
  return merkleRoot(sortedLeaves(entries).leaves);
}

/** RFC 9162 inclusion proof of corridor `id`'s leaf in `corridorRoot(entries)`. */
export function corridorInclusion(
  entries: readonly CorridorAnchor[],
  id: string,
): { leafIndex: number; siblings: Uint8Array[] } {
  const { ids, leaves } = sortedLeaves(entries);
  const leafIndex = ids.indexOf(id);
  if (leafIndex < 0) {
    throw new ShardingError(ShardingErrorCode.UnknownCorridor, `no corridor ${id} in this root`, { id });
  }
  return { leafIndex, siblings: merkleProof(leaves, leafIndex).siblings };
}
