import { Command } from "commander";
import { signTransaction, TRANSFER_GAS_LIMIT, transferTx } from "../client/index.js";
import { sign } from "../crypto/ed25519.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { readKeyFile } from "../node/keyFile.js";
import { MassClient } from "../rpc/client.js";
import { fromHex, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { loadHomeGenesis, rpcUrlOf } from "./home.js";
import { parseAmount, parseInteger } from "./parse.js";

/** How long `--wait` waits for a transaction to be final. */
const WAIT_TIMEOUT_MS = 30_000;
const WAIT_POLL_MS = 100;

interface TransferOptions {
  home: string;
  rpc?: string;
  from: string;
  to: string;
  amount: bigint;
  harbor: string;
  fee: bigint;
  nonce?: number;
  wait: boolean;
}

export function txCommand(): Command {
  const tx = new Command("tx").description("build, sign and send transactions");
  tx.command("transfer")
    .description("transfer native balance inside a harbor")
    .requiredOption("--from <keyfile>", "sender's key file")
    .requiredOption("--to <address>", "recipient address (0x-hex public key)")
    .requiredOption("--amount <units>", "amount", parseAmount("--amount"))
    .option("--home <dir>", "home whose genesis names the chain and its RPC", ".devnet")
    .option("--rpc <url>", "JSON-RPC endpoint (default: validator 0 of the home)")
    .option("--harbor <id>", "harbor", "pk-sifc")
    .option("--fee <units>", "fee", parseAmount("--fee"), 10n)
    .option(
      "--nonce <n>",
      "nonce (default: the sender's next pending nonce)",
      parseInteger("--nonce", 0, Number.MAX_SAFE_INTEGER),
    )
    .option("--no-wait", "return once the node accepted the transaction")
    .action(async (opts: TransferOptions) => {
      const { genesis } = loadHomeGenesis(opts.home);
      const client = new MassClient(opts.rpc ?? rpcUrlOf(genesis, 0));
      const from = readKeyFile(opts.from);
      let to: Uint8Array;
      try {
        to = fromHex(opts.to, 32);
      } catch (err) {
        throw new ConfigError(ConfigErrorCode.InvalidArgument, `--to: ${errorMessage(err)}`);
      }
      const account = await client.call<{ pendingNonce: string }>("mass_getAccount", [
        opts.harbor,
        toHex(from.publicKey),
      ]);
      const body = transferTx(
        {
          chainId: genesis.chainId,
          harbor: opts.harbor,
          sender: from.publicKey,
          nonce: opts.nonce ?? Number(account.pendingNonce),
          gasLimit: TRANSFER_GAS_LIMIT,
          fee: opts.fee,
        },
        { to, amount: opts.amount },
      );
      // node:crypto's signer: the same bytes as the client's pure-JS default, many times faster.
      const signed = signTransaction(body, from.secretKey, sign).bytes;
      const started = performance.now();
      const { txHash } = await client.call<{ txHash: string }>("mass_sendRawTransaction", [toHex(signed)]);
      if (!opts.wait) {
        process.stdout.write(`${JSON.stringify({ txHash, status: "pending" })}\n`);
        return;
      }
      const deadline = Date.now() + WAIT_TIMEOUT_MS;
      for (;;) {
        const result = await client.call<{ status: string; outcome?: string; block?: { height: string } }>(
          "mass_getTransaction",
          [txHash],
        );
        if (result.status === "finalized") {
          const seconds = ((performance.now() - started) / 1000).toFixed(3);
          process.stdout.write(
            `${JSON.stringify({ txHash, status: result.status, outcome: result.outcome, height: result.block?.height, seconds })}\n`,
          );
          if (result.outcome !== "Success") process.exitCode = 1;
          return;
        }
        if (Date.now() > deadline) {
          throw new ConfigError(
            ConfigErrorCode.InvalidArgument,
            `transaction ${txHash} not final after ${WAIT_TIMEOUT_MS / 1000} s (status ${result.status})`,
          );
        }
        await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
      }
    });
  return tx;
}
