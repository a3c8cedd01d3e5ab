import { NetworkError, NetworkErrorCode } from "./errors.js";

/**
 * Wire framing of every protocol: each message is an unsigned LEB128 varint length followed by that
 * many bytes. Lengths are capped by the protocol's limit, checked before any body byte is buffered.
 */

/** A u32 needs at most 5 varint bytes; a longer prefix is malformed. */
const MAX_VARINT_BYTES = 5;

export function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) length++;
  return length;
}

/** Writes `value` as a varint at `offset`; returns the offset after it. */
function writeVarint(target: Uint8Array, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    target[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  target[at++] = v;
  return at;
}

/** Size of `message` once framed. */
export function framedLength(message: Uint8Array): number {
  return varintLength(message.length) + message.length;
}

/** Frames `messages[start, end)` into one buffer of `totalLength` bytes (the sum of their framed lengths). */
export function encodeFrames(
  messages: readonly Uint8Array[],
  start: number,
  end: number,
  totalLength: number,
): Uint8Array {
  const out = new Uint8Array(totalLength);
  let offset = 0;
  for (let i = start; i < end; i++) {
    const message = messages[i]!;
    offset = writeVarint(out, offset, message.length);
    out.set(message, offset);
    offset += message.length;
  }
  return out;
}

export function encodeFrame(message: Uint8Array): Uint8Array {
  return encodeFrames([message], 0, 1, framedLength(message));
}

/**
 * Incremental decoder: `push` chunks as they arrive, then call `next` until it returns undefined.
 * A body split across chunks is copied into a buffer allocated only once its length has passed the
 * limit; a body inside one chunk is returned as a view of that chunk (chunks are never reused).
 */
export class FrameDecoder {
  private readonly chunks: Uint8Array[] = [];
  /** Read position in chunks[0]. */
  private offset = 0;
  /** Bytes held in chunks from `offset` on. */
  private buffered = 0;
  private lengthValue = 0;
  private lengthBytes = 0;
  /** Length of the body being read, once its prefix is complete. */
  private bodyLength: number | undefined;
  /** The body being assembled when it spans chunks, and how much of it is filled. */
  private partial: Uint8Array | undefined;
  private partialFilled = 0;

  constructor(private readonly maxLength: number) {}

  /** Bytes received but not yet returned, including a partial body. */
  get bufferedBytes(): number {
    return this.buffered + this.partialFilled;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete message, or undefined until more bytes arrive. Throws FrameTooLarge or
   * MalformedFrame; the stream must then be dropped, the decoder is unusable.
   */
  next(): Uint8Array | undefined {
    if (this.bodyLength === undefined && !this.readLength()) return undefined;
    const length = this.bodyLength!;
    if (this.partial === undefined) {
      const first = this.chunks[0];
      if (length === 0 || (first !== undefined && first.length - this.offset >= length)) {
        const view = length === 0 ? new Uint8Array(0) : first!.subarray(this.offset, this.offset + length);
        this.consume(length);
        this.bodyLength = undefined;
        return view;
      }
      if (this.buffered === 0) return undefined;
      this.partial = new Uint8Array(length);
      this.partialFilled = 0;
    }
    const body = this.partial;
    while (this.partialFilled < length) {
      const chunk = this.chunks[0];
      if (chunk === undefined) return undefined;
      const take = Math.min(chunk.length - this.offset, length - this.partialFilled);
      body.set(chunk.subarray(this.offset, this.offset + take), this.partialFilled);
      this.partialFilled += take;
      this.consume(take);
    }
    this.partial = undefined;
    this.partialFilled = 0;
    this.bodyLength = undefined;
    return body;
  }

  /** Reads varint bytes; true once the prefix is complete and `bodyLength` is set. */
  private readLength(): boolean {
    while (this.buffered > 0) {
      const byte = this.chunks[0]![this.offset]!;
      this.consume(1);
      this.lengthValue += (byte & 0x7f) * 2 ** (7 * this.lengthBytes);
      this.lengthBytes++;
      if (this.lengthValue > this.maxLength) {
        throw new NetworkError(
          NetworkErrorCode.FrameTooLarge,
          `frame of at least ${this.lengthValue} bytes exceeds the limit of ${this.maxLength}`,
          { length: this.lengthValue, limit: this.maxLength },
        );
      }
      if ((byte & 0x80) === 0) {
        this.bodyLength = this.lengthValue;
        this.lengthValue = 0;
        this.lengthBytes = 0;
        return true;
      }
      if (this.lengthBytes === MAX_VARINT_BYTES) {
        throw new NetworkError(NetworkErrorCode.MalformedFrame, "length prefix longer than 5 bytes");
      }
    }
    return false;
  }

  private consume(bytes: number): void {
    this.offset += bytes;
    this.buffered -= bytes;
    while (this.chunks.length > 0 && this.offset >= this.chunks[0]!.length) {
      this.offset -= this.chunks[0]!.length;
      this.chunks.shift();
    }
  }
}
