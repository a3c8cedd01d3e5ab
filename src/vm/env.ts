import type { RulePack } from "../compliance/rulePack.js";
import type { CellReading } from "../compliance/tensor.js";
import type { ProofRegistry } from "./precompiles/zk.js";
import type { AssetState, World } from "./state/world.js";
import type { Word } from "./word.js";

/** Everything an execution can see besides its frame: the harbor, the block and the transaction. */
export interface ExecutionEnv {
  readonly world: World;
  readonly harbor: string;
  readonly jurisdiction: string;
  readonly jurisdictionWord: Word;
  /** Block time, unix milliseconds; tensor expiry is judged against it. */
  readonly timestamp: number;
  /** The harbor's rule pack; TENSOR_SET and TRANSIT consult it. */
  readonly rulePack: RulePack;
  readonly proofs: ProofRegistry;
  readonly origin: Uint8Array;
  readonly originWord: Word;
  readonly txHash: Uint8Array;
  /** Locks created so far in this transaction (makes lock ids unique). */
  locksCreated: number;
  /** DEBUG output; undefined in consensus execution. */
  readonly trace: ((line: string) => void) | undefined;
}

/** One call frame. */
export interface Frame {
  readonly asset: AssetState;
  readonly caller: Uint8Array;
  readonly callerWord: Word;
  readonly input: Uint8Array;
  readonly depth: number;
  memory: Uint8Array;
  /** Bytes of memory in use (a multiple of 32). */
  memorySize: number;
  /** Compliance cells this frame read, in order (ATTEST commits to them). */
  readonly readings: CellReading[];
  /** Why the frame's compliance evidence is negative, from the first failing read or proof. */
  firstFailure: string | undefined;
}
