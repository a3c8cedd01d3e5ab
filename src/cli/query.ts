import { Command } from "commander";
import { MassClient } from "../rpc/client.js";
import type { CorridorJson, TransferJson } from "../rpc/corridorJson.js";
import { corridorLines, corridorTable, field, printLines, transferLines } from "./format.js";
import { loadHomeGenesis, rpcUrlOf } from "./home.js";

function client(opts: { home: string; rpc?: string }): MassClient {
  return new MassClient(opts.rpc ?? rpcUrlOf(loadHomeGenesis(opts.home).genesis, 0));
}

async function print(result: Promise<unknown>): Promise<void> {
  process.stdout.write(`${JSON.stringify(await result, null, 2)}\n`);
}

/** The RPC answer as JSON with --json, else the lines `human` makes of it. */
async function printAs<T>(json: boolean | undefined, result: Promise<T>, human: (value: T) => string[]) {
  if (json) await print(result);
  else printLines(human(await result));
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
  withEndpoint(
    query
      .command("corridor [id]")
      .description("a corridor: state, harbors, receipts, value in flight (default: every corridor)")
      .option("--json", "print the JSON-RPC answer"),
  ).action((id: string | undefined, opts) =>
    id === undefined
      ? printAs(opts.json, client(opts).call<CorridorJson[]>("mass_listCorridors"), corridorTable)
      : printAs(opts.json, client(opts).call<CorridorJson>("mass_getCorridor", [id]), corridorLines),
  );
  withEndpoint(
    query
      .command("transfer <transitId>")
      .description("a cross-harbor transfer: in transit, credited or refunded, with its corridor receipts")
      .option("--json", "print the JSON-RPC answer"),
  ).action((transitId: string, opts) =>
    printAs(opts.json, client(opts).call<TransferJson>("mass_getTransfer", [transitId]), (t) => [
      field("transit", t.transitId),
      ...transferLines(t),
    ]),
  );
  return query;
}
