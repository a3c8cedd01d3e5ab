import { transferRefusal } from "../../compliance/transferRule.js";
import { sha256Concat } from "../../crypto/hash.js";
import { CorridorMessageKind, ExecutionOutcome, LockStatus } from "../../types/execution.js";
import { asciiBytes, asciiString } from "../../types/primitives.js";
import type { MigratePayload } from "../../types/transaction.js";
import { utf8 } from "../../util/bytes.js";
import type { ExecutionEnv } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import type { ExecutionResult } from "../execute.js";
import { GAS_MIGRATION } from "../gas.js";
import { emitMessage } from "../precompiles/migration.js";
import { lockKey } from "../state/keys.js";
import { ZERO32 } from "../state/world.js";
import { meteredReader } from "./compliance.js";
import type { GasMeter } from "./meter.js";
import { nativeResult } from "./outcome.js";

const MIGRATE_TAG = utf8("MASS-L1/migrate/v1");

/** The transit id of a native migration: one per transaction, so a transaction departs at most once. */
export function migrationTransitId(txHash: Uint8Array): Uint8Array {
  return sha256Concat(MIGRATE_TAG, txHash);
}

/**
 * The origin side of a native migration (ICS-20's escrow): the sender must meet the rule pack's
 * `migrate` export requirements and its transfer limit; the amount leaves the sender's balance into
 * an escrow (an in-transit lock of the native asset, 32 zero bytes) and a Departure goes to the
 * destination harbor, which checks its import requirements and credits or refuses. The escrow is
 * retired by the destination's acknowledgement, or paid back by a refusal or a timeout refund.
 */
export function applyMigrate(
  env: ExecutionEnv,
  meter: GasMeter,
  sender: Uint8Array,
  payload: MigratePayload,
): ExecutionResult {
  // Priced as the migration precompiles (SPEC: migration ops 100,000): a migration costs its origin,
  // its destination and its acknowledgement, and leaves an escrow and an arrival behind.
  meter.charge(GAS_MIGRATION);
  const destination = asciiString(payload.destinationHarbor);
  if (destination === env.harbor)
    throw new Fault(FaultCode.InvalidArgument, "a migration must leave the harbor");
  if (payload.amount === 0n)
    throw new Fault(FaultCode.InvalidArgument, "a migration moves a positive amount");
  const pack = env.rulePack;
  const refusal = transferRefusal(
    env.harbor,
    pack,
    [{ subject: sender, jurisdiction: env.jurisdiction, domains: pack.operations.migrate.export }],
    payload.amount,
    meteredReader(env, meter),
  );
  if (refusal !== undefined) throw new Fault(FaultCode.ComplianceFailed, refusal);
  const world = env.world;
  const from = world.getAccount(sender);
  if (from.balance < payload.amount) throw new Fault(FaultCode.InvalidArgument, "insufficient balance");
  const transitId = migrationTransitId(env.txHash);
  // The message first: it is the one step that can still fault, and the writes below are not journaled.
  emitMessage(env, {
    kind: CorridorMessageKind.Departure,
    transitId,
    sourceHarbor: asciiBytes(env.harbor),
    destinationHarbor: asciiBytes(destination),
    sourceAsset: ZERO32,
    destinationAsset: ZERO32,
    sender,
    recipient: payload.recipient,
    amount: payload.amount,
    receipt: ZERO32,
    timeoutBlocks: payload.timeoutBlocks,
  });
  world.setAccount(sender, { ...from, balance: from.balance - payload.amount });
  world.locks.set(lockKey(transitId), {
    asset: ZERO32,
    owner: sender,
    amount: payload.amount,
    status: LockStatus.InTransit,
    destinationHarbor: asciiBytes(destination),
    destinationAsset: ZERO32,
    recipient: payload.recipient,
  });
  return nativeResult(world, ExecutionOutcome.Success, meter.used);
}
