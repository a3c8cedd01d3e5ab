import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import {
  DEFAULT_BASE_PORT,
  DEFAULT_CHAIN_ID,
  DEFAULT_DEVNET_VALIDATORS,
  DEVNET_PARAMS,
  initDevnetHome,
  MAX_EXTRA_ACCOUNTS,
} from "../node/devnetHome.js";
import { generateKeyPair, keyFileText, writeKeyFile } from "../node/keyFile.js";
import { CORRIDOR_ID_SEPARATOR, CorridorState } from "../types/corridor.js";
import { asciiString } from "../types/primitives.js";
import { toHex } from "../util/bytes.js";
import { MassError } from "../util/errors.js";
import { devnetCommand } from "./devnet.js";
import { parseInteger } from "./parse.js";
import { queryCommand } from "./query.js";
import { simCommand } from "./sim.js";
import { startCommand } from "./start.js";
import { txCommand } from "./tx.js";
import { vmCommand } from "./vm.js";

function keygenCommand(): Command {
  return new Command("keygen")
    .description("generate an Ed25519 validator or account key and print its public key")
    .option("-o, --out <file>", "write the key file here (mode 0600)")
    .option("-f, --force", "overwrite an existing key file")
    .action((opts: { out?: string; force?: boolean }) => {
      const key = generateKeyPair();
      if (opts.out !== undefined) {
        writeKeyFile(opts.out, key, { overwrite: opts.force ?? false });
        process.stdout.write(`${toHex(key.publicKey)}\n`);
        process.stderr.write(`key written to ${resolve(opts.out)}\n`);
      } else {
        process.stdout.write(keyFileText(key));
      }
    });
}

function initCommand(): Command {
  return new Command("init")
    .description("create a devnet home: genesis (committee, stakes, harbors, faucet) and validator keys")
    .requiredOption("-d, --dir <dir>", "home directory to create")
    .option(
      "-n, --validators <n>",
      "number of validators",
      parseInteger("--validators", 1, 256),
      DEFAULT_DEVNET_VALIDATORS,
    )
    .option("--chain-id <id>", "chain id", DEFAULT_CHAIN_ID)
    .option(
      "--base-port <port>",
      "first validator's p2p port",
      parseInteger("--base-port", 1024, 65_000),
      DEFAULT_BASE_PORT,
    )
    .option(
      "--accounts <n>",
      "extra funded, attested accounts (keys/account-<i>.json)",
      parseInteger("--accounts", 0, MAX_EXTRA_ACCOUNTS),
      0,
    )
    .option(
      "--gc-depth <rounds>",
      "consensus gc depth in rounds (small values exercise block sync in tests)",
      parseInteger("--gc-depth", 2, 1_000_000),
      DEVNET_PARAMS.gcDepth,
    )
    .option("-f, --force", "replace an existing devnet home")
    .action(
      (opts: {
        dir: string;
        validators: number;
        chainId: string;
        basePort: number;
        accounts: number;
        gcDepth: number;
        force?: boolean;
      }) => {
        const home = initDevnetHome({
          dir: opts.dir,
          validators: opts.validators,
          chainId: opts.chainId,
          basePort: opts.basePort,
          accounts: opts.accounts,
          gcDepth: opts.gcDepth,
          force: opts.force ?? false,
        });
        process.stdout.write(
          [
            `devnet home ${resolve(home.dir)}`,
            `  genesis   ${home.genesisPath}`,
            ...home.validatorKeyPaths.map((p, i) => `  validator ${i}  ${p}`),
            `  faucet    ${home.faucetKeyPath} (funded in every harbor)`,
            ...home.demoKeyPaths.map((p) => `  account   ${p} (funded, attested compliant)`),
            ...(home.extraAccounts > 0
              ? [
                  `  accounts  ${home.extraAccounts} more in keys/account-<i>.json (funded, attested compliant)`,
                ]
              : []),
            `  attester  ${home.attesterKeyPath} (may attest every domain in every harbor)`,
            ...home.harborKeyPaths.map(
              (p, i) => `  harbor    ${p} (authority of ${asciiString(home.genesis.harbors[i]!.id)})`,
            ),
            ...home.genesis.corridors.map(
              (c) =>
                `  corridor  ${asciiString(c.harborA)}${CORRIDOR_ID_SEPARATOR}${asciiString(c.harborB)} (${CorridorState[c.state]?.toUpperCase()})`,
            ),
            "",
          ].join("\n"),
        );
      },
    );
}

export function buildProgram(): Command {
  return new Command("mass")
    .description("MASS L1: Narwhal-Bullshark settlement-layer node of the Momentum SEZ stack")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .addCommand(keygenCommand())
    .addCommand(initCommand())
    .addCommand(startCommand())
    .addCommand(devnetCommand())
    .addCommand(txCommand())
    .addCommand(queryCommand())
    .addCommand(vmCommand())
    .addCommand(simCommand());
}

/** Runs the CLI; returns the exit code. Operator mistakes print one clear line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof MassError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(
      `internal error (please report): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 70;
  }
}
