import type { ChainStore } from "../chain/chainStore.js";
import type { CertificateSource } from "../finality/backfill.js";
import type { SyncMetrics } from "../metrics/index.js";
import type { P2PNetwork } from "../network/index.js";
import { PeerRateLimiter } from "../network/rateLimiter.js";
import {
  BlocksRequest,
  BlocksResponse,
  Checkpoint,
  CheckpointRequest,
  FinalityRequest,
  FinalityResponse,
  MAX_CHECKPOINT_CERTIFICATES,
  type SyncStatus,
} from "../types/sync.js";
import { MassError } from "../util/errors.js";
import { MAX_SYNC_RESPONSE_BYTES, serveBlocks } from "./blockServer.js";
import type { BlockSource } from "./blockSync.js";
import type { CheckpointSource } from "./checkpointAgreement.js";

export const BLOCKS_PROTOCOL = "/mass/blocks/1.0.0";
export const CHECKPOINT_PROTOCOL = "/mass/checkpoint/1.0.0";
export const FINALITY_CERTIFICATES_PROTOCOL = "/mass/finality-certificates/1.0.0";

/**
 * Block-sync requests one peer may make per second. Honest block sync asks for the next 64 blocks
 * once the previous ones are executed, and the behind-check polls every few seconds; the limit caps
 * what a misbehaving member can make this node read from disk.
 */
export const SYNC_REQUESTS_PER_SECOND = 50;
/**
 * Checkpoint requests one peer may make per second: an honest one asks about every 150 ms while
 * peers disagree, and a checkpoint can be megabytes to send.
 */
export const CHECKPOINT_REQUESTS_PER_SECOND = 10;
/**
 * The requester waits this long for a block-sync response: a 4 MiB budget crosses a LAN in well
 * under a second, and a peer that never answers costs no more than this per try.
 */
export const BLOCKS_REQUEST_TIMEOUT_MS = 5_000;
/** Certificate requests one peer may make per second: an honest one asks every few seconds. */
export const FINALITY_REQUESTS_PER_SECOND = 5;
/** Largest encoded checkpoint: the committed list at its limit. */
const MAX_CHECKPOINT_BYTES = 64 + MAX_CHECKPOINT_CERTIFICATES * 40;

export enum SyncRefusal {
  Malformed = "malformed",
  RateLimited = "rate_limited",
  /** A checkpoint was asked for while this node has none at the requested commit (not running, behind). */
  NoCheckpoint = "no_checkpoint",
}

export class SyncRequestError extends MassError<SyncRefusal> {}

export interface SyncServerOptions {
  store: ChainStore;
  status: () => SyncStatus;
  checkpoint: () => Checkpoint | undefined;
  metrics: SyncMetrics | null;
  /** The rate limiters' monotonic clock in ms (a test freezes it); performance.now by default. */
  now?: () => number;
}

/**
 * Registers the block-sync and checkpoint protocols on `network` (before it starts): both answer
 * from this node's chain store and consensus, rate-limited per peer; malformed and refused
 * requests reset the stream and are counted.
 */
export function registerSyncProtocols(network: P2PNetwork, options: SyncServerOptions): void {
  const limiters = new Map<string, PeerRateLimiter>();
  let encoded: { checkpoint: Checkpoint; bytes: Uint8Array } | undefined;
  const admit = (protocol: string, perSecond: number, peer: number, bytes: Uint8Array): void => {
    const key = `${protocol}/${peer}`;
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      limiter = new PeerRateLimiter(
        { messagesPerSecond: perSecond, bytesPerSecond: Number.MAX_SAFE_INTEGER },
        bytes.length,
        options.now,
      );
      limiters.set(key, limiter);
    }
    if (!limiter.tryTake(bytes.length)) refuse(protocol, SyncRefusal.RateLimited, "too many requests");
  };
  const refuse = (protocol: string, reason: SyncRefusal, message: string): never => {
    options.metrics?.requestsDropped.inc({ protocol, reason });
    throw new SyncRequestError(reason, message);
  };
  /** Registers one request protocol: rate-limited, decoded, counted when served. */
  const serve = <T>(
    id: string,
    requestType: { maxSize: number; deserialize(bytes: Uint8Array): T },
    limits: { maxResponseSize: number; requestsPerSecond: number },
    answer: (request: T) => Uint8Array | Promise<Uint8Array>,
  ): void => {
    network.registerRequestProtocol(
      { id, maxRequestSize: requestType.maxSize, maxResponseSize: limits.maxResponseSize },
      async (from, bytes) => {
        admit(id, limits.requestsPerSecond, from, bytes);
        let request: T;
        try {
          request = requestType.deserialize(bytes);
        } catch {
          return refuse(id, SyncRefusal.Malformed, "undecodable request");
        }
        const response = await answer(request);
        options.metrics?.requestsServed.inc({ protocol: id });
        return response;
      },
    );
  };

  serve(
    BLOCKS_PROTOCOL,
    BlocksRequest,
    { maxResponseSize: MAX_SYNC_RESPONSE_BYTES, requestsPerSecond: SYNC_REQUESTS_PER_SECOND },
    async (request) => {
      if (request.fromHeight < 1) return refuse(BLOCKS_PROTOCOL, SyncRefusal.Malformed, "heights start at 1");
      return BlocksResponse.serialize(await serveBlocks(options.store, options.status(), request));
    },
  );
  serve(
    FINALITY_CERTIFICATES_PROTOCOL,
    FinalityRequest,
    { maxResponseSize: FinalityResponse.maxSize, requestsPerSecond: FINALITY_REQUESTS_PER_SECOND },
    async (request) => {
      const found = await Promise.all(request.heights.map((h) => options.store.finalityAt(h)));
      return FinalityResponse.serialize({ certificates: found.filter((c) => c !== undefined) });
    },
  );
  serve(
    CHECKPOINT_PROTOCOL,
    CheckpointRequest,
    { maxResponseSize: MAX_CHECKPOINT_BYTES, requestsPerSecond: CHECKPOINT_REQUESTS_PER_SECOND },
    (request) => {
      const checkpoint = options.checkpoint();
      if (checkpoint === undefined || checkpoint.index < request.minIndex) {
        return refuse(
          CHECKPOINT_PROTOCOL,
          SyncRefusal.NoCheckpoint,
          `no checkpoint at commit ${request.minIndex} or later`,
        );
      }
      if (encoded === undefined || encoded.checkpoint !== checkpoint) {
        encoded = { checkpoint, bytes: Checkpoint.serialize(checkpoint) };
      }
      return encoded.bytes;
    },
  );
}

/** Block sync's view of the network: BLOCKS_PROTOCOL requests, responses decoded. */
export function networkBlockSource(network: P2PNetwork): BlockSource {
  return {
    blocks: async (peer, fromHeight, maxBlocks, signal) => {
      const bytes = await network.request(
        peer,
        BLOCKS_PROTOCOL,
        BlocksRequest.serialize({ fromHeight, maxBlocks }),
        {
          signal,
          timeoutMs: BLOCKS_REQUEST_TIMEOUT_MS,
        },
      );
      return BlocksResponse.deserialize(bytes);
    },
  };
}

/** The checkpoint fetch's view of the network: CHECKPOINT_PROTOCOL requests, raw responses. */
export function networkCheckpointSource(network: P2PNetwork): CheckpointSource {
  return {
    checkpoint: (peer, minIndex, signal) =>
      network.request(peer, CHECKPOINT_PROTOCOL, CheckpointRequest.serialize({ minIndex }), { signal }),
  };
}

/** The finality backfill's view of the network: FINALITY_CERTIFICATES_PROTOCOL requests, decoded. */
export function networkCertificateSource(network: P2PNetwork): CertificateSource {
  return {
    certificates: async (peer, heights, signal) => {
      const bytes = await network.request(
        peer,
        FINALITY_CERTIFICATES_PROTOCOL,
        FinalityRequest.serialize({ heights }),
        {
          signal,
          timeoutMs: BLOCKS_REQUEST_TIMEOUT_MS,
        },
      );
      return FinalityResponse.deserialize(bytes).certificates;
    },
  };
}
