import { buildTransaction, signTransaction, type TxPayload } from "../../src/client/index.js";
import { publicKeyOf, sign } from "../../src/crypto/ed25519.js";
import { sha256 } from "../../src/crypto/hash.js";
import { Account, TensorCell } from "../../src/types/execution.js";
import type { TxKind } from "../../src/types/transaction.js";
import { utf8 } from "../../src/util/bytes.js";
import type { HarborInput } from "../../src/vm/executor/block.js";
import { accountKey, tensorKey } from "../../src/vm/state/keys.js";
import { pack } from "./helpers.js";

export const CHAIN_ID = "mass-test";

export interface Key {
  secret: Uint8Array;
  public: Uint8Array;
}

export function key(name: string): Key {
  const secret = sha256(utf8(name));
  return { secret, public: publicKeyOf(secret) };
}

export function attesterOf(harbor: string): Key {
  return key(`mass-devnet/attester/${harbor}`);
}

export function signedTx<K extends TxKind>(
  from: Key,
  harbor: string,
  nonce: number,
  kind: K,
  payload: TxPayload<K>,
  opts: { gasLimit?: number; fee?: bigint } = {},
): Uint8Array {
  const envelope = {
    chainId: CHAIN_ID,
    harbor,
    sender: from.public,
    nonce,
    gasLimit: opts.gasLimit ?? 1_000_000,
    fee: opts.fee ?? 10n,
  };
  return signTransaction(buildTransaction(envelope, kind, payload), from.secret, sign).bytes;
}

/** A harbor snapshot with funded accounts whose every domain is COMPLIANT in the harbor's jurisdiction. */
export function harborInput(
  harbor: string,
  funded: Key[],
  balance = 1_000_000n,
  compliantUntil = 0,
): HarborInput {
  const p = pack(harbor);
  const snapshot = new Map<string, Uint8Array>();
  for (const k of funded) {
    snapshot.set(accountKey(k.public), Account.serialize({ balance, nonce: 0 }));
    for (let d = 0; d < 20; d++) {
      snapshot.set(
        tensorKey(k.public, p.jurisdiction, d),
        TensorCell.serialize({
          state: 5,
          attestationRef: new Uint8Array(32),
          evaluatedAt: 0,
          expiresAt: compliantUntil,
          attester: new Uint8Array(32),
        }),
      );
    }
  }
  return { harbor, jurisdiction: p.jurisdiction, rulePack: p, snapshot };
}
