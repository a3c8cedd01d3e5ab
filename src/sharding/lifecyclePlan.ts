import { CorridorState } from "../types/corridor.js";
import { asciiString } from "../types/primitives.js";
import { CorridorPayload, CorridorRole, TxKind } from "../types/transaction.js";
import { bytesEqual } from "../util/bytes.js";
import type { CorridorBlock } from "./corridorBlock.js";
import { type LifecycleActor, transitionFault } from "./lifecycle.js";

/** A corridor lifecycle transaction of a block, as the chain selected it. */
export interface LifecycleRequest {
  hashHex: string;
  /** The transaction's harbor: the side that acts. */
  harbor: string;
  sender: Uint8Array;
  payload: CorridorPayload;
}

/** What `lifecycleRequests` reads of a transaction the chain selected for a block. */
export interface SelectedTx {
  hashHex: string;
  harbor: string;
  tx: { body: { kind: number; sender: Uint8Array; payload: Uint8Array } };
}

/** The block's corridor lifecycle transactions whose payload decodes (the others are Invalid in the VM). */
export function lifecycleRequests(txs: readonly SelectedTx[]): LifecycleRequest[] {
  const requests: LifecycleRequest[] = [];
  for (const { tx, hashHex, harbor } of txs) {
    if (tx.body.kind !== TxKind.Corridor) continue;
    let payload: CorridorPayload;
    try {
      payload = CorridorPayload.deserialize(tx.body.payload);
    } catch {
      continue;
    }
    requests.push({ hashHex, harbor, sender: tx.body.sender, payload });
  }
  return requests;
}

export interface LifecycleMove {
  hashHex: string;
  corridor: string;
  to: CorridorState;
  by: LifecycleActor;
  evidence: Uint8Array;
}

export interface LifecyclePlan {
  /** Tx hash hex → "" (the move is allowed) or why it is refused; the VM turns it into the receipt. */
  verdicts: Record<string, string>;
  /** The allowed moves in block order, applied once their transactions succeed. */
  moves: LifecycleMove[];
}

/** A state's name as the RPC spells it (`SUSPENDED`); `UNKNOWN_<code>` for a code that is no state. */
const stateName = (state: number): string => CorridorState[state]?.toUpperCase() ?? `UNKNOWN_${state}`;

const ROLE_NAMES: Record<CorridorRole, LifecycleActor["role"]> = {
  [CorridorRole.Proposer]: "proposer",
  [CorridorRole.Acceptor]: "acceptor",
};

/**
 * Decides a block's corridor moves against the lifecycles at the block's start: the sender must be
 * the authority of its transaction's harbor, that harbor one of the corridor's two, and the move one
 * lifecycle.ts allows. A corridor moves at most once per block (a second move is refused, to be sent
 * again), so each verdict depends on committed state alone, never on another transaction's fate.
 */
export function planLifecycle(
  block: CorridorBlock,
  requests: readonly LifecycleRequest[],
  authorityOf: (harbor: string) => Uint8Array | undefined,
): LifecyclePlan {
  const verdicts: Record<string, string> = {};
  const moves: LifecycleMove[] = [];
  const moved = new Set<string>();
  for (const request of requests) {
    const corridor = asciiString(request.payload.corridor);
    const refusal = refusalOf(block, request, corridor, authorityOf, moved);
    verdicts[request.hashHex] = refusal ?? "";
    if (refusal !== undefined) continue;
    moved.add(corridor);
    moves.push({
      hashHex: request.hashHex,
      corridor,
      to: request.payload.to,
      by: { harbor: request.harbor, role: ROLE_NAMES[request.payload.role as CorridorRole] },
      evidence: request.payload.evidence,
    });
  }
  return { verdicts, moves };
}

function refusalOf(
  block: CorridorBlock,
  { harbor, sender, payload }: LifecycleRequest,
  corridor: string,
  authorityOf: (harbor: string) => Uint8Array | undefined,
  moved: ReadonlySet<string>,
): string | undefined {
  if (!block.hasCorridor(corridor)) return `no corridor ${corridor}`;
  const authority = authorityOf(harbor);
  if (authority === undefined || !bytesEqual(authority, sender)) {
    return `the sender is not the authority of harbor ${harbor}`;
  }
  if (!(payload.to in CorridorState)) return `${payload.to} is not a corridor state`;
  const role = ROLE_NAMES[payload.role as CorridorRole];
  if (role === undefined) return `${payload.role} is not a role (0 proposer, 1 acceptor)`;
  if (moved.has(corridor)) return `corridor ${corridor} already moves in this block; send the move again`;
  const lifecycle = block.lifecycle(corridor);
  const fault = transitionFault(block.harborsOf(corridor), lifecycle, payload.to, { harbor, role });
  if (fault === undefined) return undefined;
  return `corridor ${corridor}: ${harbor} as ${role} may not move it from ${stateName(lifecycle.state)} to ${stateName(payload.to)} (${fault})`;
}
