export { Bullshark, type BullsharkState, type CommittedLeader } from "./bullshark.js";
export { type Clock, systemClock, type Timer } from "./clock.js";
export { ConsensusCommittee } from "./committee.js";
export { ConsensusNode, type ConsensusNodeOptions, type ConsensusStatus } from "./consensusNode.js";
export { Dag, type Vertex, vertexOf } from "./dag.js";
export { DropReason } from "./dropReason.js";
export { ConsensusError, ConsensusErrorCode } from "./errors.js";
export type { CommittedSubDag } from "./linearizer.js";
export {
  type ConsensusMessage,
  decodeMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
  MessageKind,
  maxMessageBytes,
} from "./messages.js";
export type { ConsensusNetwork } from "./network.js";
export { runSimulation, type SimulationOptions, type SimulationReport } from "./sim/runner.js";
export { LevelConsensusStore } from "./store/levelStore.js";
export { MemoryConsensusStore } from "./store/memoryStore.js";
export type {
  BatchKey,
  ConsensusStore,
  ConsensusWrite,
  MaybePromise,
  RecoveredState,
} from "./store/store.js";
export type { ConsensusOutput } from "./subscriber.js";
export { ed25519Verifier, MemoVerifier, type SignatureVerifier } from "./verifier.js";
export { SubmitResult } from "./worker/worker.js";
