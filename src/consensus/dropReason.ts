/** Why an inbound message was dropped. */
export enum DropReason {
  /** Bytes that do not decode as a consensus message, or exceed its size limit. */
  Malformed = "malformed",
  /** An author, voter or sender outside the committee, or a vote not sent by its voter. */
  UnknownAuthor = "unknown_author",
  WrongEpoch = "wrong_epoch",
  BadSignature = "bad_signature",
  /** A certificate without a quorum, with a malformed signer set, or with invalid parents. */
  InvalidCertificate = "invalid_certificate",
  /** A header whose structure is invalid (round, parents, payload). */
  InvalidHeader = "invalid_header",
  /** At or below the gc round, or below a round already voted in. */
  TooOld = "too_old",
  /** More rounds ahead of our DAG than we buffer. */
  TooFarAhead = "too_far_ahead",
  /** A vote for a header we did not propose (or no longer collect votes for). */
  UnknownHeader = "unknown_header",
  /** A second, different header from one author in one round. */
  Equivocation = "equivocation",
  /** A bounded buffer (suspended items, batches per author) is full. */
  Overloaded = "overloaded",
  /** A request we cannot serve (range too wide, nothing held). */
  BadRequest = "bad_request",
}
