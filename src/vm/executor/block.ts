import { Piscina } from "piscina";
import type { RulePack } from "../../compliance/rulePack.js";
import { sha256 } from "../../crypto/hash.js";
import { CorridorMessage } from "../../types/execution.js";
import { asciiString } from "../../types/primitives.js";
import { errorMessage } from "../../util/errors.js";
import type { HarborSnapshot } from "../state/reader.js";
import type { DecodedTx } from "../tx/validity.js";
import { executeHarbor, type HarborResult, type HarborTask } from "./task.js";

/** A harbor as the block executor needs it: identity, rules and start-of-block state. */
export interface HarborInput {
  harbor: string;
  jurisdiction: string;
  rulePack: RulePack;
  snapshot: HarborSnapshot;
}

/** A committed block's execution input. */
export interface BlockInput {
  chainId: string;
  /** Block time, unix milliseconds. */
  timestamp: number;
  harbors: HarborInput[];
  /** Encoded SignedTransactions in block order. */
  transactions: Uint8Array[];
  /** The same transactions decoded and hashed (aligned with `transactions`), if the caller has them. */
  decoded?: readonly DecodedTx[];
  /** Encoded CorridorMessages from earlier blocks, in corridor order. */
  inbound: Uint8Array[];
  /** Default true; false only when the caller has verified every signature already. */
  verifySignatures?: boolean;
  /**
   * The chain's verdict on each corridor lifecycle transaction of the block (tx hash hex → "" when
   * the move is allowed, else why not): lifecycles are the sharding layer's, which plans them.
   */
  lifecycleVerdicts?: Readonly<Record<string, string>>;
}

/** Something the executor could not route to a harbor (the chain should have filtered it). */
export interface Unroutable {
  hash: Uint8Array;
  reason: string;
}

export interface BlockResult {
  /** Per harbor, sorted by harbor id. */
  harbors: HarborResult[];
  unroutable: Unroutable[];
}

/** Runs harbor tasks: on a piscina pool, or in the calling thread. */
export interface HarborRunner {
  /** Whether tasks run in the calling thread (they may then carry decoded transactions). */
  readonly inThread: boolean;
  run(task: HarborTask): Promise<HarborResult>;
  close(): Promise<void>;
}

/** Worker threads a default pool uses: one per core the chain can spare (the node passes its own). */
export const DEFAULT_EXECUTION_THREADS = 2;

export function poolRunner(threads: number = DEFAULT_EXECUTION_THREADS): HarborRunner {
  const pool = new Piscina<HarborTask, HarborResult>({
    filename: new URL("./worker.cjs", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Tasks are whole harbors; queueing more than one per thread only adds latency to the block.
    concurrentTasksPerWorker: 1,
  });
  return {
    inThread: false,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}

export function inlineRunner(): HarborRunner {
  return {
    inThread: true,
    run: async (task) => executeHarbor(task),
    close: async () => {},
  };
}

/**
 * The harbor of an encoded SignedTransaction, read from its SSZ offsets without decoding the rest
 * (routing runs on the main thread, so it must be cheap). Layout: u32 offset of the body, the
 * signature, then the body, whose fixed part holds the offsets of chainId, harbor and payload.
 */
function txHarbor(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = view.getUint32(0, true);
  const start = body + view.getUint32(body + TX_HARBOR_OFFSET_AT, true);
  const end = body + view.getUint32(body + TX_PAYLOAD_OFFSET_AT, true);
  if (start > end || end > bytes.length) throw new RangeError("harbor offsets out of range");
  return asciiString(bytes.subarray(start, end));
}

/** Where TransactionBody's fixed part holds the offsets of `harbor` and `payload` (docs/protocol.md). */
const TX_HARBOR_OFFSET_AT = 4;
const TX_PAYLOAD_OFFSET_AT = 65;

function harborOf(bytes: Uint8Array, kind: "tx" | "message"): string {
  if (kind === "tx") return txHarbor(bytes);
  return asciiString(CorridorMessage.deserialize(bytes).destinationHarbor);
}

/**
 * Executes a block harbor by harbor: transactions and inbound messages are grouped by harbor (keeping
 * block order), every harbor runs against its start-of-block snapshot, and results come back sorted
 * by harbor id, so the outcome is the same for any runner and pool size.
 */
export async function executeBlock(runner: HarborRunner, block: BlockInput): Promise<BlockResult> {
  const known = new Map(block.harbors.map((h) => [h.harbor, h]));
  const txs = new Map<string, Uint8Array[]>();
  const decodedTxs = new Map<string, DecodedTx[]>();
  const inbound = new Map<string, Uint8Array[]>();
  const unroutable: Unroutable[] = [];
  const route = (
    bytes: Uint8Array,
    kind: "tx" | "message",
    into: Map<string, Uint8Array[]>,
    decoded?: DecodedTx,
  ): void => {
    let harbor: string;
    try {
      harbor = decoded?.harbor ?? harborOf(bytes, kind);
    } catch (err) {
      unroutable.push({ hash: sha256(bytes), reason: `undecodable ${kind}: ${errorMessage(err)}` });
      return;
    }
    if (!known.has(harbor)) {
      unroutable.push({ hash: decoded?.hash ?? sha256(bytes), reason: `unknown harbor ${harbor}` });
      return;
    }
    const list = into.get(harbor);
    if (list === undefined) into.set(harbor, [bytes]);
    else list.push(bytes);
    if (decoded === undefined) return;
    const decodedList = decodedTxs.get(harbor);
    if (decodedList === undefined) decodedTxs.set(harbor, [decoded]);
    else decodedList.push(decoded);
  };
  for (const bytes of block.inbound) route(bytes, "message", inbound);
  block.transactions.forEach((bytes, i) => {
    route(bytes, "tx", txs, block.decoded?.[i]);
  });
  const ids = [...known.keys()].filter((id) => txs.has(id) || inbound.has(id)).sort();
  const results = await Promise.all(
    ids.map((id) => {
      const h = known.get(id)!;
      return runner.run({
        chainId: block.chainId,
        timestamp: block.timestamp,
        harbor: h.harbor,
        jurisdiction: h.jurisdiction,
        rulePack: h.rulePack,
        snapshot: h.snapshot,
        inbound: inbound.get(id) ?? [],
        transactions: txs.get(id) ?? [],
        ...(runner.inThread && block.decoded !== undefined ? { decoded: decodedTxs.get(id) ?? [] } : {}),
        verifySignatures: block.verifySignatures ?? true,
        lifecycleVerdicts: block.lifecycleVerdicts ?? {},
      });
    }),
  );
  return { harbors: results, unroutable };
}
