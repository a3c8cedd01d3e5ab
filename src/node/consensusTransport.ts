import {
  type ConsensusMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  MessageKind,
} from "../consensus/messages.js";
import type { ConsensusNetwork } from "../consensus/network.js";
import { consensusProtocol, type P2PNetwork } from "../network/index.js";

/** Primary traffic (headers, votes, certificates, sync) apart from bulky worker batches: no head-of-line blocking. */
export const PRIMARY_PROTOCOL = consensusProtocol("primary/1.0.0");
export const WORKER_PROTOCOL = consensusProtocol("worker/1.0.0");

const WORKER_KINDS = new Set([MessageKind.Batch, MessageKind.BatchAck, MessageKind.BatchesRequest]);

function protocolOf(message: ConsensusMessage): string {
  return WORKER_KINDS.has(message.kind) ? WORKER_PROTOCOL : PRIMARY_PROTOCOL;
}

/**
 * Carries consensus messages over the libp2p network: registers the consensus protocols (before the
 * network starts), hands inbound bytes to `deliver`, and returns the core's ConsensusNetwork.
 */
export function consensusTransport(
  network: P2PNetwork,
  deliver: (from: number, bytes: Uint8Array) => void,
): ConsensusNetwork {
  const inbound = (from: number, _protocol: string, bytes: Uint8Array) => deliver(from, bytes);
  network.registerMessageProtocol({ id: PRIMARY_PROTOCOL, maxMessageSize: MAX_MESSAGE_BYTES }, inbound);
  network.registerMessageProtocol({ id: WORKER_PROTOCOL, maxMessageSize: MAX_MESSAGE_BYTES }, inbound);
  return {
    send: (to, message) => void network.send(to, protocolOf(message), encodeMessage(message)),
    broadcast: (message) => void network.broadcast(protocolOf(message), encodeMessage(message)),
  };
}
