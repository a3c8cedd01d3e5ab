import { BitArray } from "@chainsafe/ssz";
import type { ConsensusCommittee } from "../consensus/committee.js";
import { describeQuorumFault, quorumFault } from "../consensus/quorum.js";
import { ed25519Verifier } from "../consensus/verifier.js";
import { verify } from "../crypto/ed25519.js";
import type { BlockSignature, FinalityCertificate } from "../types/block.js";
import { consensusSigningMessage, SigningDomain } from "../types/signing.js";
import { bytesEqual, toHex } from "../util/bytes.js";

/**
 * Heights ahead of the local head for which peers' signatures are buffered: a validator a little
 * behind keeps what faster peers sent, while a flood of far-future heights cannot grow memory.
 */
export const MAX_FUTURE_HEIGHTS = 64;
/**
 * Heights behind the local head whose signatures are still gathered. A block normally finalises
 * within a round trip; one that has not after this many newer blocks is given up on (its signatures
 * are dropped) so memory stays bounded even if a quorum never agrees.
 */
export const MAX_OPEN_HEIGHTS = 1024;

export interface FinalityDisagreement {
  height: number;
  signer: number;
  localHash: Uint8Array;
  peerHash: Uint8Array;
}

export interface FinalityConflict {
  height: number;
  localHash: Uint8Array;
  certifiedHash: Uint8Array;
}

export interface FinalityEvents {
  onFinal(certificate: FinalityCertificate): void;
  /** A committee member signed another header for a height we executed: nondeterminism or a fault. */
  onDisagreement(disagreement: FinalityDisagreement): void;
  /**
   * A quorum signed another header for a height this node executed: this node's execution or
   * state is wrong (the quorum includes honest validators), and it must not sign further blocks.
   */
  onConflict(conflict: FinalityConflict): void;
  /** A signature was dropped (bad signature, unknown signer, out of window). */
  onInvalid(reason: string): void;
}

interface HeightState {
  localHash: Uint8Array | undefined;
  /** By signer: the signature over the hash the signer claimed. */
  signatures: Map<number, BlockSignature>;
  final: boolean;
  /** A quorum certified another hash: reported once. */
  conflicting: boolean;
}

/**
 * Gathers validators' signatures over executed block headers; a quorum of stake on the local hash
 * makes the block final. Signatures may arrive before the local block is executed; they wait.
 */
export class FinalityCollector {
  private readonly heights = new Map<number, HeightState>();
  /** Every height below it is final or given up on; its state is gone. */
  private floor: number;
  private localHead: number;

  /** `firstHeight`: the first height still to finalise (the one after the last final block). */
  constructor(
    private readonly committee: ConsensusCommittee,
    private readonly chainId: Uint8Array,
    private readonly events: FinalityEvents,
    firstHeight = 1,
  ) {
    this.floor = firstHeight;
    this.localHead = firstHeight - 1;
  }

  /** Our own executed block at `height` (its signature arrives through `add` like anyone's). */
  executed(height: number, blockHash: Uint8Array): void {
    this.localHead = Math.max(this.localHead, height);
    if (height < this.floor) return;
    const state = this.state(height);
    state.localHash = blockHash;
    for (const sig of state.signatures.values()) this.checkAgreement(sig, blockHash);
    this.tryFinalize(height, state);
  }

  add(sig: BlockSignature): void {
    if (sig.height > this.localHead + MAX_FUTURE_HEIGHTS) {
      this.events.onInvalid("height too far ahead");
      return;
    }
    if (sig.height < this.floor) return;
    if (!this.committee.isMember(sig.signer)) {
      this.events.onInvalid("unknown signer");
      return;
    }
    const state = this.state(sig.height);
    if (state.final || state.signatures.has(sig.signer)) return;
    if (!verifyBlockSignature(this.committee, this.chainId, sig.signer, sig.blockHash, sig.signature)) {
      this.events.onInvalid("bad signature");
      return;
    }
    state.signatures.set(sig.signer, sig);
    if (state.localHash !== undefined) {
      this.checkAgreement(sig, state.localHash);
      this.tryFinalize(sig.height, state);
    }
  }

  /**
   * Block sync stored blocks up to `height` with their certificates: everything at or below it is
   * settled, so its state goes and collection resumes above it.
   */
  advance(height: number): void {
    this.localHead = Math.max(this.localHead, height);
    if (height < this.floor) return;
    for (const h of this.heights.keys()) if (h <= height) this.heights.delete(h);
    this.floor = height + 1;
  }

  /** A certificate for `height` came from elsewhere (a peer's, by backfill): nothing more to gather. */
  settle(height: number): void {
    if (height < this.floor) return;
    this.state(height).final = true;
    this.prune();
  }

  private checkAgreement(sig: BlockSignature, localHash: Uint8Array): void {
    if (!bytesEqual(sig.blockHash, localHash)) {
      this.events.onDisagreement({
        height: sig.height,
        signer: sig.signer,
        localHash,
        peerHash: sig.blockHash,
      });
    }
  }

  private tryFinalize(height: number, state: HeightState): void {
    const localHash = state.localHash;
    if (state.final || localHash === undefined) return;
    this.checkConflict(height, state, localHash);
    const agreeing = [...state.signatures.values()]
      .filter((s) => bytesEqual(s.blockHash, localHash))
      .sort((a, b) => a.signer - b.signer);
    const stake = agreeing.reduce((sum, s) => sum + this.committee.stake(s.signer), 0);
    if (stake < this.committee.quorumThreshold) return;
    state.final = true;
    const signers = Array.from({ length: this.committee.size }, () => false);
    for (const s of agreeing) signers[s.signer] = true;
    this.events.onFinal({
      height,
      blockHash: localHash,
      signers: BitArray.fromBoolArray(signers),
      signatures: agreeing.map((s) => s.signature),
    });
    this.prune();
  }

  private checkConflict(height: number, state: HeightState, localHash: Uint8Array): void {
    if (state.conflicting) return;
    const stakeByHash = new Map<string, { hash: Uint8Array; stake: number }>();
    for (const s of state.signatures.values()) {
      if (bytesEqual(s.blockHash, localHash)) continue;
      const key = toHex(s.blockHash);
      const entry = stakeByHash.get(key) ?? { hash: s.blockHash, stake: 0 };
      entry.stake += this.committee.stake(s.signer);
      stakeByHash.set(key, entry);
    }
    for (const { hash, stake } of stakeByHash.values()) {
      if (stake < this.committee.quorumThreshold) continue;
      state.conflicting = true;
      this.events.onConflict({ height, localHash, certifiedHash: hash });
      return;
    }
  }

  private prune(): void {
    const giveUpBelow = this.localHead - MAX_OPEN_HEIGHTS;
    while (
      this.floor <= this.localHead &&
      (this.heights.get(this.floor)?.final === true || this.floor < giveUpBelow)
    ) {
      this.heights.delete(this.floor);
      this.floor += 1;
    }
  }

  private state(height: number): HeightState {
    let state = this.heights.get(height);
    if (state === undefined) {
      state = { localHash: undefined, signatures: new Map(), final: false, conflicting: false };
      this.heights.set(height, state);
    }
    return state;
  }
}

/** Whether `signature` is committee member `signer`'s block signature over `blockHash`. */
export function verifyBlockSignature(
  committee: ConsensusCommittee,
  chainId: Uint8Array,
  signer: number,
  blockHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verify(committee.publicKey(signer), blockSigningMessage(chainId, blockHash), signature);
}

/** Why a finality certificate does not prove its block final; null when it does. */
export function finalityCertificateFault(
  committee: ConsensusCommittee,
  chainId: Uint8Array,
  certificate: FinalityCertificate,
): string | null {
  const message = blockSigningMessage(chainId, certificate.blockHash);
  const fault = quorumFault(committee, message, certificate, ed25519Verifier);
  return fault === null ? null : describeQuorumFault(fault);
}

function blockSigningMessage(chainId: Uint8Array, blockHash: Uint8Array): Uint8Array {
  return consensusSigningMessage(SigningDomain.Block, chainId, blockHash);
}

export function describeDisagreement(d: FinalityDisagreement): string {
  return `validator ${d.signer} signed block ${toHex(d.peerHash)} at height ${d.height}, but this node executed ${toHex(d.localHash)}`;
}
