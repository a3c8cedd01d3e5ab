import { Command } from "commander";
import { migrateTx, TRANSFER_GAS_LIMIT } from "../client/index.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { readKeyFile } from "../node/keyFile.js";
import type { MassClient } from "../rpc/client.js";
import type { TransferJson } from "../rpc/corridorJson.js";
import { fromHex, toHex } from "../util/bytes.js";
import { migrationTransitId } from "../vm/tx/migrate.js";
import { CliError, CliErrorCode } from "./errors.js";
import { field, finalText, printJson, printLines, refundReason, transferLines } from "./format.js";
import { parseInteger } from "./parse.js";
import {
  assertSucceeded,
  balanceOf,
  connect,
  DEFAULT_FEE,
  type EndpointOptions,
  harborArg,
  hexArg,
  isNotFound,
  nextNonce,
  parseUnits,
  poll,
  signAndSend,
  unitsArg,
  waitFinal,
  withEndpoint,
} from "./send.js";

/**
 * How long `mass tx migrate` waits, once its departure is final, for the transfer to be credited or
 * refunded: arrival is due in the next block, but a departure held back (its corridor stopped after
 * it left) is refunded only at its deadline, up to the corridor's 100 blocks on the devnet.
 */
const SETTLE_TIMEOUT_MS = 120_000;

interface MigrateOptions extends EndpointOptions {
  from: string;
  fromHarbor: string;
  to: string;
  toHarbor: string;
  amount: bigint;
  timeout?: number;
  fee: string;
  wait: boolean;
  json?: boolean;
}

export function migrateCommand(): Command {
  return withEndpoint(
    new Command("migrate")
      .description("move native balance to an account in another harbor, through their corridor")
      .requiredOption("--from <keyfile>", "sender's key file")
      .requiredOption("--from-harbor <id>", "the harbor it leaves (the sender's balance there pays)")
      .requiredOption("--to <address>", "recipient address (0x-hex public key)")
      .requiredOption("--to-harbor <id>", "the harbor that credits the recipient")
      .requiredOption("--amount <units>", "amount", parseUnits("--amount", 1n)),
  )
    .option(
      "--timeout <blocks>",
      "blocks it may wait for delivery before it is refunded (default and most: the corridor's)",
      parseInteger("--timeout", 0, Number.MAX_SAFE_INTEGER),
    )
    .option("--fee <units>", "fee", DEFAULT_FEE)
    .option("--no-wait", "return once the node accepted the transaction")
    .option("--json", "print one JSON object instead of lines")
    .action(migrate);
}

async function migrate(opts: MigrateOptions): Promise<void> {
  const { genesis, client } = await connect(opts);
  const fromHarbor = harborArg(genesis, "--from-harbor", opts.fromHarbor);
  const toHarbor = harborArg(genesis, "--to-harbor", opts.toHarbor);
  if (fromHarbor === toHarbor) {
    throw new ConfigError(
      ConfigErrorCode.InvalidArgument,
      `--to-harbor must differ from --from-harbor (inside ${fromHarbor}, use \`mass tx transfer\`)`,
    );
  }
  const recipient = hexArg("--to", opts.to);
  const fee = unitsArg("--fee", opts.fee);
  const from = readKeyFile(opts.from);
  const body = migrateTx(
    {
      chainId: genesis.chainId,
      harbor: fromHarbor,
      sender: from.publicKey,
      nonce: await nextNonce(client, fromHarbor, from.publicKey),
      gasLimit: TRANSFER_GAS_LIMIT,
      fee,
    },
    { destinationHarbor: toHarbor, recipient, amount: opts.amount, timeoutBlocks: opts.timeout },
  );
  const txHash = await signAndSend(client, body, from.secretKey);
  const transitId = toHex(migrationTransitId(fromHex(txHash)));
  const say = (lines: string[]) => {
    if (!opts.json) printLines(lines);
  };
  say([field("tx", txHash), field("transit", transitId)]);
  if (!opts.wait) {
    if (opts.json) printJson({ txHash, transitId, status: "pending" });
    return;
  }

  const origin = await waitFinal(client, txHash);
  say([field("origin", finalText(origin, fromHarbor))]);
  if (opts.json && origin.outcome !== "Success") printJson({ txHash, transitId, status: "failed", origin });
  assertSucceeded(origin, "migrate");

  const transfer = await waitSettled(client, transitId);
  // The origin pays a refund back (or retires the escrow) in the block after the transfer ended.
  await waitForHeight(client, Number(transfer.endedAt) + 1);
  const balances = {
    sender: await balanceOf(client, fromHarbor, transfer.sender),
    recipient: await balanceOf(client, toHarbor, transfer.recipient),
  };
  say([
    ...transferLines(transfer),
    field("balance", `${balances.sender} (sender in ${fromHarbor})`),
    field("balance", `${balances.recipient} (recipient in ${toHarbor})`),
  ]);
  if (opts.json) printJson({ txHash, transitId, status: transfer.status, origin, transfer, balances });
  if (transfer.status !== "credited") {
    throw new CliError(
      CliErrorCode.TransferRefunded,
      `transfer ${transitId} refunded: ${refundReason(transfer)}`,
    );
  }
}

/** Polls mass_getTransfer until the transfer is credited or refunded. */
async function waitSettled(client: MassClient, transitId: string): Promise<TransferJson> {
  let last: TransferJson | undefined;
  return poll(
    SETTLE_TIMEOUT_MS,
    () =>
      `transfer ${transitId} still ${last?.status ?? "unknown"} after ${SETTLE_TIMEOUT_MS / 1000} s` +
      `${last === undefined ? "" : ` (deadline block ${last.deadline})`}; follow it with \`mass query transfer ${transitId}\``,
    async () => {
      try {
        last = await client.call<TransferJson>("mass_getTransfer", [transitId]);
      } catch (err) {
        // Not found: this node has not executed the departure's block yet.
        if (isNotFound(err)) return undefined;
        throw err;
      }
      return last.status === "in_transit" ? undefined : last;
    },
  );
}

async function waitForHeight(client: MassClient, height: number): Promise<void> {
  await poll(
    SETTLE_TIMEOUT_MS,
    () => `block ${height} not executed after ${SETTLE_TIMEOUT_MS / 1000} s`,
    async () => {
      const info = await client.call<{ height: string }>("mass_chainInfo");
      return Number(info.height) >= height ? true : undefined;
    },
  );
}
