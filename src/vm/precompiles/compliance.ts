import { describeReading } from "../../compliance/predicate.js";
import { isAuthorisedAttester } from "../../compliance/rulePack.js";
import { type ComplianceState, isPassing } from "../../compliance/state.js";
import { readCellState } from "../../compliance/tensor.js";
import { sha256Concat } from "../../crypto/hash.js";
import { MAX_RECEIPT_ATTESTATIONS, MAX_RECEIPT_TENSOR_UPDATES } from "../../types/execution.js";
import { asciiBytes } from "../../types/primitives.js";
import { toHex, utf8 } from "../../util/bytes.js";
import type { ExecutionEnv, Frame } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import { JURISDICTION_KEY_BYTES, tensorKey } from "../state/keys.js";

/**
 * The compliance precompiles (TENSOR_GET, TENSOR_STATE, TENSOR_SET, ATTEST). Native transactions run
 * their compliance checks through `tensorRead` too, so a transfer and a program read cells alike.
 */

const ATTEST_TAG = utf8("MASS-L1/attest/v1");

/** Reads one cell at the block time and records the reading on the frame for ATTEST. */
export function tensorRead(
  env: ExecutionEnv,
  frame: Pick<Frame, "readings" | "firstFailure">,
  subject: Uint8Array,
  jurisdiction: string,
  domain: number,
): ComplianceState {
  const state = readCellState(env.world.getCell(subject, jurisdiction, domain), env.timestamp);
  const reading = { subject, jurisdiction, domain, state };
  frame.readings.push(reading);
  if (frame.firstFailure === undefined && !isPassing(state)) frame.firstFailure = describeReading(reading);
  return state;
}

/** TENSOR_SET: only an attester the harbor's rule pack authorises for the domain, in its own jurisdiction. */
export function tensorSet(
  env: ExecutionEnv,
  attester: Uint8Array,
  subject: Uint8Array,
  jurisdiction: string,
  domain: number,
  state: ComplianceState,
  expiresAt: number,
  attestationRef: Uint8Array,
): void {
  if (jurisdiction !== env.jurisdiction) {
    throw new Fault(
      FaultCode.Unauthorised,
      `harbor ${env.harbor} attests ${env.jurisdiction} cells, not ${jurisdiction}`,
    );
  }
  if (!isAuthorisedAttester(env.rulePack, domain, toHex(attester))) {
    throw new Fault(
      FaultCode.Unauthorised,
      `${toHex(attester)} is not an authorised ${env.harbor} attester for domain ${domain}`,
    );
  }
  const effects = env.world.effects;
  if (effects.tensorUpdates.length >= MAX_RECEIPT_TENSOR_UPDATES) {
    throw new Fault(FaultCode.ReceiptLimit, "too many tensor updates");
  }
  const cell = { state, attestationRef, evaluatedAt: env.timestamp, expiresAt, attester };
  env.world.tensor.setJournaled(tensorKey(subject, jurisdiction, domain), cell);
  effects.tensorUpdates.push({ key: { subject, jurisdiction: asciiBytes(jurisdiction), domain }, cell });
}

/**
 * ATTEST: records SHA-256(tag ‖ asset ‖ caller ‖ time ‖ each reading ‖ result) in the receipt. A false
 * result is a failed compliance check: the frame reverts with the first failing cell as its reason.
 */
export function attest(env: ExecutionEnv, frame: Frame, result: boolean): void {
  if (!result) {
    throw new Fault(FaultCode.ComplianceFailed, frame.firstFailure ?? "predicate false");
  }
  const effects = env.world.effects;
  if (effects.attestations.length >= MAX_RECEIPT_ATTESTATIONS) {
    throw new Fault(FaultCode.ReceiptLimit, "too many attestations");
  }
  const parts: Uint8Array[] = [ATTEST_TAG, frame.asset.id, frame.caller, u64(env.timestamp)];
  for (const r of frame.readings) {
    const jur = new Uint8Array(JURISDICTION_KEY_BYTES);
    jur.set(asciiBytes(r.jurisdiction));
    parts.push(r.subject, jur, Uint8Array.of(r.domain, r.state));
  }
  parts.push(Uint8Array.of(1));
  effects.attestations.push(sha256Concat(...parts));
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}
