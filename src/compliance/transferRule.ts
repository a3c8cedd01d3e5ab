import { type CellReader, describeReading, evaluateRequirements, type Requirement } from "./predicate.js";
import type { RulePack } from "./rulePack.js";

/**
 * The rule every movement of value obeys, whether a transfer inside a harbor, a migration leaving
 * it, or a migration arriving: the parties meet the rule pack's requirements (every cell is read,
 * so a metered reader charges for all of them), then the amount is within the harbor's transfer
 * limit. Returns why the movement is refused, or undefined when it may go ahead.
 */
export function transferRefusal(
  harbor: string,
  pack: RulePack,
  requirements: readonly Requirement[],
  amount: bigint,
  read: CellReader,
): string | undefined {
  const check = evaluateRequirements(requirements, read);
  if (check.failing !== undefined) return describeReading(check.failing);
  if (pack.maxTransferAmount !== undefined && amount > pack.maxTransferAmount) {
    return `amount exceeds the ${harbor} transfer limit`;
  }
  return undefined;
}
