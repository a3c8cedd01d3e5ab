import { concatBytes } from "../../util/bytes.js";
import { wordToBytes } from "../word.js";

/**
 * A fungible-token asset in SAVM assembly: balances live in storage under the holder's key.
 * `transfer(to, amount)`: input = to (32 bytes) ‖ amount (32 bytes, big-endian). Returns 1, logs
 * (to, amount); reverts with "insufficient balance". The benchmark's and the docs' token.
 */
export const TOKEN_SOURCE = `
; token transfer: input = to ‖ amount
  CALLER            ; from
  DUP 1
  SLOAD             ; from balance
  DUP 1
  PUSH 32
  INPUT             ; from balance balance amount
  LT
  PUSH insufficient
  JUMPI             ; from balance
  PUSH 32
  INPUT
  SUB               ; from balance-amount
  SSTORE
  PUSH 0
  INPUT             ; to
  DUP 1
  SLOAD
  PUSH 32
  INPUT
  ADD               ; to balance+amount
  SSTORE
  PUSH 0
  INPUT
  PUSH 32
  INPUT
  LOG               ; topic = to, data = amount
  PUSH 1
  RETURN
insufficient:
  PUSH "insufficient balance"
  REVERT
`;

/** Call input of `transfer(to, amount)`. */
export function tokenTransferInput(to: Uint8Array, amount: bigint): Uint8Array {
  return concatBytes(to, wordToBytes(amount));
}
