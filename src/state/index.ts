// Storage: the database and its typed repositories, the authenticated state tree and its proofs.
export * from "./db/index.js";
export { StateError, StateErrorCode, StateStore, type StateWrite } from "./stateStore.js";
export {
  EMPTY_STATE_ROOT,
  type StateEntry,
  type StateProof,
  StateTree,
  verifyStateProof,
} from "./stateTree.js";
