import type { ChainStore } from "../chain/chainStore.js";
import type { ConsensusCommittee } from "../consensus/committee.js";
import { sign } from "../crypto/ed25519.js";
import type { FinalityMetrics } from "../metrics/index.js";
import { BlockSignature, type FinalityCertificate } from "../types/block.js";
import { blockHash, consensusSigningMessage, SigningDomain } from "../types/signing.js";
import { toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import type { Startable } from "../util/lifecycle.js";
import type { Logger } from "../util/logger.js";
import { type CertificateSource, FinalityBackfill } from "./backfill.js";
import { describeDisagreement, FinalityCollector } from "./collector.js";

/** Gossip of block signatures: every validator's signature over each header it executed. */
export const FINALITY_PROTOCOL = "/mass/finality/1.0.0";

/** What the finality protocol needs of the network: one gossip protocol. */
export interface FinalityGossip {
  registerMessageProtocol(
    protocol: { id: string; maxMessageSize: number },
    handler: (from: number, protocol: string, bytes: Uint8Array) => void,
  ): void;
  broadcast(protocol: string, bytes: Uint8Array): unknown;
}

export interface FinalityProtocolOptions {
  store: ChainStore;
  /** The height of the last executed block. */
  height: () => number;
  committee: ConsensusCommittee;
  chainId: Uint8Array;
  /** This validator's committee index and signing key. */
  self: number;
  secretKey: Uint8Array;
  peers: readonly number[];
  gossip: FinalityGossip;
  /** Where missed certificates are fetched from (the sync protocols' certificate requests). */
  certificates: CertificateSource;
  metrics: FinalityMetrics | null;
  log: Logger;
  /** This node's block or state disagrees with the certified chain; it has stopped signing. */
  onDiverged(reason: string): void;
}

const conflictReason = (height: number, localHash: Uint8Array, certifiedHash: Uint8Array) =>
  `a quorum certified block ${toHex(certifiedHash)} at height ${height}, but this node executed ${toHex(localHash)}. Restart with \`mass start --repair\``;

/**
 * Block finality: signs each block this validator executes and gossips the signature, gathers the
 * committee's signatures into finality certificates, stores them, and backfills the ones it missed.
 * Once this node is found diverged (its block is not the one a quorum certified) it signs nothing more.
 */
export class FinalityProtocol implements Startable {
  private readonly collector: FinalityCollector;
  private readonly backfill: FinalityBackfill;
  private finalized: number;
  private divergence: string | undefined;

  /** `finalizedHeight`: the last height with a stored certificate. */
  constructor(
    private readonly options: FinalityProtocolOptions,
    finalizedHeight: number,
  ) {
    const { store, committee, chainId, metrics, log } = options;
    this.finalized = finalizedHeight;
    metrics?.finalizedHeight.set(finalizedHeight);
    this.collector = new FinalityCollector(
      committee,
      chainId,
      {
        onFinal: (certificate) => {
          this.markFinal(certificate.height);
          void store.putFinality(certificate).catch((err) =>
            log.error("cannot store a finality certificate", {
              height: certificate.height,
              error: errorMessage(err),
            }),
          );
        },
        onDisagreement: (d) => {
          metrics?.disagreements.inc();
          log.error(`header disagreement: ${describeDisagreement(d)}`, {
            height: d.height,
            signer: d.signer,
          });
        },
        onConflict: (c) => this.diverge(conflictReason(c.height, c.localHash, c.certifiedHash)),
        onInvalid: (reason) => metrics?.signaturesDropped.inc({ reason }),
      },
      finalizedHeight + 1,
    );
    this.backfill = new FinalityBackfill({
      store,
      height: options.height,
      committee,
      chainId,
      peers: options.peers,
      source: options.certificates,
      log,
      onCertificate: (certificate) => this.storeBackfilled(certificate),
      onConflict: (height, localHash, certifiedHash) =>
        this.diverge(conflictReason(height, localHash, certifiedHash)),
      onInvalid: (reason) => metrics?.signaturesDropped.inc({ reason }),
    });
    options.gossip.registerMessageProtocol(
      { id: FINALITY_PROTOCOL, maxMessageSize: BlockSignature.maxSize },
      (_from, _protocol, bytes) => {
        let signature: BlockSignature;
        try {
          signature = BlockSignature.deserialize(bytes);
        } catch {
          metrics?.signaturesDropped.inc({ reason: "malformed" });
          return;
        }
        this.collector.add(signature);
      },
    );
  }

  /** Height of the highest block with a finality certificate (held or formed). */
  get finalizedHeight(): number {
    return this.finalized;
  }

  /** Why this node's state or blocks disagree with the certified chain; undefined while they agree. */
  get diverged(): string | undefined {
    return this.divergence;
  }

  /** Signs again the blocks executed before a restart but not yet final, then starts the backfill. */
  async start(): Promise<void> {
    const { store, height } = this.options;
    for (let h = this.finalized + 1; h <= height(); h++) {
      const block = await store.blockByHeight(h);
      if (block) this.blockExecuted(h, blockHash(block.header));
    }
    this.backfill.start();
  }

  async stop(): Promise<void> {
    await this.backfill.stop();
  }

  /** This validator executed `hash` at `height`: sign it (unless diverged) and gossip the signature. */
  blockExecuted(height: number, hash: Uint8Array): void {
    // A diverged node's blocks are not the chain's: its signature must not help certify them.
    if (this.divergence !== undefined) return;
    const { chainId, self, secretKey, gossip } = this.options;
    const signature: BlockSignature = {
      height,
      blockHash: hash,
      signer: self,
      signature: sign(secretKey, consensusSigningMessage(SigningDomain.Block, chainId, hash)),
    };
    this.collector.executed(height, hash);
    this.collector.add(signature);
    gossip.broadcast(FINALITY_PROTOCOL, BlockSignature.serialize(signature));
  }

  /** Block sync appended a block with its certificate: nothing is left to gather below it. */
  certifiedBySync(height: number): void {
    this.markFinal(height);
    this.collector.advance(height);
  }

  /** Marks the node diverged: it stops signing blocks and says so through `onDiverged`. */
  diverge(reason: string): void {
    if (this.divergence !== undefined) return;
    this.divergence = reason;
    this.options.onDiverged(reason);
  }

  private async storeBackfilled(certificate: FinalityCertificate): Promise<void> {
    await this.options.store.putFinality(certificate);
    this.markFinal(certificate.height);
    this.collector.settle(certificate.height);
  }

  private markFinal(height: number): void {
    if (height <= this.finalized) return;
    this.finalized = height;
    this.options.metrics?.finalizedHeight.set(height);
  }
}
