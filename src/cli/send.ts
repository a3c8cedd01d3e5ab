import { existsSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { signTransaction } from "../client/index.js";
import { sign } from "../crypto/ed25519.js";
import { sha256 } from "../crypto/hash.js";
import { genesisPathOf } from "../node/devnetHome.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { ClientError, MassClient } from "../rpc/client.js";
import { RpcErrorCode } from "../rpc/errors.js";
import { Genesis } from "../types/genesis.js";
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

/**
 * The chain's genesis and a client. The home's genesis.json when it has one; with `--rpc` and no
 * home, the node's own (`mass_getGenesis`), checked against the genesis hash it reports.
 */
export async function connect(opts: EndpointOptions): Promise<Connection> {
  if (opts.rpc === undefined || existsSync(genesisPathOf(opts.home))) {
    const { genesis } = loadHomeGenesis(opts.home);
    return { genesis, client: new MassClient(opts.rpc ?? rpcUrlOf(genesis, 0)) };
  }
  const client = new MassClient(opts.rpc);
  const [json, info] = await Promise.all([
    client.call<unknown>("mass_getGenesis"),
    client.call<{ genesisHash: string }>("mass_chainInfo"),
  ]);
  const genesis = Genesis.fromJson(json);
  if (toHex(sha256(Genesis.serialize(genesis))) !== info.genesisHash) {
    throw invalid(`${opts.rpc} answered a genesis whose hash is not the one it reports`);
  }
  return { genesis, client };
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

/** The largest amount or fee: they are u64 on the wire, and SSZ silently wraps a larger bigint. */
const MAX_UNITS = 2n ** 64n - 1n;

function unitsOf(option: string, text: string, min: bigint): bigint | string {
  const value = /^\d+$/.test(text) ? BigInt(text) : undefined;
  if (value === undefined || value < min || value > MAX_UNITS) {
    return `${option} must be a whole number of units from ${min} to ${MAX_UNITS}, got "${text}"`;
  }
  return value;
}

/** A commander parser for an amount of at least `min` units. */
export function parseUnits(option: string, min = 0n) {
  return (text: string): bigint => {
    const value = unitsOf(option, text, min);
    if (typeof value === "string") throw new InvalidArgumentError(value);
    return value;
  };
}

/**
 * An amount given as text, parsed in the action: options with a default take it as a string,
 * because commander prints defaults with JSON.stringify, which throws on a bigint in `--help`.
 */
export function unitsArg(option: string, text: string, min = 0n): bigint {
  const value = unitsOf(option, text, min);
  if (typeof value === "string") throw invalid(value);
  return value;
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

/**
 * How long a transaction the pool accepted may be found nowhere: mass_getTransaction looks in the
 * block store, then in the pool, and a block executed between the two reads makes it miss both
 * for an instant. Missing for longer, the pool dropped it.
 */
const NOT_FOUND_GRACE_MS = 2_000;

/** Waits until `txHash` is in a finalized block. */
export async function waitFinal(client: MassClient, txHash: string): Promise<FinalTx> {
  let status = "pending";
  let missingSince: number | undefined;
  const tx = await poll(
    FINALITY_TIMEOUT_MS,
    () => `transaction ${txHash} not final after ${FINALITY_TIMEOUT_MS / 1000} s (status ${status})`,
    async () => {
      let result: TransactionJson;
      try {
        result = await client.call<TransactionJson>("mass_getTransaction", [txHash]);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        missingSince ??= Date.now();
        if (Date.now() - missingSince < NOT_FOUND_GRACE_MS) return undefined;
        throw err;
      }
      missingSince = undefined;
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

/** The node's -32001: no such transaction, corridor, transfer… (yet). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ClientError && err.rpcCode === RpcErrorCode.NotFound;
}

/** A receipt's reason (0x-hex of UTF-8 text in the JSON) as text. */
function reasonText(hex: string | undefined): string {
  return hex === undefined ? "" : Buffer.from(hex.replace(/^0x/, ""), "hex").toString("utf8");
}

/** Throws the one-line CliError of a final transaction that did not succeed. */
export function assertSucceeded(tx: FinalTx, what: string): void {
  if (tx.outcome === "Success") return;
  const why = tx.reason === "" ? "" : `: ${tx.reason}`;
  throw new CliError(
    CliErrorCode.TxFailed,
    `${what} ${tx.txHash}: ${tx.outcome} at block ${tx.height}${why}`,
  );
}
