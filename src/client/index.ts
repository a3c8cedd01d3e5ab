// The client face: what a wallet, a deployer's script or a browser needs to talk to a node. It
// stands on types, the pure parts of crypto and util only (scripts/check-imports.mjs).
export { TxBuildError, TxBuildErrorCode } from "./errors.js";
export {
  attestTx,
  buildTransaction,
  callTx,
  corridorTx,
  deployTx,
  derivePublicKey,
  migrateTx,
  type SignedTx,
  type Signer,
  signEd25519,
  signTransaction,
  TRANSFER_GAS_LIMIT,
  type TxEnvelope,
  type TxPayload,
  transferTx,
} from "./transactions.js";
