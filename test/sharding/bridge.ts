import type { KeyPair } from "../../src/node/keyFile.js";
import { CorridorMessageKind, Lock } from "../../src/types/execution.js";
import { toHex } from "../../src/util/bytes.js";
import { assemble } from "../../src/vm/assembler.js";
import { StateKind } from "../../src/vm/state/keys.js";
import { assetIdOf } from "../../src/vm/tx/deploy.js";
import { type ChainHarness, HARBORS } from "./harness.js";

/**
 * A bridged Smart Asset deployed in every harbor, for the randomized schedules: one program whose
 * first input word picks what it does, and whose SETTLE accepts arrivals from its siblings only.
 * - 1, amount: gives the caller `amount` units (funding, at the schedule's start only)
 * - 2, amount, harbor, destination asset, recipient: LOCK then TRANSIT
 * - 3, transit id: SETTLE (credits the arrival's recipient)
 * - 4, lock id: UNLOCK (gives a refused or expired lock's units back to its owner)
 */
export enum BridgeMode {
  Mint = 1,
  Send = 2,
  Settle = 3,
  Unlock = 4,
}

function bridgeSource(siblings: readonly Uint8Array[]): string {
  const [a, b, c] = siblings.map(toHex);
  return `
  PUSH 0
  INPUT
  DUP 1
  PUSH 1
  EQ
  JUMPI mint
  DUP 1
  PUSH 2
  EQ
  JUMPI send
  DUP 1
  PUSH 3
  EQ
  JUMPI settle
  PUSH 4
  EQ
  JUMPI unlock
  PUSH "bad mode"
  REVERT
mint:
  CALLER
  DUP 1
  SLOAD
  PUSH 32
  INPUT
  ADD
  SSTORE
  HALT
send:
  PUSH 32
  INPUT
  LOCK
  PUSH 64
  INPUT
  PUSH 96
  INPUT
  PUSH 128
  INPUT
  TRANSIT
  HALT
settle:
  PUSH 32
  INPUT
  SETTLE            ; recipient amount sourceHarbor sourceAsset (an asset id commits to its harbor)
  DUP 1
  PUSH ${a}
  EQ
  SWAP 1
  DUP 1
  PUSH ${b}
  EQ
  SWAP 1
  PUSH ${c}
  EQ
  OR
  OR
  JUMPI ok
  PUSH "not a sibling"
  REVERT
ok:
  HALT
unlock:
  PUSH 32
  INPUT
  UNLOCK
  HALT`;
}

const word = (n: bigint | number): Uint8Array => {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(24, BigInt(n));
  return out;
};
const asciiWord = (text: string): Uint8Array => {
  const out = new Uint8Array(32);
  out.set(new TextEncoder().encode(text), 32 - text.length);
  return out;
};
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export class Bridge {
  /** By harbor. */
  readonly assets: ReadonlyMap<string, Uint8Array>;
  private readonly hexes: Set<string>;

  /** The bridge the faucet deploys as its first transaction in each harbor of a fresh chain. */
  constructor(
    private readonly h: ChainHarness,
    private readonly deployer: KeyPair,
  ) {
    this.assets = new Map(HARBORS.map((harbor) => [harbor, assetIdOf(harbor, deployer.publicKey, 0)]));
    this.hexes = new Set([...this.assets.values()].map((a) => toHex(a)));
  }

  deployments() {
    const code = assemble(bridgeSource([...this.assets.values()])).bytecode;
    return HARBORS.map((harbor) => this.h.deploy(this.deployer, harbor, code));
  }

  private input(harbor: string, from: KeyPair, mode: BridgeMode, ...words: Uint8Array[]) {
    return this.h.call(from, harbor, this.assets.get(harbor)!, concat(word(mode), ...words));
  }

  mint(harbor: string, to: KeyPair, amount: bigint) {
    return this.input(harbor, to, BridgeMode.Mint, word(amount));
  }

  /** Sends to `destinationAsset` (the sibling there unless given) in `destination`. */
  send(
    from: KeyPair,
    harbor: string,
    destination: string,
    recipient: Uint8Array,
    amount: bigint,
    destinationAsset?: Uint8Array,
  ) {
    const target = destinationAsset ?? this.assets.get(destination) ?? new Uint8Array(32).fill(0xab);
    return this.input(harbor, from, BridgeMode.Send, word(amount), asciiWord(destination), target, recipient);
  }

  settle(by: KeyPair, harbor: string, transitId: Uint8Array) {
    return this.input(harbor, by, BridgeMode.Settle, transitId);
  }

  unlock(by: KeyPair, harbor: string, lockId: Uint8Array) {
    return this.input(harbor, by, BridgeMode.Unlock, lockId);
  }

  isBridge(asset: Uint8Array): boolean {
    return this.hexes.has(toHex(asset));
  }

  /**
   * The bridge's units the chain holds: every holder's units in every harbor, plus every lock of
   * the bridge (held, in transit, refused); minus the settled arrivals whose lock the origin has not
   * retired yet (their Settlement is still pending), so none is counted twice.
   */
  supply(): bigint {
    const storagePrefix = StateKind.Storage.toString(16).padStart(2, "0");
    const lockPrefix = StateKind.Lock.toString(16).padStart(2, "0");
    let total = 0n;
    for (const [harbor, asset] of this.assets) {
      const prefix = storagePrefix + toHex(asset).slice(2);
      for (const [key, value] of this.h.chain.state.snapshot(harbor)) {
        if (key.startsWith(prefix)) total += BigInt(toHex(value));
        else if (key.startsWith(lockPrefix)) {
          const lock = Lock.deserialize(value);
          if (this.isBridge(lock.asset)) total += lock.amount;
        }
      }
    }
    for (const m of this.h.chain.pendingMessages) {
      if (m.kind === CorridorMessageKind.Settlement && this.isBridge(m.sourceAsset)) total -= m.amount;
    }
    return total;
  }
}
