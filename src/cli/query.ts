import { Command } from "commander";
import { MassClient } from "../rpc/client.js";
import { loadHomeGenesis, rpcUrlOf } from "./home.js";

function client(opts: { home: string; rpc?: string }): MassClient {
  return new MassClient(opts.rpc ?? rpcUrlOf(loadHomeGenesis(opts.home).genesis, 0));
}

async function print(result: Promise<unknown>): Promise<void> {
  process.stdout.write(`${JSON.stringify(await result, null, 2)}\n`);
}

export function queryCommand(): Command {
  const query = new Command("query").description("read the chain through JSON-RPC");
  const withEndpoint = (c: Command) =>
    c
      .option("--home <dir>", "home whose validator 0 to ask", ".devnet")
      .option("--rpc <url>", "JSON-RPC endpoint");
  withEndpoint(query.command("chain").description("chain id, height, committee, harbors")).action((opts) =>
    print(client(opts).call("mass_chainInfo")),
  );
  withEndpoint(query.command("health").description("node status")).action((opts) =>
    print(client(opts).call("mass_health")),
  );
  withEndpoint(
    query.command("block [height]").description("a block with its finality certificate (default: latest)"),
  ).action((height: string | undefined, opts) =>
    print(
      height === undefined
        ? client(opts).call("mass_getLatestBlock")
        : client(opts).call("mass_getBlockByHeight", [height]),
    ),
  );
  withEndpoint(query.command("tx <hash>").description("a transaction, its status and receipt")).action(
    (hash: string, opts) => print(client(opts).call("mass_getTransaction", [hash])),
  );
  withEndpoint(
    query
      .command("account <address>")
      .description("balance and nonce, with a state proof")
      .option("--harbor <id>", "harbor", "pk-sifc"),
  ).action((address: string, opts) => print(client(opts).call("mass_getAccount", [opts.harbor, address])));
  return query;
}
