import type { ConsensusMessage } from "./messages.js";

/**
 * How the core talks to its peers. Sending never blocks and never throws: the transport queues,
 * retries or drops (the protocol recovers lost messages by itself). Peers are committee indices;
 * the transport maps them to connections and tells the core who sent each inbound message.
 */
export interface ConsensusNetwork {
  send(to: number, message: ConsensusMessage): void;
  /** To every other committee member. */
  broadcast(message: ConsensusMessage): void;
}
