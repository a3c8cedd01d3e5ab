// Block finality: validators' signatures over executed headers, gathered into certificates.
export {
  type CertificateSource,
  FINALITY_GRACE_BLOCKS,
  FinalityBackfill,
  type FinalityBackfillOptions,
} from "./backfill.js";
export {
  describeDisagreement,
  FinalityCollector,
  type FinalityConflict,
  type FinalityDisagreement,
  type FinalityEvents,
  finalityCertificateFault,
  verifyBlockSignature,
} from "./collector.js";
export {
  FINALITY_PROTOCOL,
  type FinalityGossip,
  FinalityProtocol,
  type FinalityProtocolOptions,
} from "./protocol.js";
