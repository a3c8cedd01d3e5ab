import type { RulePack } from "../../src/compliance/rulePack.js";
import type { Genesis } from "../../src/types/genesis.js";
import { asciiString } from "../../src/types/primitives.js";
import { toHex } from "../../src/util/bytes.js";
import { treasuryKeyOf } from "../../src/vm/tx/context.js";
import type { SenderLedger } from "./load.js";
import { type BlockJson, forEachLimit, type TxJson, type ValidatorReader } from "./rpc.js";

/** Reads in flight per validator: enough to read thousands of blocks in seconds, few enough not to starve it. */
const READS_PER_VALIDATOR = 8;

export interface AccountState {
  balance: bigint;
  nonce: number;
}

/** What one validator serves at the end of a run: blocks 1..height, the ledger's transactions, accounts. */
export interface ValidatorView {
  index: number;
  /** By height; a hole where the block could not be read (`blockErrors` says why). */
  blocks: Map<number, BlockJson>;
  blockErrors: Map<number, string>;
  /** By transaction hash: its status, or why it could not be read. */
  txs: Map<string, TxJson | string>;
  /** By `accountId(harbor, address)`: the account, or why it could not be read. */
  accounts: Map<string, AccountState | string>;
}

export function accountId(harbor: string, address: string): string {
  return `${harbor}/${address}`;
}

/** Per harbor, the addresses whose balances make up its supply: genesis accounts and the treasury. */
export function supplyAccounts(genesis: Genesis, rulePacks: Map<string, RulePack>): Map<string, Set<string>> {
  const byHarbor = new Map<string, Set<string>>();
  for (const harbor of genesis.harbors) {
    const id = asciiString(harbor.id);
    byHarbor.set(id, new Set([toHex(treasuryKeyOf(rulePacks.get(id)!))]));
  }
  for (const account of genesis.accounts)
    byHarbor.get(asciiString(account.harbor))!.add(toHex(account.address));
  return byHarbor;
}

/** Reads every validator's view in parallel. */
export async function readViews(
  readers: readonly ValidatorReader[],
  height: number,
  ledger: readonly SenderLedger[],
  accounts: Map<string, Set<string>>,
): Promise<ValidatorView[]> {
  const hashes = ledger.flatMap((s) =>
    [...s.accepted, ...(s.unresolved ? [s.unresolved] : [])].map((t) => t.hash),
  );
  return Promise.all(readers.map((r) => readView(r, height, hashes, accounts)));
}

async function readView(
  reader: ValidatorReader,
  height: number,
  hashes: readonly string[],
  accounts: Map<string, Set<string>>,
): Promise<ValidatorView> {
  const view: ValidatorView = {
    index: reader.index,
    blocks: new Map(),
    blockErrors: new Map(),
    txs: new Map(),
    accounts: new Map(),
  };
  const heights = Array.from({ length: height }, (_, i) => i + 1);
  await forEachLimit(heights, READS_PER_VALIDATOR, async (h) => {
    const { value, error } = await reader.read<BlockJson>("mass_getBlockByHeight", [String(h)]);
    if (value !== undefined) view.blocks.set(h, value);
    else view.blockErrors.set(h, error!);
  });
  await forEachLimit(hashes, READS_PER_VALIDATOR, async (hash) => {
    const { value, error } = await reader.read<TxJson>("mass_getTransaction", [hash]);
    view.txs.set(hash, value ?? error!);
  });
  const pairs = [...accounts].flatMap(([harbor, addresses]) =>
    [...addresses].map((a) => [harbor, a] as const),
  );
  await forEachLimit(pairs, READS_PER_VALIDATOR, async ([harbor, address]) => {
    const { value, error } = await reader.read<{ balance: string; nonce: string }>("mass_getAccount", [
      harbor,
      address,
    ]);
    view.accounts.set(
      accountId(harbor, address),
      value === undefined ? error! : { balance: BigInt(value.balance), nonce: Number(value.nonce) },
    );
  });
  return view;
}
