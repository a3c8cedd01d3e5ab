/** The validator-to-validator network: see P2PNetwork. */
import "./polyfills.js";
import { CONSENSUS_PROTOCOL_PREFIX } from "./constants.js";

export { NetworkError, NetworkErrorCode } from "./errors.js";
export { P2PNetwork } from "./p2pNetwork.js";
export { NetworkDropReason, type NetworkStatsSnapshot } from "./stats.js";
export type * from "./types.js";
export { CONSENSUS_PROTOCOL_PREFIX };

/** The id of a consensus message protocol, e.g. consensusProtocol("header"). */
export function consensusProtocol(name: string): string {
  return `${CONSENSUS_PROTOCOL_PREFIX}/${name}`;
}
export { committeeMembers } from "./peerBook.js";
