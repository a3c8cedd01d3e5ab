import { LIBP2P_MAX_PENDING_CONNECTIONS, MAX_CONNECTIONS_PER_PEER } from "../network/constants.js";
import { DB_MAX_OPEN_FILES } from "../state/db/database.js";
import type { ConnectionLimits } from "../util/connectionGuard.js";
import { openFileLimit } from "../util/fdLimit.js";

/** Descriptors kept for the rest: worker threads, log and key files, the event loop's own. */
const NODE_RESERVED_FDS = 256;
/** Connections the JSON-RPC port holds at most, whatever the limit allows: a busy public endpoint's worth. */
const RPC_MAX_CONNECTIONS = 4096;
/** Connections the RPC port always gets, even under a tiny descriptor limit. */
const RPC_MIN_CONNECTIONS = 32;
/** One address's share of the RPC connections: a fairness bound, evicting its own oldest first. */
const RPC_MAX_PER_ADDRESS = 256;
/** The metrics port serves a few scrapers. */
export const METRICS_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 16, maxPerAddress: 8 };

/**
 * The RPC connection bounds under this process's descriptor limit, after the database's files,
 * the peers' and the metrics port's connections are set aside: clients can never starve LevelDB
 * or consensus of descriptors.
 */
export function rpcConnectionLimits(committeeSize: number, fdLimit = openFileLimit()): ConnectionLimits {
  // The libp2p host's own bound on sockets: handshakes in progress plus upgraded committee connections.
  const peerSockets = LIBP2P_MAX_PENDING_CONNECTIONS + committeeSize * MAX_CONNECTIONS_PER_PEER;
  const available =
    fdLimit - DB_MAX_OPEN_FILES - peerSockets - NODE_RESERVED_FDS - METRICS_CONNECTION_LIMITS.maxConnections;
  const maxConnections = Math.max(RPC_MIN_CONNECTIONS, Math.min(RPC_MAX_CONNECTIONS, available));
  return { maxConnections, maxPerAddress: Math.min(RPC_MAX_PER_ADDRESS, maxConnections) };
}
