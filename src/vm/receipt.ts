import { sha256 } from "../crypto/hash.js";
import {
  type CorridorMessage,
  ExecutionReceipt,
  type ExecutionReceipt as Receipt,
  type ReceiptChainHead,
} from "../types/execution.js";

/** A receipt with its digest (SHA-256 of its SSZ encoding), the value the next receipt links to. */
export interface SealedReceipt {
  receipt: Receipt;
  digest: Uint8Array;
  /** The receipt's corridor messages with `receipt` set to this digest, ready for the corridor. */
  outbound: CorridorMessage[];
}

export function receiptDigest(receipt: Receipt): Uint8Array {
  return sha256(ExecutionReceipt.serialize(receipt));
}

/**
 * Seals a receipt onto a chain: sets sequence and predecessor from `head`, digests it, and returns
 * the new head. Receipts of one chain form a hash-linked list; two with one predecessor are a fork.
 */
export function sealReceipt(
  head: ReceiptChainHead,
  body: Omit<Receipt, "sequence" | "previous">,
): { sealed: SealedReceipt; head: ReceiptChainHead } {
  const receipt: Receipt = { ...body, sequence: head.count, previous: head.head };
  const digest = receiptDigest(receipt);
  const outbound = receipt.messages.map((m) => ({ ...m, receipt: digest }));
  return { sealed: { receipt, digest, outbound }, head: { head: digest, count: head.count + 1 } };
}
