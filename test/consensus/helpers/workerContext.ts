import { ConsensusCommittee } from "../../../src/consensus/committee.js";
import type { CoreContext } from "../../../src/consensus/context.js";
import type { DropReason } from "../../../src/consensus/dropReason.js";
import type { ConsensusMessage } from "../../../src/consensus/messages.js";
import { Outbox } from "../../../src/consensus/primary/outbox.js";
import { MemoryConsensusStore } from "../../../src/consensus/store/memoryStore.js";
import { Worker } from "../../../src/consensus/worker/worker.js";
import type { ConsensusParams } from "../../../src/types/genesis.js";
import { testCommittee } from "./dagBuilder.js";
import { CHAIN_ID, ManualClock, PARAMS } from "./harness.js";

/** A validator 0 of a 4-member committee for testing a Worker alone: its messages go to the callbacks. */
export function workerContext(options: {
  store: MemoryConsensusStore;
  clock: ManualClock;
  params?: Partial<ConsensusParams>;
  send?: (to: number, message: ConsensusMessage) => void;
  broadcast?: (message: ConsensusMessage) => void;
  drop?: (reason: DropReason) => void;
}): CoreContext {
  return {
    committee: new ConsensusCommittee(testCommittee(4)),
    params: { ...PARAMS, ...options.params },
    chainId: CHAIN_ID,
    self: 0,
    secretKey: new Uint8Array(32),
    clock: options.clock,
    outbox: new Outbox(
      options.store,
      { send: options.send ?? (() => undefined), broadcast: options.broadcast ?? (() => undefined) },
      (err) => {
        throw err;
      },
    ),
    verifier: { verify: () => true } as unknown as CoreContext["verifier"],
    metrics: null,
    drop: (_kind, reason) => options.drop?.(reason),
  };
}

/** A Worker of validator 0 over a fresh memory store and manual clock; `setRound` moves its local round. */
export function testWorker(options: Omit<Parameters<typeof workerContext>[0], "store" | "clock"> = {}) {
  const store = new MemoryConsensusStore();
  const clock = new ManualClock();
  let round = 1;
  const worker = new Worker(
    workerContext({ ...options, store, clock }),
    store,
    () => round,
    () => undefined,
  );
  return { worker, store, clock, setRound: (r: number) => (round = r) };
}
