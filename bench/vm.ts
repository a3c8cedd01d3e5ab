import { fileURLToPath } from "node:url";
import { SimpleStateManager } from "@ethereumjs/statemanager";
import type { Address } from "@ethereumjs/util";
import { createAddressFromString } from "@ethereumjs/util";
import { createVM } from "@ethereumjs/vm";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { loadRulePackDir } from "../src/compliance/rulePack.js";
import { ExecutionOutcome, type ReceiptChainHead } from "../src/types/execution.js";
import { concatBytes } from "../src/util/bytes.js";
import { assemble } from "../src/vm/assembler.js";
import { TOKEN_SOURCE, tokenTransferInput } from "../src/vm/examples/token.js";
import { executeAsset } from "../src/vm/execute.js";
import { defaultProofRegistry } from "../src/vm/precompiles/zk.js";
import { sealReceipt } from "../src/vm/receipt.js";
import { storageKey } from "../src/vm/state/keys.js";
import { World, ZERO32 } from "../src/vm/state/world.js";
import { envFor } from "../src/vm/tx/context.js";
import { bytesToWord, wordToBytes } from "../src/vm/word.js";

/**
 * A minimal ERC-20 `transfer(address,uint256)` runtime, hand-assembled for the bench (no solc here).
 * It does what solc's output does on the transfer path: selector dispatch, balance slot =
 * keccak256(holder ‖ 0), balance check with revert, debit, credit, the Transfer(from, to, value)
 * event (LOG3) and `return true`. Like the SAVM token it has no overflow check on the credit.
 */

const OP: Record<string, number> = {
  STOP: 0x00,
  ADD: 0x01,
  SUB: 0x03,
  LT: 0x10,
  EQ: 0x14,
  SHR: 0x1c,
  SHA3: 0x20,
  CALLER: 0x33,
  CALLDATALOAD: 0x35,
  MSTORE: 0x52,
  SLOAD: 0x54,
  SSTORE: 0x55,
  JUMPI: 0x57,
  JUMPDEST: 0x5b,
  PUSH1: 0x60,
  PUSH2: 0x61,
  PUSH4: 0x63,
  PUSH32: 0x7f,
  DUP1: 0x80,
  DUP3: 0x82,
  SWAP1: 0x90,
  LOG3: 0xa3,
  RETURN: 0xf3,
  REVERT: 0xfd,
};

/** keccak256("Transfer(address,address,uint256)") */
const TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

const LISTING = `
  PUSH1 00 CALLDATALOAD PUSH1 e0 SHR
  PUSH4 a9059cbb EQ PUSH2 @transfer JUMPI
  PUSH1 00 DUP1 REVERT
transfer: JUMPDEST
  CALLER PUSH1 00 MSTORE PUSH1 00 PUSH1 20 MSTORE
  PUSH1 40 PUSH1 00 SHA3
  DUP1 SLOAD
  PUSH1 24 CALLDATALOAD
  DUP1 DUP3 LT PUSH2 @fail JUMPI
  SWAP1 SUB SWAP1 SSTORE
  PUSH1 04 CALLDATALOAD PUSH1 00 MSTORE
  PUSH1 40 PUSH1 00 SHA3
  DUP1 SLOAD PUSH1 24 CALLDATALOAD ADD SWAP1 SSTORE
  PUSH1 24 CALLDATALOAD PUSH1 00 MSTORE
  PUSH1 04 CALLDATALOAD CALLER PUSH32 ${TRANSFER_TOPIC} PUSH1 20 PUSH1 00 LOG3
  PUSH1 01 PUSH1 00 MSTORE PUSH1 20 PUSH1 00 RETURN
fail: JUMPDEST
  PUSH1 00 DUP1 REVERT
`;

/** Assembles LISTING: mnemonics, hex immediates, `label:` and `@label` (2-byte PUSH2 targets). */
function assembleEvm(listing: string): Uint8Array {
  const tokens = listing.split(/\s+/).filter((t) => t !== "");
  const labels = new Map<string, number>();
  const out: (number | string)[] = [];
  for (const t of tokens) {
    if (t.endsWith(":")) labels.set(t.slice(0, -1), out.length);
    else if (t.startsWith("@")) out.push(t.slice(1), 0);
    else if (OP[t] !== undefined) out.push(OP[t]);
    else for (let i = 0; i < t.length; i += 2) out.push(Number.parseInt(t.slice(i, i + 2), 16));
  }
  const bytes = new Uint8Array(out.length);
  out.forEach((b, i) => {
    if (typeof b === "string") {
      const at = labels.get(b)!;
      bytes[i] = at >> 8;
      bytes[i + 1] = at & 0xff;
    } else if (typeof out[i - 1] !== "string") {
      bytes[i] = b;
    }
  });
  return bytes;
}

const ERC20_RUNTIME = assembleEvm(LISTING);
const TRANSFER_SELECTOR = Uint8Array.of(0xa9, 0x05, 0x9c, 0xbb);

/**
 * Token transfers per second: the SAVM token asset against an ERC-20 on @ethereumjs/vm, same
 * machine, same run, no signature checks on either side. Both run a transfer between holders
 * in a ring with state kept in memory; the EVM side is `evm.runCall`, the SAVM side `executeAsset`
 * (the same step of a transaction). Prints one JSON line per figure.
 */

const HOLDERS = 1000;
const START_BALANCE = 10n ** 18n;
/** Enough calls for each side to run about two seconds on this machine. */
const EVM_CALLS = 6000;
const SAVM_CALLS = 400_000;
const WARMUP_FRACTION = 10;
const ROUNDS = 4;

function holder(i: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  new DataView(out.buffer).setUint32(bytes - 4, i + 1);
  return out;
}

/** Sets up the EVM side; the returned function times `calls` transfers and returns their rate. */
async function evmBench(): Promise<(calls: number) => Promise<number>> {
  // The in-memory state manager: the fastest ethereumjs offers, so the baseline is not handicapped.
  const vm = await createVM({ stateManager: new SimpleStateManager() });
  const token = createAddressFromString(`0x${"ee".repeat(20)}`);
  await vm.stateManager.putCode(token, ERC20_RUNTIME);
  const callers: Address[] = [];
  for (let i = 0; i < HOLDERS; i++) {
    const word = holder(i, 32);
    const slot = keccak_256(concatBytes(word, new Uint8Array(32)));
    await vm.stateManager.putStorage(token, slot, wordToBytes(bytesToWord(wordToBytes(START_BALANCE))));
    callers.push(createAddressFromString(`0x${Buffer.from(word.subarray(12)).toString("hex")}`));
  }
  const call = async (k: number) => {
    const to = holder((k + 1) % HOLDERS, 32);
    const data = concatBytes(TRANSFER_SELECTOR, to, wordToBytes(1));
    const r = await vm.evm.runCall({ caller: callers[k % HOLDERS]!, to: token, data, gasLimit: 100_000n });
    if (r.execResult.exceptionError !== undefined)
      throw new Error(`EVM transfer failed: ${r.execResult.exceptionError.error}`);
  };
  let next = 0;
  for (let k = 0; k < EVM_CALLS / WARMUP_FRACTION; k++) await call(next++);
  return async (calls) => {
    const start = process.hrtime.bigint();
    for (let k = 0; k < calls; k++) await call(next++);
    return calls / (Number(process.hrtime.bigint() - start) / 1e9);
  };
}

/** Sets up the SAVM side; the returned function times `calls` transfers and returns their rate. */
function savmBench(withReceipts: boolean): (calls: number) => number {
  const code = assemble(TOKEN_SOURCE).bytecode;
  const asset = new Uint8Array(32).fill(0xee);
  const assetHex = Buffer.from(asset).toString("hex");
  const snapshot = new Map<string, Uint8Array>();
  const holders = Array.from({ length: HOLDERS }, (_, i) => holder(i, 32));
  for (const h of holders) snapshot.set(storageKey(assetHex, bytesToWord(h)), wordToBytes(START_BALANCE));
  const world = new World({ get: (k) => snapshot.get(k) });
  world.putAssetRecord(asset, {
    owner: ZERO32,
    code,
    metadata: new Uint8Array(0),
    chain: { head: ZERO32, count: 0 },
  });
  const state = world.getAsset(asset)!;
  const pack = loadRulePackDir(fileURLToPath(new URL("../../genesis/rulepacks/", import.meta.url)))[0]!;
  const ctx = {
    chainId: "bench",
    timestamp: 0,
    harbor: pack.harbor,
    jurisdiction: pack.jurisdiction,
    rulePack: pack,
    proofs: defaultProofRegistry(),
    verifySignatures: false,
  };
  const inputs = holders.map((_, i) => tokenTransferInput(holders[(i + 1) % HOLDERS]!, 1n));
  let head: ReceiptChainHead = { head: ZERO32, count: 0 };
  const call = (k: number) => {
    const from = holders[k % HOLDERS]!;
    world.beginExecution();
    const env = envFor(world, ctx, from, ZERO32);
    const r = executeAsset(env, state, from, inputs[k % HOLDERS]!, 100_000);
    if (r.outcome !== ExecutionOutcome.Success) throw new Error(`SAVM transfer failed: ${r.reason}`);
    if (withReceipts) {
      head = sealReceipt(head, {
        asset,
        txHash: ZERO32,
        caller: from,
        jurisdiction: Buffer.from(pack.jurisdiction),
        gasUsed: r.gasUsed,
        outcome: r.outcome,
        pc: r.pc,
        reason: new Uint8Array(0),
        returnData: r.returnData,
        storageMutations: r.storageMutations,
        tensorUpdates: r.tensorUpdates,
        logs: r.logs,
        attestations: r.attestations,
        messages: r.messages,
      }).head;
    }
  };
  let next = 0;
  for (let k = 0; k < SAVM_CALLS / WARMUP_FRACTION; k++) call(next++);
  return (calls) => {
    const start = process.hrtime.bigint();
    for (let k = 0; k < calls; k++) call(next++);
    return calls / (Number(process.hrtime.bigint() - start) / 1e9);
  };
}

// Interleaved rounds, best of each side: other load on the machine hits both sides alike.
const runEvm = await evmBench();
const runSavm = savmBench(false);
const runSavmReceipts = savmBench(true);
let evm = 0;
let savm = 0;
let savmReceipts = 0;
for (let round = 0; round < ROUNDS; round++) {
  evm = Math.max(evm, await runEvm(EVM_CALLS / ROUNDS));
  savm = Math.max(savm, runSavm(SAVM_CALLS / ROUNDS));
  savmReceipts = Math.max(savmReceipts, runSavmReceipts(SAVM_CALLS / ROUNDS / 2));
}
const round = (x: number) => Math.round(x);
console.log(
  JSON.stringify({
    bench: "vm",
    savmTransfersPerSec: round(savm),
    evmTransfersPerSec: round(evm),
    ratio: Number((savm / evm).toFixed(1)),
    target: 50,
  }),
);
console.log(
  JSON.stringify({
    bench: "vm.receipts",
    savmTransfersWithReceiptPerSec: round(savmReceipts),
    evmTransfersPerSec: round(evm),
    ratio: Number((savmReceipts / evm).toFixed(1)),
  }),
);
