import { verify } from "../../crypto/ed25519.js";
import { ExecutionOutcome, type ReceiptChainHead } from "../../types/execution.js";
import { txHashOfBytes, txSigningMessage } from "../../types/signing.js";
import {
  type AttestPayload,
  type CallPayload,
  type DeployPayload,
  type MigratePayload,
  type SignedTransaction,
  type TransferPayload,
  TxKind,
} from "../../types/transaction.js";
import { toHex } from "../../util/bytes.js";
import { errorMessage } from "../../util/errors.js";
import type { ExecutionEnv } from "../env.js";
import { type ExecutionResult, executeAsset } from "../execute.js";
import { GAS_TX_BASE } from "../gas.js";
import { decodeProgram } from "../program.js";
import { type SealedReceipt, sealReceipt } from "../receipt.js";
import { type World, ZERO32 } from "../state/world.js";
import { applyAttest } from "./attest.js";
import { requireCompliance } from "./compliance.js";
import { contextBytes, envelopeOf, envFor, type HarborContext, treasuryKeyOf } from "./context.js";
import { applyDeploy, deployGas } from "./deploy.js";
import { GasMeter } from "./meter.js";
import { applyMigrate } from "./migrate.js";
import { nativeResult, runNative } from "./outcome.js";
import { applyTransfer } from "./transfer.js";
import {
  checkEnvelope,
  type DecodedTx,
  decodePayload,
  decodeTransaction,
  type FaultOf,
  TxFaultCode,
} from "./validity.js";

/** Longest reason text a receipt keeps (ExecutionReceipt.reason's limit). */
const MAX_REASON = 256;

/** Which receipt chain a result extends: an asset's, or the harbor's native ledger (zero id). */
type ChainTarget = Uint8Array | undefined;

/** Seals `result` as a receipt on the asset's chain (or the native one) and advances that chain's head. */
export function recordReceipt(
  world: World,
  ctx: HarborContext,
  target: ChainTarget,
  txHash: Uint8Array,
  caller: Uint8Array,
  result: ExecutionResult,
): SealedReceipt {
  const record = target === undefined ? undefined : world.getAssetRecord(target);
  const head: ReceiptChainHead = record?.chain ?? world.getNativeChain();
  const { sealed, head: next } = sealReceipt(head, {
    asset: record === undefined ? ZERO32 : target!,
    txHash,
    caller,
    jurisdiction: contextBytes(ctx).jurisdiction,
    gasUsed: result.gasUsed,
    outcome: result.outcome,
    pc: result.pc,
    reason: Buffer.from(result.reason, "utf8").subarray(0, MAX_REASON),
    returnData: result.returnData,
    storageMutations: result.storageMutations,
    tensorUpdates: result.tensorUpdates,
    logs: result.logs,
    attestations: result.attestations,
    messages: result.messages,
  });
  if (record === undefined) world.setNativeChain(next);
  else world.putAssetRecord(target!, { ...record, chain: next });
  return sealed;
}

/**
 * An Invalid receipt's reason for a broken stateless rule. Receipts are hashed into the block, so
 * these texts are part of the protocol: they never change.
 */
function invalidReason(
  fault: FaultOf<
    | TxFaultCode.Undecodable
    | TxFaultCode.WrongChain
    | TxFaultCode.UnknownHarbor
    | TxFaultCode.UnknownKind
    | TxFaultCode.MalformedPayload
  >,
): string {
  switch (fault.code) {
    case TxFaultCode.Undecodable:
      return `undecodable transaction: ${fault.error}`;
    case TxFaultCode.WrongChain:
      return "wrong chain id";
    case TxFaultCode.UnknownHarbor:
      return "transaction belongs to another harbor";
    case TxFaultCode.UnknownKind:
      return `unknown transaction kind ${fault.kind}`;
    case TxFaultCode.MalformedPayload:
      return `malformed payload: ${fault.error}`;
  }
}

function invalid(world: World, ctx: HarborContext, txHash: Uint8Array, caller: Uint8Array, reason: string) {
  world.beginExecution();
  return recordReceipt(
    world,
    ctx,
    undefined,
    txHash,
    caller,
    nativeResult(world, ExecutionOutcome.Invalid, 0, reason),
  );
}

/**
 * Applies one encoded signed transaction to the harbor's world and returns its receipt. Never
 * throws for a bad transaction: it gets an Invalid receipt (no fee, no nonce change) when it cannot
 * be charged (undecodable, wrong chain or harbor, bad signature, nonce, fee balance, gas below the
 * intrinsic price, malformed payload or bytecode); once charged, a failure is a Revert or OutOfGas
 * receipt with the nonce advanced and the fee paid.
 */
export function applyTransaction(
  world: World,
  ctx: HarborContext,
  encoded: Uint8Array,
  /** The same transaction decoded and hashed already (the chain's block path); else done here. */
  known?: DecodedTx,
): SealedReceipt {
  const txHash = known?.hash ?? txHashOfBytes(encoded);
  let tx: SignedTransaction;
  if (known !== undefined) tx = known.tx;
  else {
    const decoded = decodeTransaction(encoded);
    if (!decoded.ok) return invalid(world, ctx, txHash, ZERO32, invalidReason(decoded.fault));
    tx = decoded.value;
  }
  const body = tx.body;
  const sender = body.sender;
  const reject = (reason: string) => invalid(world, ctx, txHash, sender, reason);
  const envelope = checkEnvelope(body, envelopeOf(ctx));
  if (!envelope.ok) return reject(invalidReason(envelope.fault));
  if (ctx.verifySignatures && !verify(sender, txSigningMessage(body), tx.signature))
    return reject("bad signature");
  const decodedPayload = decodePayload(body);
  if (!decodedPayload.ok) return reject(invalidReason(decodedPayload.fault));
  const payload = decodedPayload.value;
  const account = world.getAccount(sender);
  if (body.nonce !== account.nonce) return reject(`bad nonce: expected ${account.nonce}, got ${body.nonce}`);
  if (account.balance < body.fee) return reject("balance below the fee");
  let intrinsic = GAS_TX_BASE;
  if (body.kind === TxKind.Deploy) {
    const deploy = payload as DeployPayload;
    try {
      decodeProgram(deploy.bytecode);
    } catch (err) {
      return reject(errorMessage(err));
    }
    intrinsic += deployGas(deploy);
  }
  if (body.gasLimit < intrinsic) return reject(`gas limit below the intrinsic ${intrinsic}`);

  // Charged from here on: nonce advances and the fee goes to the harbor treasury whatever the outcome.
  world.setAccount(sender, { balance: account.balance - body.fee, nonce: account.nonce + 1 });
  if (body.fee > 0n) {
    const treasuryKey = treasuryKeyOf(ctx.rulePack);
    const treasury = world.getAccount(treasuryKey);
    world.setAccount(treasuryKey, { ...treasury, balance: treasury.balance + body.fee });
  }
  world.beginExecution();
  const env = envFor(world, ctx, sender, txHash);
  const meter = new GasMeter(body.gasLimit);
  meter.charge(GAS_TX_BASE);
  switch (body.kind as TxKind) {
    case TxKind.Transfer: {
      const result = runNative(world, meter, () =>
        applyTransfer(env, meter, sender, payload as TransferPayload),
      );
      return recordReceipt(world, ctx, undefined, txHash, sender, result);
    }
    case TxKind.Migrate: {
      const result = runNative(world, meter, () =>
        applyMigrate(env, meter, sender, payload as MigratePayload),
      );
      return recordReceipt(world, ctx, undefined, txHash, sender, result);
    }
    case TxKind.Corridor: {
      const verdict =
        ctx.lifecycleVerdicts?.[toHex(txHash)] ?? "no lifecycle verdict: only a block plans corridor moves";
      const outcome = verdict === "" ? ExecutionOutcome.Success : ExecutionOutcome.Revert;
      return recordReceipt(
        world,
        ctx,
        undefined,
        txHash,
        sender,
        nativeResult(world, outcome, meter.used, verdict),
      );
    }
    case TxKind.Attest: {
      const result = runNative(world, meter, () => applyAttest(env, meter, sender, payload as AttestPayload));
      return recordReceipt(world, ctx, undefined, txHash, sender, result);
    }
    case TxKind.Deploy: {
      let assetId: Uint8Array | undefined;
      const result = runNative(world, meter, () => {
        assetId = applyDeploy(env, meter, sender, body.nonce, payload as DeployPayload);
        return nativeResult(world, ExecutionOutcome.Success, meter.used);
      });
      return recordReceipt(world, ctx, assetId, txHash, sender, result);
    }
    case TxKind.Call:
      return applyCall(env, ctx, meter, txHash, sender, payload as CallPayload);
  }
}

function applyCall(
  env: ExecutionEnv,
  ctx: HarborContext,
  meter: GasMeter,
  txHash: Uint8Array,
  sender: Uint8Array,
  payload: CallPayload,
): SealedReceipt {
  const world = env.world;
  const asset = world.getAsset(payload.asset);
  if (asset === undefined) {
    const result = nativeResult(
      world,
      ExecutionOutcome.Revert,
      meter.used,
      "no asset with that id in this harbor",
    );
    return recordReceipt(world, ctx, undefined, txHash, sender, result);
  }
  const checked = runNative(world, meter, () => {
    requireCompliance(env, meter, [
      { subject: sender, jurisdiction: env.jurisdiction, domains: env.rulePack.operations.call.export },
    ]);
    return nativeResult(world, ExecutionOutcome.Success, meter.used);
  });
  if (checked.outcome !== ExecutionOutcome.Success) {
    return recordReceipt(world, ctx, payload.asset, txHash, sender, checked);
  }
  const result = executeAsset(env, asset, sender, payload.input, meter.remaining);
  const gasUsed = result.outcome === ExecutionOutcome.OutOfGas ? meter.limit : meter.used + result.gasUsed;
  return recordReceipt(world, ctx, payload.asset, txHash, sender, { ...result, gasUsed });
}
