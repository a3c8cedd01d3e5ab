import { BASIS_POINTS } from "../../compliance/rulePack.js";
import { transferRefusal } from "../../compliance/transferRule.js";
import { ExecutionOutcome } from "../../types/execution.js";
import type { TransferPayload } from "../../types/transaction.js";
import type { ExecutionEnv } from "../env.js";
import { Fault, FaultCode } from "../errors.js";
import type { ExecutionResult } from "../execute.js";
import { meteredReader } from "./compliance.js";
import { treasuryKeyOf } from "./context.js";
import type { GasMeter } from "./meter.js";
import { nativeResult } from "./outcome.js";

/**
 * Native transfer inside the harbor: the sender must meet the rule pack's `transfer` export
 * requirements and the recipient its import requirements (read through the precompile); the amount
 * must respect the transfer limit and the sender's balance; the withholding goes to the treasury.
 */
export function applyTransfer(
  env: ExecutionEnv,
  meter: GasMeter,
  sender: Uint8Array,
  payload: TransferPayload,
): ExecutionResult {
  const pack = env.rulePack;
  const requirements = pack.operations.transfer;
  const refusal = transferRefusal(
    env.harbor,
    pack,
    [
      { subject: sender, jurisdiction: env.jurisdiction, domains: requirements.export },
      { subject: payload.to, jurisdiction: env.jurisdiction, domains: requirements.import },
    ],
    payload.amount,
    meteredReader(env, meter),
  );
  if (refusal !== undefined) throw new Fault(FaultCode.ComplianceFailed, refusal);
  const world = env.world;
  const from = world.getAccount(sender);
  if (from.balance < payload.amount) throw new Fault(FaultCode.InvalidArgument, "insufficient balance");
  const withheld = (payload.amount * pack.transferWithholdingBps) / BASIS_POINTS;
  world.setAccount(sender, { ...from, balance: from.balance - payload.amount });
  const to = world.getAccount(payload.to);
  world.setAccount(payload.to, { ...to, balance: to.balance + payload.amount - withheld });
  if (withheld > 0n) {
    const treasuryKey = treasuryKeyOf(pack);
    const treasury = world.getAccount(treasuryKey);
    world.setAccount(treasuryKey, { ...treasury, balance: treasury.balance + withheld });
  }
  return nativeResult(world, ExecutionOutcome.Success, meter.used);
}
