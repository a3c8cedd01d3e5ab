import type { ChainStore } from "../chain/chainStore.js";
import type { ConsensusCommittee } from "../consensus/committee.js";
import type { FinalityCertificate } from "../types/block.js";
import { blockHash } from "../types/signing.js";
import { MAX_FINALITY_CERTIFICATES } from "../types/sync.js";
import { bytesEqual } from "../util/bytes.js";
import { sleep } from "../util/deadline.js";
import { errorMessage } from "../util/errors.js";
import { finalityCertificateFault } from "./collector.js";

/**
 * How often the executed blocks are checked for missing certificates. Signatures gossiped at
 * execution time finalise a block within a round trip; what is still missing after a few seconds
 * was signed while this node was away, and only a peer's stored certificate can bring it.
 */
export const FINALITY_BACKFILL_INTERVAL_MS = 3_000;
/** Blocks this recent are left to gossip: their signatures are probably still arriving. */
export const FINALITY_GRACE_BLOCKS = 8;

/** The certificates a peer holds of the asked heights. */
export interface CertificateSource {
  certificates(peer: number, heights: number[], signal: AbortSignal): Promise<FinalityCertificate[]>;
}

export interface FinalityBackfillOptions {
  store: ChainStore;
  /** The height of the last executed block. */
  height: () => number;
  committee: ConsensusCommittee;
  chainId: Uint8Array;
  peers: readonly number[];
  source: CertificateSource;
  log: { debug(message: string, fields?: Record<string, unknown>): void };
  /** A verified certificate for a block this node holds with the same hash: store it, count it final. */
  onCertificate(certificate: FinalityCertificate): Promise<void>;
  /** A valid certificate for another hash than this node's block at that height: this node diverged. */
  onConflict(height: number, localHash: Uint8Array, certifiedHash: Uint8Array): void;
  /** Peer answers that did not prove anything (bad certificate, unasked height), by reason. */
  onInvalid(reason: string): void;
}

/**
 * Every block a validator executed becomes final, also those whose signatures it missed while it was
 * stopped, partitioned or restarting: blocks still without a certificate once gossip had its chance
 * are asked of the peers in turn, and each answer is checked (a quorum's signatures over this
 * node's own block hash) before it is stored.
 */
export class FinalityBackfill {
  private readonly abort = new AbortController();
  private nextPeer = 0;
  /** Every height up to here has a certificate; the scan starts above it. */
  private certifiedThrough = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly options: FinalityBackfillOptions) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** One pass: asks one peer for the certificates still missing; returns how many it stored. */
  async backfillOnce(signal: AbortSignal = this.abort.signal): Promise<number> {
    const { store, peers } = this.options;
    const top = this.options.height() - FINALITY_GRACE_BLOCKS;
    if (top <= this.certifiedThrough || peers.length === 0) return 0;
    const missing = await store.missingFinality(this.certifiedThrough + 1, top, MAX_FINALITY_CERTIFICATES);
    if (missing.length === 0) {
      this.certifiedThrough = top;
      return 0;
    }
    this.certifiedThrough = missing[0]! - 1;
    const peer = peers[this.nextPeer++ % peers.length]!;
    const certificates = await this.options.source.certificates(peer, missing, signal);
    const asked = new Set(missing);
    let stored = 0;
    for (const certificate of certificates) {
      if (!asked.has(certificate.height)) {
        this.options.onInvalid("unasked height");
        continue;
      }
      asked.delete(certificate.height);
      if (await this.accept(certificate)) stored += 1;
    }
    return stored;
  }

  private async accept(certificate: FinalityCertificate): Promise<boolean> {
    const { committee, chainId, store } = this.options;
    const fault = finalityCertificateFault(committee, chainId, certificate);
    if (fault !== null) {
      this.options.onInvalid("bad certificate");
      return false;
    }
    const block = await store.blockByHeight(certificate.height);
    if (block === undefined) return false;
    const localHash = blockHash(block.header);
    if (!bytesEqual(localHash, certificate.blockHash)) {
      this.options.onConflict(certificate.height, localHash, certificate.blockHash);
      return false;
    }
    await this.options.onCertificate(certificate);
    return true;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await sleep(FINALITY_BACKFILL_INTERVAL_MS, signal);
        const stored = await this.backfillOnce(signal);
        if (stored > 0) this.options.log.debug("backfilled finality certificates", { stored });
      } catch (err) {
        if (!signal.aborted) this.options.log.debug("finality backfill failed", { error: errorMessage(err) });
      }
    }
  }
}
