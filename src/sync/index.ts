// Catching up: block sync from peers, checkpoint agreement, the catch-up that decides between them.
export { type BlockSource, BlockSync, type BlockSyncOptions } from "./blockSync.js";
export { behindGcWindow, CatchUp, type CatchUpOptions } from "./catchUp.js";
export { agreedCheckpoint, type CheckpointSource, fetchAgreedCheckpoint } from "./checkpointAgreement.js";
export { SyncError, SyncErrorCode } from "./errors.js";
export {
  BLOCKS_PROTOCOL,
  CHECKPOINT_PROTOCOL,
  FINALITY_CERTIFICATES_PROTOCOL,
  networkBlockSource,
  networkCertificateSource,
  networkCheckpointSource,
  registerSyncProtocols,
  SyncRefusal,
  SyncRequestError,
  type SyncServerOptions,
} from "./protocols.js";
export { ResyncingConsensus, type ResyncOptions } from "./resync.js";
export { checkSyncedBlock } from "./syncedBlock.js";
