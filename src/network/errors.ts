import { MassError } from "../util/errors.js";

export enum NetworkErrorCode {
  /** The configuration is inconsistent (own index missing, duplicate keys, bad limits, bad multiaddr). */
  InvalidConfig = "NETWORK_INVALID_CONFIG",
  /** The host could not listen on its address (port taken, address not local). */
  ListenFailed = "NETWORK_LISTEN_FAILED",
  /** The operation needs a started network. */
  NotStarted = "NETWORK_NOT_STARTED",
  /** `start` was called twice, or after `stop`. */
  AlreadyStarted = "NETWORK_ALREADY_STARTED",
  /** A peer index that is not in the committee, or this node's own index. */
  UnknownPeer = "NETWORK_UNKNOWN_PEER",
  /** A protocol id that was never registered. */
  UnknownProtocol = "NETWORK_UNKNOWN_PROTOCOL",
  /** A protocol id registered twice. */
  DuplicateProtocol = "NETWORK_DUPLICATE_PROTOCOL",
  /** An outgoing message larger than its protocol's limit. */
  MessageTooLarge = "NETWORK_MESSAGE_TOO_LARGE",
  /** An incoming length prefix larger than the protocol's limit. */
  FrameTooLarge = "NETWORK_FRAME_TOO_LARGE",
  /** An incoming length prefix that is not a valid varint. */
  MalformedFrame = "NETWORK_MALFORMED_FRAME",
  /** A request got no response within its timeout. */
  RequestTimeout = "NETWORK_REQUEST_TIMEOUT",
  /** A request was cancelled by its AbortSignal or by `stop`. */
  RequestAborted = "NETWORK_REQUEST_ABORTED",
  /** A request failed: no connection, the responder reset the stream or closed it without a response. */
  RequestFailed = "NETWORK_REQUEST_FAILED",
}

export class NetworkError extends MassError<NetworkErrorCode> {}
