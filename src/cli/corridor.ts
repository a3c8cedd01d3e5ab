import { Command, InvalidArgumentError } from "commander";
import { corridorTx, TRANSFER_GAS_LIMIT } from "../client/index.js";
import { sha256 } from "../crypto/hash.js";
import { harborKeyPath } from "../node/devnetHome.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { type KeyPair, readKeyFile } from "../node/keyFile.js";
import type { CorridorJson } from "../rpc/corridorJson.js";
import { parseCorridorId } from "../sharding/index.js";
import { CorridorState } from "../types/corridor.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { CorridorRole } from "../types/transaction.js";
import { bytesEqual, toHex, utf8 } from "../util/bytes.js";
import { corridorLines, field, finalText, printJson, printLines } from "./format.js";
import {
  assertSucceeded,
  connect,
  DEFAULT_FEE,
  type EndpointOptions,
  harborArg,
  hexArg,
  nextNonce,
  signAndSend,
  unitsArg,
  waitFinal,
  withEndpoint,
} from "./send.js";

/**
 * `mass tx corridor VERB ID`: one lifecycle move of a corridor, signed by the authority of one of its
 * two harbors. Each verb is a (target state, role) pair of the table in src/sharding/lifecycle.ts;
 * only `propose` depends on the corridor's state. The chain judges the move: one it refuses is a
 * Revert receipt whose reason the command prints.
 */

interface Verb {
  name: string;
  description: string;
  role: CorridorRole;
  /** The state it moves a corridor in `state` to; undefined when it makes no move from there. */
  target(state: CorridorState): CorridorState | undefined;
  /** Whether --to may choose the target state instead (propose and accept). */
  choosesTarget?: boolean;
}

const VERBS: readonly Verb[] = [
  {
    name: "propose",
    description: "open a DRAFT corridor (to PENDING), or propose resuming a HALTED one",
    role: CorridorRole.Proposer,
    target: (state) =>
      state === CorridorState.Draft
        ? CorridorState.Pending
        : state === CorridorState.Halted
          ? CorridorState.Active
          : undefined,
    choosesTarget: true,
  },
  {
    name: "accept",
    description: "accept the other side's proposal: PENDING, or HALTED with a resume proposed, to ACTIVE",
    role: CorridorRole.Acceptor,
    target: () => CorridorState.Active,
    choosesTarget: true,
  },
  {
    name: "suspend",
    description: "pause an ACTIVE corridor (only this side may resume it)",
    role: CorridorRole.Proposer,
    target: () => CorridorState.Suspended,
  },
  {
    name: "resume",
    description: "lift this side's suspension, or propose resuming a HALTED corridor",
    role: CorridorRole.Proposer,
    target: () => CorridorState.Active,
  },
  {
    name: "halt",
    description: "stop an ACTIVE corridor (reopening it takes both sides)",
    role: CorridorRole.Proposer,
    target: () => CorridorState.Halted,
  },
  {
    name: "deprecate",
    description: "retire a HALTED corridor for good",
    role: CorridorRole.Proposer,
    target: () => CorridorState.Deprecated,
  },
];

interface CorridorOptions extends EndpointOptions {
  harbor: string;
  key?: string;
  evidence?: string;
  reason?: string;
  to?: CorridorState;
  fee: string;
  wait: boolean;
  json?: boolean;
}

const invalid = (message: string) => new ConfigError(ConfigErrorCode.InvalidArgument, message);

const STATE_NAMES = Object.keys(CorridorState).filter((k) => Number.isNaN(Number(k)));
const stateName = (state: CorridorState) => CorridorState[state]!.toUpperCase();

function parseState(value: string): CorridorState {
  const name = STATE_NAMES.find((n) => n.toLowerCase() === value.toLowerCase());
  if (name === undefined)
    throw new InvalidArgumentError(
      `--to must be a corridor state (${STATE_NAMES.map((n) => n.toLowerCase()).join(", ")}), got "${value}"`,
    );
  return CorridorState[name as keyof typeof CorridorState];
}

export function corridorCommand(): Command {
  const corridor = new Command("corridor").description(
    "move a corridor through its lifecycle, signed by one of its harbors' authority",
  );
  for (const verb of VERBS) corridor.addCommand(verbCommand(verb));
  return corridor;
}

function verbCommand(verb: Verb): Command {
  const command = withEndpoint(
    new Command(verb.name)
      .description(verb.description)
      .argument("<corridor>", "corridor id: its two harbor ids sorted, joined by ~ (ae-difc~pk-sifc)")
      .requiredOption("--harbor <id>", "the side that acts: one of the corridor's two harbors")
      .option("--key <keyfile>", "that harbor's authority key (default: <home>/keys/harbor-<id>.json)")
      .option("--evidence <hex32>", "digest of the move's off-chain evidence (default: zeros)")
      .option("--reason <text>", "evidence given as text: its SHA-256 is the digest"),
  );
  if (verb.choosesTarget) {
    command.option(
      "--to <state>",
      "the state to move to (default: chosen from the current state)",
      parseState,
    );
  }
  return command
    .option("--fee <units>", "fee", DEFAULT_FEE)
    .option("--no-wait", "return once the node accepted the transaction")
    .option("--json", "print one JSON object instead of lines")
    .action((id: string, opts: CorridorOptions) => moveCorridor(verb, id, opts));
}

async function moveCorridor(verb: Verb, id: string, opts: CorridorOptions): Promise<void> {
  const { genesis, client } = await connect(opts);
  const harbor = sideArg(genesis, id, opts.harbor);
  const evidence = evidenceArg(opts);
  const fee = unitsArg("--fee", opts.fee);
  const authority = authorityKey(genesis, harbor, opts.key ?? harborKeyPath(opts.home, harbor));
  const before = await client.call<CorridorJson>("mass_getCorridor", [id]);
  const to = targetOf(verb, before, opts.to);
  const body = corridorTx(
    {
      chainId: genesis.chainId,
      harbor,
      sender: authority.publicKey,
      nonce: await nextNonce(client, harbor, authority.publicKey),
      gasLimit: TRANSFER_GAS_LIMIT,
      fee,
    },
    { corridor: id, to, role: verb.role, evidence },
  );
  const txHash = await signAndSend(client, body, authority.secretKey);
  const move = {
    corridor: id,
    harbor,
    role: verb.role === CorridorRole.Proposer ? "proposer" : "acceptor",
    from: before.state,
    to: stateName(to),
    evidence: toHex(evidence),
  };
  if (!opts.json) {
    const moveText = `${harbor} as ${move.role}: ${move.from} → ${move.to}, evidence ${move.evidence}`;
    printLines([field("tx", txHash), field("move", moveText)]);
  }
  if (!opts.wait) {
    if (opts.json) printJson({ txHash, status: "pending", move });
    return;
  }
  const final = await waitFinal(client, txHash);
  const after = await client.call<CorridorJson>("mass_getCorridor", [id]);
  if (opts.json) printJson({ ...final, move, corridor: after });
  else printLines([field("outcome", finalText(final)), ...corridorLines(after)]);
  assertSucceeded(final, `corridor ${verb.name}`);
}

/** `harbor` when it is a harbor of the genesis and one of the two of corridor `id`. */
function sideArg(genesis: Genesis, id: string, harbor: string): string {
  const sides = parseCorridorId(id);
  harborArg(genesis, "--harbor", harbor);
  if (!sides.includes(harbor)) throw invalid(`--harbor: ${harbor} is not a side of corridor ${id}`);
  return harbor;
}

/** The evidence digest: --evidence, or SHA-256 of --reason, or 32 zero bytes. */
function evidenceArg(opts: CorridorOptions): Uint8Array {
  if (opts.evidence !== undefined && opts.reason !== undefined)
    throw invalid("give --evidence or --reason, not both");
  if (opts.evidence !== undefined) return hexArg("--evidence", opts.evidence);
  if (opts.reason !== undefined) return sha256(utf8(opts.reason));
  return new Uint8Array(32);
}

/** The key at `path`, which must be the authority genesis names for `harbor`. */
function authorityKey(genesis: Genesis, harbor: string, path: string): KeyPair {
  const key = readKeyFile(path);
  const expected = genesis.harbors.find((h) => asciiString(h.id) === harbor)!.authority;
  if (!bytesEqual(key.publicKey, expected)) {
    throw invalid(`key file ${path} is not the authority of ${harbor} (genesis names ${toHex(expected)})`);
  }
  return key;
}

/** The state `verb` moves the corridor to: --to when given, else the one its current state implies. */
function targetOf(verb: Verb, corridor: CorridorJson, to: CorridorState | undefined): CorridorState {
  const target = to ?? verb.target(corridor.stateCode as CorridorState);
  if (target === undefined) {
    throw invalid(
      `corridor ${corridor.id} is ${corridor.state}: \`${verb.name}\` is to ${verb.description} (or pass --to)`,
    );
  }
  return target;
}
