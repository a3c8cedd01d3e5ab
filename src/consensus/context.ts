import type { ConsensusMetrics } from "../metrics/index.js";
import type { ConsensusParams } from "../types/genesis.js";
import type { Clock } from "./clock.js";
import type { ConsensusCommittee } from "./committee.js";
import type { DropReason } from "./dropReason.js";
import type { MessageKind } from "./messages.js";
import type { Outbox } from "./primary/outbox.js";
import type { SignatureVerifier } from "./verifier.js";

/** What every part of one validator's core shares. */
export interface CoreContext {
  readonly committee: ConsensusCommittee;
  readonly params: ConsensusParams;
  readonly chainId: Uint8Array;
  /** This validator's committee index. */
  readonly self: number;
  readonly secretKey: Uint8Array;
  readonly clock: Clock;
  readonly outbox: Outbox;
  readonly verifier: SignatureVerifier;
  readonly metrics: ConsensusMetrics | null;
  /** Counts a dropped inbound message. */
  drop(kind: MessageKind | undefined, reason: DropReason): void;
}
