import { DEFAULT_CHAIN_ID } from "../../src/node/devnetHome.js";
import type { KeyPair } from "../../src/node/keyFile.js";
import { ClientError, ClientErrorCode, MassClient } from "../../src/rpc/client.js";
import { errorMessage } from "../../src/util/errors.js";
import { toHex, transferSigned } from "../helpers/cluster.js";
import { pause } from "./rpc.js";

/** The harbor every chaos transfer runs in (transferSigned's default). */
export const HARBOR = "pk-sifc";
/** Large enough that the harbor's withholding (10 bps) is non-zero, so the treasury check covers it. */
const TRANSFER_AMOUNT = 1_000n;
/** Pause after each accepted transfer: 2 tx/s per sender, a modest load that leaves CPU for the faults. */
const SEND_INTERVAL_MS = 500;
/** A refusal (nonce ahead, pool full, not ready) clears up in about a block; retry after that. */
const REFUSED_RETRY_MS = 500;
/** After an unreachable or silent validator, try the next one quickly. */
const FAILED_RETRY_MS = 250;
/** How long a sender stays away from its own validator before trying it again. */
const HOME_RETRY_MS = 5_000;
/** A submission not answered by then is treated as unknown: a SIGSTOPped validator never answers. */
const SUBMIT_TIMEOUT_MS = 2_000;
/** How long stopping the load waits for each sender's in-flight transaction to be accepted. */
const DRAIN_MS = 15_000;

/** JSON-RPC codes of docs/rpc.md the load generator reacts to. */
const RPC_REJECTED = -32002;
const RPC_NOT_READY = -32010;

/** How a validator came to hold the transaction. */
export type AcceptVia =
  /** it answered with the hash */
  | "accepted"
  /** TX_DUPLICATE: an earlier, timed-out attempt reached it */
  | "duplicate"
  /** TX_NONCE_TOO_LOW: the chain already executed this nonce, and only this transaction ever carried it */
  | "nonce-used";

export interface SentTx {
  sender: string;
  nonce: number;
  hash: string;
  fee: bigint;
  amount: bigint;
}

export interface LedgerTx extends SentTx {
  acceptedBy: number;
  via: AcceptVia;
}

/** What a sender knows of its transactions at the end. */
export interface SenderLedger {
  name: string;
  address: string;
  accepted: readonly LedgerTx[];
  /** The last transaction, if the load stopped while a validator may or may not have accepted it. */
  unresolved: SentTx | undefined;
}

type Submission =
  | { kind: "accepted"; via: AcceptVia; txHash?: string }
  | { kind: "refused"; reason: string; tryAnother: boolean }
  | { kind: "failed"; reason: string };

/** Counts of what every submission got, for the report. */
export class LoadStats {
  readonly accepted: Record<AcceptVia, number> = { accepted: 0, duplicate: 0, "nonce-used": 0 };
  readonly refused: Record<string, number> = {};
  readonly failed: Record<string, number> = {};
  /** Answers that contradict the node's documented behaviour, e.g. a different hash. */
  readonly anomalies: string[] = [];

  get acceptedTotal(): number {
    return Object.values(this.accepted).reduce((a, b) => a + b, 0);
  }

  record(outcome: Submission): void {
    if (outcome.kind === "accepted") this.accepted[outcome.via] += 1;
    else if (outcome.kind === "refused")
      this.refused[outcome.reason] = (this.refused[outcome.reason] ?? 0) + 1;
    else this.failed[outcome.reason] = (this.failed[outcome.reason] ?? 0) + 1;
  }
}

async function submit(client: MassClient, bytes: Uint8Array): Promise<Submission> {
  try {
    const { txHash } = await client.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(bytes)]);
    return { kind: "accepted", via: "accepted", txHash };
  } catch (err) {
    return classify(err);
  }
}

function classify(err: unknown): Submission {
  if (!(err instanceof ClientError)) return { kind: "failed", reason: errorMessage(err) };
  if (err.code === ClientErrorCode.Unreachable || err.code === ClientErrorCode.Timeout)
    return { kind: "failed", reason: err.code };
  if (err.code === ClientErrorCode.HttpError)
    return { kind: "refused", reason: err.message.replace(/^.* answered /, ""), tryAnother: false };
  if (err.rpcCode === RPC_REJECTED) {
    const reason = String((err.data as { reason?: string } | undefined)?.reason);
    if (reason === "TX_DUPLICATE") return { kind: "accepted", via: "duplicate" };
    if (reason === "TX_NONCE_TOO_LOW") return { kind: "accepted", via: "nonce-used" };
    return { kind: "refused", reason, tryAnother: false };
  }
  if (err.rpcCode === RPC_NOT_READY) return { kind: "refused", reason: "NOT_READY", tryAnother: true };
  return { kind: "refused", reason: `RPC ${err.rpcCode}`, tryAnother: false };
}

/**
 * One funded account sending signed transfers with consecutive nonces to its home validator. A
 * nonce's transaction is built once and resubmitted, byte for byte, until some validator accepts
 * it, so the accepted transactions never leave a nonce gap; an unreachable or silent validator
 * sends it to the next one.
 */
export class Sender {
  private readonly accepted: LedgerTx[] = [];
  private unresolved: SentTx | undefined;
  private target: number;
  private leftHomeAt = 0;

  constructor(
    readonly name: string,
    private readonly key: KeyPair,
    private home: number,
    private readonly clients: readonly MassClient[],
    private readonly recipients: readonly Uint8Array[],
    private readonly stats: LoadStats,
  ) {
    this.target = home;
  }

  get ledger(): SenderLedger {
    return {
      name: this.name,
      address: toHex(this.key.publicKey),
      accepted: this.accepted,
      unresolved: this.unresolved,
    };
  }

  /**
   * Submits the next nonce's transaction until a validator accepts it (`home`, if given, becomes
   * the sender's validator first). Returns it, or undefined if `signal` stopped the attempts first.
   */
  async sendNext(signal: AbortSignal, home?: number): Promise<LedgerTx | undefined> {
    const tx = this.build(this.accepted.length);
    let uncertain = false;
    if (home !== undefined) {
      this.home = home;
      this.target = home;
    }
    while (!signal.aborted) {
      this.maybeReturnHome();
      const outcome = await submit(this.clients[this.target]!, tx.bytes);
      this.stats.record(outcome);
      if (outcome.kind === "accepted") return this.recordAccepted(tx.sent, outcome);
      uncertain ||= outcome.kind === "failed";
      if (outcome.kind === "failed" || outcome.tryAnother) this.moveOn();
      await pause(outcome.kind === "failed" ? FAILED_RETRY_MS : REFUSED_RETRY_MS, signal);
    }
    // A timed-out or cut-off submission may have reached a pool: the chain may still include it.
    if (uncertain) this.unresolved = tx.sent;
    return undefined;
  }

  private build(nonce: number): { bytes: Uint8Array; sent: SentTx } {
    const recipient = this.recipients[nonce % this.recipients.length]!;
    const signed = transferSigned(DEFAULT_CHAIN_ID, this.key, recipient, nonce, TRANSFER_AMOUNT);
    const sent = {
      sender: this.name,
      nonce,
      hash: toHex(signed.hash),
      fee: signed.tx.body.fee,
      amount: TRANSFER_AMOUNT,
    };
    return { bytes: signed.bytes, sent };
  }

  private recordAccepted(sent: SentTx, outcome: Submission & { kind: "accepted" }): LedgerTx {
    if (outcome.txHash !== undefined && outcome.txHash !== sent.hash) {
      this.stats.anomalies.push(
        `validator ${this.target} accepted ${this.name} nonce ${sent.nonce} as ${outcome.txHash}, but its hash is ${sent.hash}`,
      );
    }
    const tx: LedgerTx = { ...sent, acceptedBy: this.target, via: outcome.via };
    this.accepted.push(tx);
    this.unresolved = undefined;
    return tx;
  }

  private moveOn(): void {
    if (this.target === this.home) this.leftHomeAt = Date.now();
    this.target = (this.target + 1) % this.clients.length;
  }

  private maybeReturnHome(): void {
    if (this.target !== this.home && Date.now() - this.leftHomeAt >= HOME_RETRY_MS) this.target = this.home;
  }
}

/** Clients for submissions: a short timeout, since a frozen validator never answers. */
export function submitClients(urls: readonly string[]): MassClient[] {
  return urls.map((url) => new MassClient(url, SUBMIT_TIMEOUT_MS));
}

/** Several senders at a steady rate until `stop`, which lets each finish its in-flight transaction. */
export class LoadGenerator {
  private readonly stopping = new AbortController();
  private readonly draining = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    readonly senders: readonly Sender[],
    abort: AbortSignal,
  ) {
    abort.addEventListener("abort", () => this.draining.abort(), { once: true });
  }

  start(): void {
    this.loops = this.senders.map((s) => this.run(s));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const drainTimer = setTimeout(() => this.draining.abort(), DRAIN_MS);
    await Promise.all(this.loops);
    clearTimeout(drainTimer);
  }

  private async run(sender: Sender): Promise<void> {
    while (!this.stopping.signal.aborted) {
      if ((await sender.sendNext(this.draining.signal)) === undefined) return;
      await pause(SEND_INTERVAL_MS, this.stopping.signal);
    }
  }
}
