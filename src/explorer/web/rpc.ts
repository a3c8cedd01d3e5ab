// JSON-RPC 2.0 over POST to the validator that served the page (docs/rpc.md), and the shapes of the
// answers the pages read (only the fields they use).

/** An error the node answered with (its JSON-RPC code and message). */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The node's "not found" code: no such block, transaction, corridor, receipt or transfer. */
export const NOT_FOUND = -32001;
const TIMEOUT_MS = 10_000;

// The answers' shapes are the server's own (type-only imports: nothing of the node is loaded here).
export type { CorridorJson, CorridorReceiptJson, TransferJson } from "../../rpc/corridorJson.js";
export type {
  DagCertificateJson as DagCertificate,
  DagJson,
  TensorCellJson,
} from "../../rpc/explorerMethods.js";

import type { TensorCellJson } from "../../rpc/explorerMethods.js";

interface Answer {
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

let nextId = 1;

async function post(body: unknown): Promise<unknown> {
  const res = await fetch("/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // Errors come as JSON-RPC error objects, with HTTP 200 or (busy, too large) 503 and 413.
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new RpcFailure(-32603, `HTTP ${res.status} from the node`);
  }
}

function unwrap<T>(answer: Answer | undefined): T {
  if (answer === undefined) throw new RpcFailure(-32603, "no answer");
  if (answer.error !== undefined) throw new RpcFailure(answer.error.code, answer.error.message);
  return answer.result as T;
}

export async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  return unwrap<T>((await post({ jsonrpc: "2.0", id: nextId++, method, params })) as Answer);
}

/** Several calls in one batch request; each settles on its own. */
export async function rpcBatch(
  calls: [method: string, params: unknown[]][],
): Promise<PromiseSettledResult<unknown>[]> {
  if (calls.length === 0) return [];
  const first = nextId;
  nextId += calls.length;
  const answers = (await post(
    calls.map(([method, params], i) => ({ jsonrpc: "2.0", id: first + i, method, params })),
  )) as Answer[] | Answer;
  const byId = new Map<unknown, Answer>();
  if (Array.isArray(answers)) for (const a of answers) byId.set(a.id, a);
  else throw new RpcFailure(answers.error?.code ?? -32603, answers.error?.message ?? "bad batch answer");
  return calls.map((_, i) => {
    try {
      return { status: "fulfilled", value: unwrap(byId.get(first + i)) };
    } catch (reason) {
      return { status: "rejected", reason };
    }
  });
}

export const isNotFound = (err: unknown): boolean => err instanceof RpcFailure && err.code === NOT_FOUND;

export interface ChainInfo {
  chainId: string;
  genesisHash: string;
  height: string;
  finalizedHeight: string;
  validatorIndex: number;
  committee: { name: string; publicKey: string; stake: string }[];
  harbors: { id: string; jurisdiction: string }[];
}

export interface Health {
  status: string;
  reason: string;
  height: string;
  finalizedHeight: string;
  consensusRound: string;
  peers: number;
  committeeSize: number;
  txPoolSize: number;
}

export interface BlockHeaderJson {
  chainId: string;
  height: string;
  parentHash: string;
  leaderRound: string;
  leaderCertificate: string;
  timestamp: string;
  txRoot: string;
  receiptRoot: string;
  stateRoot: string;
  corridorRoot: string;
  anchorRoot: string;
}

export interface FinalityJson {
  height: string;
  blockHash: string;
  signers: string;
  signatures: string[];
}

export interface BlockJson {
  hash: string;
  header: BlockHeaderJson;
  transactions: string[];
  finality: FinalityJson | null;
}

export interface CorridorMessageJson {
  kind: string;
  transitId: string;
  sourceHarbor: string;
  destinationHarbor: string;
  recipient: string;
  amount: string;
}

export interface TxJson {
  txHash: string;
  status: string;
  transaction: {
    body: {
      chainId: string;
      harbor: string;
      sender: string;
      nonce: string;
      gasLimit: string;
      fee: string;
      kind: string;
      payload: string;
    };
    signature: string;
  } | null;
  block?: { height: string; hash: string; index: number };
  outcome?: string | null;
  receipt?: {
    gasUsed: string;
    pc: string;
    reason: string;
    returnData: string;
    jurisdiction: string;
    sequence: string;
    storageMutations: unknown[];
    tensorUpdates: unknown[];
    logs: unknown[];
    attestations: string[];
    messages: CorridorMessageJson[];
  } | null;
}

export interface AccountJson {
  harbor: string;
  address: string;
  balance: string;
  nonce: string;
  pendingNonce: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  hasNextPage: boolean;
}

export interface TensorPage extends Page<TensorCellJson> {
  harbor: string;
  jurisdiction: string;
  height: string;
  now: string;
}
