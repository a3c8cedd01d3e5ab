import { Command } from "commander";
import { TRANSFER_GAS_LIMIT, transferTx } from "../client/index.js";
import { readKeyFile } from "../node/keyFile.js";
import { corridorCommand } from "./corridor.js";
import { printJson } from "./format.js";
import { migrateCommand } from "./migrate.js";
import { parseInteger } from "./parse.js";
import {
  assertSucceeded,
  connect,
  DEFAULT_FEE,
  type EndpointOptions,
  harborArg,
  hexArg,
  nextNonce,
  parseUnits,
  signAndSend,
  unitsArg,
  waitFinal,
  withEndpoint,
} from "./send.js";

interface TransferOptions extends EndpointOptions {
  from: string;
  to: string;
  amount: bigint;
  harbor: string;
  fee: string;
  nonce?: number;
  wait: boolean;
}

function transferCommand(): Command {
  return withEndpoint(
    new Command("transfer")
      .description("transfer native balance inside a harbor")
      .requiredOption("--from <keyfile>", "sender's key file")
      .requiredOption("--to <address>", "recipient address (0x-hex public key)")
      .requiredOption("--amount <units>", "amount", parseUnits("--amount")),
  )
    .option("--harbor <id>", "harbor", "pk-sifc")
    .option("--fee <units>", "fee", DEFAULT_FEE)
    .option(
      "--nonce <n>",
      "nonce (default: the sender's next pending nonce)",
      parseInteger("--nonce", 0, Number.MAX_SAFE_INTEGER),
    )
    .option("--no-wait", "return once the node accepted the transaction")
    .action(async (opts: TransferOptions) => {
      const { genesis, client } = await connect(opts);
      const harbor = harborArg(genesis, "--harbor", opts.harbor);
      const to = hexArg("--to", opts.to);
      const fee = unitsArg("--fee", opts.fee);
      const from = readKeyFile(opts.from);
      const body = transferTx(
        {
          chainId: genesis.chainId,
          harbor,
          sender: from.publicKey,
          nonce: opts.nonce ?? (await nextNonce(client, harbor, from.publicKey)),
          gasLimit: TRANSFER_GAS_LIMIT,
          fee,
        },
        { to, amount: opts.amount },
      );
      const started = performance.now();
      const txHash = await signAndSend(client, body, from.secretKey);
      if (!opts.wait) {
        printJson({ txHash, status: "pending" });
        return;
      }
      const final = await waitFinal(client, txHash);
      const seconds = ((performance.now() - started) / 1000).toFixed(3);
      printJson({ txHash, status: "finalized", outcome: final.outcome, height: final.height, seconds });
      assertSucceeded(final, "transfer");
    });
}

export function txCommand(): Command {
  return new Command("tx")
    .description("build, sign and send transactions")
    .addCommand(transferCommand())
    .addCommand(migrateCommand())
    .addCommand(corridorCommand());
}
