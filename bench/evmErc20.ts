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

export const ERC20_RUNTIME = assembleEvm(LISTING);
export const TRANSFER_SELECTOR = Uint8Array.of(0xa9, 0x05, 0x9c, 0xbb);
