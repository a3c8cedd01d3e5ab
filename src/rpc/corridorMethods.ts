import type { Chain } from "../chain/chain.js";
import { MAX_RECEIPTS_PAGE, parseCorridorId, ShardingError } from "../sharding/index.js";
import type { CorridorReceipt } from "../types/corridor.js";
import { asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import {
  corridorJson,
  corridorReceiptJson,
  corridorReceiptProofJson,
  mmrConsistencyJson,
  transferJson,
} from "./corridorJson.js";
import { invalidParams, RpcError, RpcErrorCode } from "./errors.js";
import { hexParam, param, stringParam, u64Param } from "./params.js";
import type { RpcMethod, RpcParams } from "./server.js";

/** Receipts a `mass_listCorridorReceipts` page holds when the call gives no limit. */
export const DEFAULT_RECEIPTS_PAGE = 50;

export interface CorridorRpcDeps {
  chain: Chain;
  /** Throws the NotReady error when this node's state is known to be wrong (it must not be served). */
  refuseIfDiverged(): void;
}

const notFound = (what: string) => new RpcError(RpcErrorCode.NotFound, `${what} not found`);

/** A well-formed corridor id (two distinct harbor ids, sorted, joined by "~"), whether or not it exists. */
function corridorIdParam(params: RpcParams, index: number): string {
  const id = stringParam(params, index, "id");
  try {
    parseCorridorId(id);
  } catch (err) {
    if (err instanceof ShardingError) throw invalidParams(err.message, { code: err.code });
    throw err;
  }
  return id;
}

/** An optional u64 parameter: absent (or null) gives `fallback`. */
function optionalU64Param(params: RpcParams, index: number, name: string, fallback: number): number {
  const value = param(params, index, name);
  return value === undefined || value === null ? fallback : u64Param(params, index, name);
}

function limitParam(params: RpcParams, index: number): number {
  const limit = optionalU64Param(params, index, "limit", DEFAULT_RECEIPTS_PAGE);
  if (limit < 1 || limit > MAX_RECEIPTS_PAGE) {
    throw invalidParams(`limit must be from 1 to ${MAX_RECEIPTS_PAGE} receipts, got ${limit}`);
  }
  return limit;
}

/**
 * The corridor methods (docs/rpc.md, "Corridors"): corridors, their receipts with the proofs that
 * tie each to a block header's corridorRoot, paged receipt lists, and transfers by transit id.
 */
export function corridorMethods(deps: CorridorRpcDeps): Record<string, RpcMethod> {
  const { chain, refuseIfDiverged } = deps;
  const ledger = chain.corridors;

  /** A well-formed id of a corridor that exists. */
  function existingCorridor(params: RpcParams, index: number): string {
    const id = corridorIdParam(params, index);
    if (!ledger.has(id)) throw notFound(`corridor ${id}`);
    return id;
  }

  function corridorAnswer(id: string) {
    const view = ledger.view(id);
    if (view === undefined) throw notFound(`corridor ${id}`);
    return corridorJson(view, ledger.inFlight(id));
  }

  async function receiptAt(id: string, sequence: number): Promise<CorridorReceipt> {
    const page = await ledger.receipts(id, sequence, 1);
    const entry = page.data[0];
    if (entry === undefined || entry.receipt.sequence !== sequence) {
      throw notFound(`receipt ${sequence} of corridor ${id}`);
    }
    return entry.receipt;
  }

  return {
    mass_getCorridor: (params) => {
      refuseIfDiverged();
      return corridorAnswer(existingCorridor(params, 0));
    },

    mass_listCorridors: () => {
      refuseIfDiverged();
      return ledger.list().map((view) => corridorJson(view, ledger.inFlight(view.id)));
    },

    mass_getCorridorReceipt: async (params) => {
      refuseIfDiverged();
      const id = existingCorridor(params, 0);
      const sequence = u64Param(params, 1, "sequence");
      const proof = await ledger.receiptProof(id, sequence);
      if (proof === undefined) throw notFound(`receipt ${sequence} of corridor ${id}`);
      return corridorReceiptProofJson(proof);
    },

    mass_listCorridorReceipts: async (params) => {
      refuseIfDiverged();
      const id = existingCorridor(params, 0);
      const cursor = optionalU64Param(params, 1, "cursor", 0);
      const limit = limitParam(params, 2);
      const page = await ledger.receipts(id, cursor, limit);
      return {
        data: page.data.map(({ receipt, digest }) => ({
          receipt: corridorReceiptJson(receipt),
          digest: toHex(digest),
        })),
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
        hasNextPage: page.hasNextPage,
      };
    },

    mass_getCorridorConsistency: (params) => {
      refuseIfDiverged();
      const id = existingCorridor(params, 0);
      const fromHeight = u64Param(params, 1, "fromHeight");
      const toHeight = u64Param(params, 2, "toHeight");
      if (fromHeight > toHeight)
        throw invalidParams(`fromHeight ${fromHeight} is above toHeight ${toHeight}`);
      if (toHeight > chain.height) throw notFound(`block ${toHeight}`);
      const proof = ledger.consistencyProof(id, fromHeight, toHeight);
      return proof === undefined ? null : mmrConsistencyJson(proof);
    },

    mass_getTransfer: async (params) => {
      refuseIfDiverged();
      const transitId = hexParam(params, 0, "transitId", 32);
      const record = await ledger.transfer(transitId);
      if (record === undefined) throw notFound(`transfer ${toHex(transitId)}`);
      const corridor = asciiString(record.corridor);
      const receipts =
        corridor === "" ? [] : await Promise.all(record.receipts.map((s) => receiptAt(corridor, s)));
      return transferJson(record, receipts);
    },
  };
}
