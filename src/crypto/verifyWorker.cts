/**
 * Piscina worker entry of the verification pool: one packed batch of Ed25519 checks per call. A
 * CommonJS entry, for the reason given in src/vm/executor/worker.cts; it imports the ES module once.
 */
let batch: Promise<typeof import("./verifyBatch.js")> | undefined;

async function run(packed: Uint8Array): Promise<Uint8Array> {
  batch ??= import("./verifyBatch.js");
  return (await batch).verifyPacked(packed);
}

export = run;
