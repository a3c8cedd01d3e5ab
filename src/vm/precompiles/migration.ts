import { transferRefusal } from "../../compliance/transferRule.js";
import { sha256Concat } from "../../crypto/hash.js";
import {
  type CorridorMessage,
  CorridorMessageKind,
  type Lock,
  LockStatus,
  MAX_RECEIPT_MESSAGES,
} from "../../types/execution.js";
import { asciiBytes } from "../../types/primitives.js";
import { bytesEqual, utf8 } from "../../util/bytes.js";
import type { ExecutionEnv, Frame } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import { arrivalKey, lockKey } from "../state/keys.js";
import { type AssetState, ZERO32 } from "../state/world.js";
import * as W from "../word.js";
import { tensorRead } from "./compliance.js";

/**
 * Migration precompiles: the origin side of the asset orbit (LOCK, UNLOCK, TRANSIT) and the
 * destination side (SETTLE). They move real units of the asset's unit ledger (docs/savm.md,
 * "Migration"): a holder's units are the storage word at the slot of its address, the layout of
 * src/vm/examples/token.ts. LOCK takes the caller's units into escrow, UNLOCK gives them back,
 * SETTLE credits the recipient in the destination asset; the ops track the units in flight so a
 * unit can never depart twice nor arrive twice, and emit the corridor messages.
 */

const LOCK_TAG = utf8("MASS-L1/lock/v1");

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** `holder`'s units in `asset`'s ledger. */
function unitsOf(env: ExecutionEnv, asset: AssetState, holder: Uint8Array): bigint {
  return W.toBig(env.world.sload(asset, W.bytesToWord(holder)));
}

function addUnits(env: ExecutionEnv, asset: AssetState, holder: Uint8Array, delta: bigint): void {
  const units = unitsOf(env, asset, holder) + delta;
  if (units < 0n) throw new Fault(FaultCode.InvalidArgument, `insufficient units: holds ${units - delta}`);
  if (units > W.WORD_MAX) throw new Fault(FaultCode.InvalidArgument, "units overflow a word");
  env.world.sstore(asset, W.bytesToWord(holder), W.fromBig(units));
}

function ownLock(env: ExecutionEnv, frame: Frame, lockId: Uint8Array): Lock {
  const lock = env.world.locks.get(lockKey(lockId));
  if (lock === undefined || !bytesEqual(lock.asset, frame.asset.id)) {
    throw new Fault(FaultCode.InvalidArgument, "no such lock held by this asset");
  }
  return lock;
}

export function emitMessage(env: ExecutionEnv, message: CorridorMessage): void {
  const messages = env.world.effects.messages;
  if (messages.length >= MAX_RECEIPT_MESSAGES) throw new Fault(FaultCode.ReceiptLimit, "too many messages");
  messages.push(message);
}

/** LOCK(amount): takes `amount` of the caller's units into escrow; returns the lock (= future transit) id. */
export function lock(env: ExecutionEnv, frame: Frame, amount: bigint): Uint8Array {
  addUnits(env, frame.asset, frame.caller, -amount);
  const lockId = sha256Concat(LOCK_TAG, env.txHash, frame.asset.id, u32(env.locksCreated++));
  env.world.locks.setJournaled(lockKey(lockId), {
    asset: frame.asset.id,
    owner: frame.caller,
    amount,
    status: LockStatus.Locked,
    destinationHarbor: new Uint8Array(0),
    destinationAsset: ZERO32,
    recipient: ZERO32,
  });
  return lockId;
}

/**
 * UNLOCK(lockId): gives the units of a lock not yet departed, or of one the destination refused or
 * let expire, back to its owner; returns the amount.
 */
export function unlock(env: ExecutionEnv, frame: Frame, lockId: Uint8Array): bigint {
  const held = ownLock(env, frame, lockId);
  if (held.status === LockStatus.InTransit) {
    throw new Fault(FaultCode.InvalidArgument, "the lock is in transit; it can only be refused or settled");
  }
  env.world.locks.setJournaled(lockKey(lockId), null);
  addUnits(env, frame.asset, held.owner, held.amount);
  return held.amount;
}

/**
 * TRANSIT: departs a held lock towards `destinationHarbor`. The owner must pass this harbor's
 * `migrate` export requirements and the amount its transfer limit; the destination re-checks import.
 */
export function transit(
  env: ExecutionEnv,
  frame: Frame,
  lockId: Uint8Array,
  destinationHarbor: string,
  destinationAsset: Uint8Array,
  recipient: Uint8Array,
): void {
  const held = ownLock(env, frame, lockId);
  if (held.status !== LockStatus.Locked)
    throw new Fault(FaultCode.InvalidArgument, "the lock already departed");
  if (destinationHarbor === env.harbor) {
    throw new Fault(FaultCode.InvalidArgument, "a migration must leave the harbor");
  }
  const pack = env.rulePack;
  const refusal = transferRefusal(
    env.harbor,
    pack,
    [{ subject: held.owner, jurisdiction: env.jurisdiction, domains: pack.operations.migrate.export }],
    held.amount,
    (subject, jurisdiction, domain) => tensorRead(env, frame, subject, jurisdiction, domain),
  );
  if (refusal !== undefined) throw new Fault(FaultCode.ComplianceFailed, refusal);
  const harborBytes = asciiBytes(destinationHarbor);
  env.world.locks.setJournaled(lockKey(lockId), {
    ...held,
    status: LockStatus.InTransit,
    destinationHarbor: harborBytes,
    destinationAsset,
    recipient,
  });
  emitMessage(env, {
    kind: CorridorMessageKind.Departure,
    transitId: lockId,
    sourceHarbor: asciiBytes(env.harbor),
    destinationHarbor: harborBytes,
    sourceAsset: frame.asset.id,
    destinationAsset,
    sender: held.owner,
    recipient,
    amount: held.amount,
    receipt: ZERO32,
    timeoutBlocks: 0,
  });
}

/**
 * SETTLE(transitId): claims an arrival addressed to this asset, once, crediting its recipient's
 * units; returns the message, whose source harbor and asset the program must check (the
 * interpreter pushes them): only its own counterpart at the origin may mint here.
 */
export function settle(env: ExecutionEnv, frame: Frame, transitId: Uint8Array): CorridorMessage {
  const key = arrivalKey(transitId);
  const arrival = env.world.arrivals.get(key);
  if (arrival === undefined || !bytesEqual(arrival.message.destinationAsset, frame.asset.id)) {
    throw new Fault(FaultCode.InvalidArgument, "no arrival for this asset under that transit id");
  }
  if (arrival.settled) {
    throw new Fault(FaultCode.InvalidArgument, "the arrival is already settled (or expired unsettled)");
  }
  env.world.arrivals.setJournaled(key, { message: arrival.message, settled: true });
  const m = arrival.message;
  addUnits(env, frame.asset, m.recipient, m.amount);
  emitMessage(env, {
    ...m,
    kind: CorridorMessageKind.Settlement,
    sourceHarbor: m.destinationHarbor,
    destinationHarbor: m.sourceHarbor,
    receipt: ZERO32,
  });
  return m;
}
