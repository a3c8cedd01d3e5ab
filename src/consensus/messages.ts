import type { Type } from "@chainsafe/ssz";
import { Batch, Certificate, SignedHeader, Vote } from "../types/consensus.js";
import {
  BatchAck,
  BatchesRequest,
  CertificateRangeRequest,
  CertificatesRequest,
  CertificatesResponse,
} from "../types/consensusMessages.js";
import { MAX_BATCH_BYTES } from "../types/limits.js";
import { DecodeError, DecodeErrorCode, errorMessage } from "../util/errors.js";

/** Every consensus message kind; the number is the first byte of the encoded message. */
export enum MessageKind {
  Header = 1,
  Vote = 2,
  Certificate = 3,
  CertificatesRequest = 4,
  CertificateRangeRequest = 5,
  CertificatesResponse = 6,
  Batch = 7,
  BatchAck = 8,
  BatchesRequest = 9,
}

/** A consensus message, typed by kind. Peers are named by committee index, never by network address. */
export type ConsensusMessage =
  | { kind: MessageKind.Header; body: SignedHeader }
  | { kind: MessageKind.Vote; body: Vote }
  | { kind: MessageKind.Certificate; body: Certificate }
  | { kind: MessageKind.CertificatesRequest; body: CertificatesRequest }
  | { kind: MessageKind.CertificateRangeRequest; body: CertificateRangeRequest }
  | { kind: MessageKind.CertificatesResponse; body: CertificatesResponse }
  | { kind: MessageKind.Batch; body: Batch }
  | { kind: MessageKind.BatchAck; body: BatchAck }
  | { kind: MessageKind.BatchesRequest; body: BatchesRequest };

/** Largest sync response: a full range response of a large committee, far below a batch. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const SCHEMA: Record<MessageKind, { type: Type<unknown>; maxBytes: number }> = {
  [MessageKind.Header]: { type: SignedHeader, maxBytes: SignedHeader.maxSize },
  [MessageKind.Vote]: { type: Vote, maxBytes: Vote.maxSize },
  [MessageKind.Certificate]: { type: Certificate, maxBytes: Certificate.maxSize },
  [MessageKind.CertificatesRequest]: { type: CertificatesRequest, maxBytes: CertificatesRequest.maxSize },
  [MessageKind.CertificateRangeRequest]: {
    type: CertificateRangeRequest,
    maxBytes: CertificateRangeRequest.maxSize,
  },
  [MessageKind.CertificatesResponse]: { type: CertificatesResponse, maxBytes: MAX_RESPONSE_BYTES },
  [MessageKind.Batch]: { type: Batch, maxBytes: MAX_BATCH_BYTES },
  [MessageKind.BatchAck]: { type: BatchAck, maxBytes: BatchAck.maxSize },
  [MessageKind.BatchesRequest]: { type: BatchesRequest, maxBytes: BatchesRequest.maxSize },
};

/** Largest encoded consensus message of any kind (kind byte included): the network's frame limit. */
export const MAX_MESSAGE_BYTES = 1 + Math.max(...Object.values(SCHEMA).map((s) => s.maxBytes));

/** The encoded size limit of one kind, for per-protocol frame limits. */
export function maxMessageBytes(kind: MessageKind): number {
  return 1 + SCHEMA[kind].maxBytes;
}

/** kind byte ‖ SSZ(body). */
export function encodeMessage(message: ConsensusMessage): Uint8Array {
  const body = SCHEMA[message.kind].type.serialize(message.body);
  const out = new Uint8Array(1 + body.length);
  out[0] = message.kind;
  out.set(body, 1);
  return out;
}

/** Decodes a message from a peer; throws a DecodeError for an unknown kind, oversize or bad SSZ. */
export function decodeMessage(bytes: Uint8Array): ConsensusMessage {
  const kind = bytes[0] as MessageKind | undefined;
  const schema = kind === undefined ? undefined : SCHEMA[kind];
  if (kind === undefined || schema === undefined) {
    throw new DecodeError(DecodeErrorCode.InvalidSsz, `unknown consensus message kind ${kind}`);
  }
  if (bytes.length - 1 > schema.maxBytes) {
    throw new DecodeError(
      DecodeErrorCode.TooLarge,
      `${MessageKind[kind]} message of ${bytes.length} bytes exceeds ${schema.maxBytes}`,
    );
  }
  try {
    return { kind, body: schema.type.deserialize(bytes.subarray(1)) } as ConsensusMessage;
  } catch (err) {
    throw new DecodeError(
      DecodeErrorCode.InvalidSsz,
      `malformed ${MessageKind[kind]} message: ${errorMessage(err)}`,
      undefined,
      { cause: err },
    );
  }
}
