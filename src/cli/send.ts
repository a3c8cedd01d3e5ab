import type { Command } from "commander";
import { signTransaction } from "../client/index.js";
import { sign } from "../crypto/ed25519.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { MassClient } from "../rpc/client.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import type { TransactionBody } from "../types/transaction.js";
import { fromHex, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { CliError, CliErrorCode } from "./errors.js";
import { loadHomeGenesis, rpcUrlOf } from "./home.js";

/**
 * What every `mass tx` command shares: the home and endpoint, argument checks that need the
 * genesis, nonces, signing and sending, and waiting (bounded) for the chain.
 */

/** How long a command waits for its transaction to be final. */
export const FINALITY_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
/** The fee `mass tx` commands pay unless told otherwise. */
export const DEFAULT_FEE = "10";

export interface EndpointOptions {
  home: string;
  rpc?: string;
}

/** Adds --home and --rpc. */
export function withEndpoint(command: Command): Command {
  return command
    .option("--home <dir>", "home whose genesis names the chain and its RPC", ".devnet")
    .option("--rpc <url>", "JSON-RPC endpoint (default: validator 0 of the home)");
}

export interface Connection {
  genesis: Genesis;
  client: MassClient;
}

export function connect(opts: EndpointOptions): Connection {
  const { genesis } = loadHomeGenesis(opts.home);
  return { genesis, client: new MassClient(opts.rpc ?? rpcUrlOf(genesis, 0)) };
}

const invalid = (message: string) => new ConfigError(ConfigErrorCode.InvalidArgument, message);

/** `id` when it is a harbor of the genesis; else a one-line error naming `option` and the harbors. */
export function harborArg(genesis: Genesis, option: string, id: string): string {
  const harbors = genesis.harbors.map((h) => asciiString(h.id));
  if (!harbors.includes(id)) {
    throw invalid(`${option}: unknown harbor "${id}" (harbors: ${harbors.join(", ")})`);
  }
  return id;
}

/** A 0x-hex value of exactly `length` bytes (an address, a digest). */
export function hexArg(option: string, text: string, length = 32): Uint8Array {
  try {
    return fromHex(text, length);
  } catch (err) {
    throw invalid(`${option}: ${errorMessage(err)}`);
  }
}

/**
 * A whole number of units given as text. Options with a default take it as a string and parse it
 * here: commander prints defaults with JSON.stringify, which throws on a bigint (`--help` crashed).
 */
export function unitsArg(option: string, text: string): bigint {
  if (!/^\d+$/.test(text)) throw invalid(`${option} must be a whole number of units, got "${text}"`);
  return BigInt(text);
}

/** The sender's next nonce in `harbor`, counting its transactions still in the pool. */
export async function nextNonce(client: MassClient, harbor: string, sender: Uint8Array): Promise<number> {
  const account = await client.call<{ pendingNonce: string }>("mass_getAccount", [harbor, toHex(sender)]);
  return Number(account.pendingNonce);
}

export async function balanceOf(client: MassClient, harbor: string, address: string): Promise<string> {
  return (await client.call<{ balance: string }>("mass_getAccount", [harbor, address])).balance;
}

/** Signs `body` and sends it; returns its hash once the node's pool accepted it. */
export async function signAndSend(
  client: MassClient,
  body: TransactionBody,
  secretKey: Uint8Array,
): Promise<string> {
  // node:crypto's signer: the same bytes as the client's pure-JS default, many times faster.
  const signed = signTransaction(body, secretKey, sign).bytes;
  return (await client.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(signed)])).txHash;
}

/** Calls `check` every POLL_MS until it gives a value; a CliError saying `what` after `timeoutMs`. */
export async function poll<T>(
  timeoutMs: number,
  what: () => string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new CliError(CliErrorCode.Timeout, what());
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A transaction as mass_getTransaction gives it, once executed. */
interface TransactionJson {
  status: string;
  outcome?: string;
  block?: { height: string };
  receipt?: { reason: string };
}

export interface FinalTx {
  txHash: string;
  outcome: string;
  height: string;
  /** The receipt's reason as text; empty on success. */
  reason: string;
}

/** Waits until `txHash` is in a finalized block. */
export async function waitFinal(client: MassClient, txHash: string): Promise<FinalTx> {
  let status = "pending";
  const tx = await poll(
    FINALITY_TIMEOUT_MS,
    () => `transaction ${txHash} not final after ${FINALITY_TIMEOUT_MS / 1000} s (status ${status})`,
    async () => {
      const result = await client.call<TransactionJson>("mass_getTransaction", [txHash]);
      status = result.status;
      return result.status === "finalized" ? result : undefined;
    },
  );
  return {
    txHash,
    outcome: tx.outcome ?? "unknown",
    height: tx.block?.height ?? "?",
    reason: reasonText(tx.receipt?.reason),
  };
}

/** A receipt's reason (0x-hex of UTF-8 text in the JSON) as text. */
function reasonText(hex: string | undefined): string {
  return hex === undefined ? "" : Buffer.from(hex.replace(/^0x/, ""), "hex").toString("utf8");
}

/** Throws the one-line CliError of a final transaction that did not succeed. */
export function assertSucceeded(tx: FinalTx, what: string): void {
  if (tx.outcome === "Success") return;
  const why = tx.reason === "" ? "" : `: ${tx.reason}`;
  throw new CliError(CliErrorCode.TxFailed, `${what} ${tx.txHash}: ${tx.outcome} at block ${tx.height}${why}`);
}
