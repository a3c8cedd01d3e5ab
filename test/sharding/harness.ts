import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chain, ExecutedBlock } from "../../src/chain/chain.js";
import { openChain } from "../../src/chain/repair.js";
import {
  attestTx,
  callTx,
  corridorTx,
  deployTx,
  migrateTx,
  signTransaction,
  TRANSFER_GAS_LIMIT,
  transferTx,
} from "../../src/client/index.js";
import { DOMAINS } from "../../src/compliance/domains.js";
import type { RulePack } from "../../src/compliance/rulePack.js";
import { sign } from "../../src/crypto/ed25519.js";
import { type DevnetHome, initDevnetHome } from "../../src/node/devnetHome.js";
import { loadRulePacks } from "../../src/node/genesis.js";
import { type KeyPair, readKeyFile } from "../../src/node/keyFile.js";
import { Database } from "../../src/state/db/index.js";
import type { CorridorParams, CorridorState } from "../../src/types/corridor.js";
import { Account, ExecutionOutcome, Lock } from "../../src/types/execution.js";
import { asciiString } from "../../src/types/primitives.js";
import { CorridorRole } from "../../src/types/transaction.js";
import { toHex } from "../../src/util/bytes.js";
import { silentLogger } from "../../src/util/logger.js";
import { inlineRunner } from "../../src/vm/executor/block.js";
import { accountKey, StateKind, storageKey } from "../../src/vm/state/keys.js";
import { assetIdOf } from "../../src/vm/tx/deploy.js";
import { bytesToWord } from "../../src/vm/word.js";
import { tempDir } from "../helpers/tempDir.js";

export const HARBORS = ["ae-difc", "kz-aifc", "pk-sifc"] as const;
export const CHAIN_ID = "mass-devnet";
const GENESIS_TIME = 1_700_000_000_000;
const BLOCK_INTERVAL_MS = 1_000;
/** Fee of every transaction the harness signs (the chain has no admission policy to satisfy). */
export const FEE = 10n;
/** Gas limit of deploys and calls: room for the migration precompiles (100,000 each). */
const PROGRAM_GAS_LIMIT = 2_000_000;

/**
 * One devnet home shared by every schedule of a test file (generating keys is the slow part), its
 * corridors' parameters changed by `corridorParams` (small limits make holds and timeouts cheap).
 */
export function sharedHome(
  corridorParams: Partial<CorridorParams> = {},
  dir = join(tempDir(), "home"),
): {
  home: DevnetHome;
  rulePacks: ReadonlyMap<string, RulePack>;
} {
  const devnet = initDevnetHome({ dir, validators: 4, genesisTime: GENESIS_TIME });
  const genesis = {
    ...devnet.genesis,
    corridors: devnet.genesis.corridors.map((c) => ({ ...c, params: { ...c.params, ...corridorParams } })),
  };
  return { home: { ...devnet, genesis }, rulePacks: loadRulePacks(devnet.genesisPath, devnet.genesis) };
}

/**
 * A Chain driven directly, block by block, without consensus or network: transactions are signed
 * here and each `block()` call executes the next committed sub-DAG. Signatures are trusted (the
 * chain's own check is tested elsewhere), which keeps hundreds of schedules fast.
 */
export class ChainHarness {
  readonly faucet: KeyPair;
  readonly attester: KeyPair;
  readonly demos: KeyPair[];
  readonly authorities: Map<string, KeyPair>;
  /** Every address that may hold a balance, for supply sums. */
  private readonly nonces = new Map<string, number>();
  private commitIndex = 0;

  private constructor(
    readonly home: DevnetHome,
    private readonly rulePacks: ReadonlyMap<string, RulePack>,
    readonly dbPath: string,
    private db: Database,
    public chain: Chain,
  ) {
    this.faucet = readKeyFile(home.faucetKeyPath);
    this.attester = readKeyFile(home.attesterKeyPath);
    this.demos = home.demoKeyPaths.map((p) => readKeyFile(p));
    this.authorities = new Map(
      HARBORS.map((h) => [h, readKeyFile(join(home.dir, "keys", `harbor-${h}.json`))]),
    );
    this.commitIndex = chain.nextCommitIndex;
  }

  static async open(home: DevnetHome, rulePacks: ReadonlyMap<string, RulePack>): Promise<ChainHarness> {
    // Not tempDir(): it registers its cleanup on the test that calls it, and a harness opened in a
    // before() hook would lose its database after the first test. close() removes this one.
    const dbPath = mkdtempSync(join(tmpdir(), "mass-harness-"));
    const db = await Database.open(dbPath);
    const chain = await ChainHarness.openChain(db, home, rulePacks);
    return new ChainHarness(home, rulePacks, dbPath, db, chain);
  }

  private static openChain(
    db: Database,
    home: DevnetHome,
    rulePacks: ReadonlyMap<string, RulePack>,
    repair = false,
  ) {
    const options = {
      db,
      genesis: home.genesis,
      rulePacks,
      runner: inlineRunner(),
      checkSignature: () => true,
    };
    return openChain(options, repair, silentLogger);
  }

  /** Closes the database and opens the chain again from it, as a restarted node does. */
  async restart(): Promise<void> {
    await this.db.close();
    this.db = await Database.open(this.dbPath);
    this.chain = await ChainHarness.openChain(this.db, this.home, this.rulePacks);
  }

  /** Reopens as `mass start --repair` does: blocks, state and the corridor ledger discarded. */
  async repair(): Promise<void> {
    await this.db.close();
    this.db = await Database.open(this.dbPath);
    this.chain = await ChainHarness.openChain(this.db, this.home, this.rulePacks, true);
    this.commitIndex = this.chain.nextCommitIndex;
    this.nonces.clear();
  }

  async close(): Promise<void> {
    await this.db.close();
    rmSync(this.dbPath, { recursive: true, force: true });
  }

  /** Executes the next block with these encoded transactions (in this order, repeats allowed). */
  block(transactions: Uint8Array[] = []): Promise<ExecutedBlock> {
    const commitIndex = this.commitIndex++;
    return this.chain.execute({
      commitIndex,
      leaderRound: 2 * (commitIndex + 1),
      leaderDigest: new Uint8Array(32).fill(commitIndex % 251),
      leaderTime: GENESIS_TIME + (commitIndex + 1) * BLOCK_INTERVAL_MS,
      transactions,
    });
  }

  private nextNonce(harbor: string, key: KeyPair): number {
    const id = `${harbor}/${toHex(key.publicKey)}`;
    const nonce = this.nonces.get(id) ?? this.chain.accountNonce(harbor, key.publicKey);
    this.nonces.set(id, nonce + 1);
    return nonce;
  }

  /** Forgets nonces handed out for transactions that were never executed. */
  resetNonces(): void {
    this.nonces.clear();
  }

  private envelope(harbor: string, key: KeyPair) {
    return {
      chainId: CHAIN_ID,
      harbor,
      sender: key.publicKey,
      nonce: this.nextNonce(harbor, key),
      gasLimit: TRANSFER_GAS_LIMIT,
      fee: FEE,
    };
  }

  migrate(
    from: KeyPair,
    fromHarbor: string,
    to: Uint8Array,
    toHarbor: string,
    amount: bigint,
    timeoutBlocks = 0,
  ) {
    const body = migrateTx(this.envelope(fromHarbor, from), {
      destinationHarbor: toHarbor,
      recipient: to,
      amount,
      timeoutBlocks,
    });
    return signTransaction(body, from.secretKey, sign);
  }

  /** Deploys `bytecode` in `harbor`; returns the transaction and the new asset's id. */
  deploy(from: KeyPair, harbor: string, bytecode: Uint8Array) {
    const envelope = { ...this.envelope(harbor, from), gasLimit: PROGRAM_GAS_LIMIT };
    const tx = signTransaction(deployTx(envelope, { bytecode }), from.secretKey, sign);
    return { ...tx, asset: assetIdOf(harbor, from.publicKey, envelope.nonce) };
  }

  call(from: KeyPair, harbor: string, asset: Uint8Array, input: Uint8Array) {
    const envelope = { ...this.envelope(harbor, from), gasLimit: PROGRAM_GAS_LIMIT };
    return signTransaction(callTx(envelope, { asset, input }), from.secretKey, sign);
  }

  /** `holder`'s units in `asset`'s ledger (the storage word at the holder's slot, docs/savm.md). */
  units(harbor: string, asset: Uint8Array, holder: Uint8Array): bigint {
    const word = this.stateEntry(harbor, storageKey(toHex(asset).slice(2), bytesToWord(holder)));
    return word === undefined ? 0n : BigInt(toHex(word));
  }

  /** The value stored under `key` in `harbor`'s state, undefined if none. */
  stateEntry(harbor: string, key: string): Uint8Array | undefined {
    return this.chain.state.snapshot(harbor).get(key);
  }

  transfer(from: KeyPair, harbor: string, to: Uint8Array, amount: bigint) {
    return signTransaction(transferTx(this.envelope(harbor, from), { to, amount }), from.secretKey, sign);
  }

  /** A lifecycle move of `corridor` signed by `harbor`'s authority (or by `signer`, to test refusals). */
  move(harbor: string, corridor: string, to: CorridorState, role: CorridorRole, signer?: KeyPair) {
    const key = signer ?? this.authorities.get(harbor)!;
    const body = corridorTx(this.envelope(harbor, key), {
      corridor,
      to,
      role,
      evidence: new Uint8Array(32).fill(7),
    });
    return signTransaction(body, key.secretKey, sign);
  }

  /** The attester sets `subject`'s cell for `domain` in `harbor`'s jurisdiction. */
  attest(harbor: string, subject: Uint8Array, domain: (typeof DOMAINS)[number], state: number) {
    const jurisdiction = asciiString(
      this.home.genesis.harbors.find((h) => asciiString(h.id) === harbor)!.jurisdiction,
    );
    const body = attestTx(this.envelope(harbor, this.attester), {
      subject,
      jurisdiction,
      domain: DOMAINS.indexOf(domain),
      state,
      attestationRef: new Uint8Array(32).fill(1),
      expiresAt: 0,
    });
    return signTransaction(body, this.attester.secretKey, sign);
  }

  balance(harbor: string, key: Uint8Array): bigint {
    return this.chain.account(harbor, key).balance;
  }

  /** The receipt of an executed transaction. */
  async receipt(hash: Uint8Array): Promise<{ outcome: ExecutionOutcome; reason: string } | undefined> {
    const receipt = await this.chain.store.receipt(hash);
    if (receipt === undefined) return undefined;
    return { outcome: receipt.outcome, reason: new TextDecoder().decode(receipt.reason) };
  }

  /**
   * Native value the chain holds: every balance in every harbor, plus native escrows (in-transit
   * locks) not yet credited at their destination. A credited transfer's escrow is retired one
   * block later, by the acknowledgement still pending, so that one is not counted twice.
   */
  nativeSupply(): bigint {
    let total = 0n;
    const accountPrefix = StateKind.Account.toString(16).padStart(2, "0");
    const lockPrefix = StateKind.Lock.toString(16).padStart(2, "0");
    const zero = toHex(new Uint8Array(32));
    for (const harbor of HARBORS) {
      for (const [key, value] of this.chain.state.snapshot(harbor)) {
        if (key.startsWith(accountPrefix)) total += Account.deserialize(value).balance;
        else if (key.startsWith(lockPrefix)) {
          const lock = Lock.deserialize(value);
          if (toHex(lock.asset) === zero) total += lock.amount;
        }
      }
    }
    for (const message of this.chain.pendingMessages) {
      // A pending acknowledgement (kind 2, Settlement) of native value: credited, escrow not yet retired.
      if (message.kind === 2 && toHex(message.sourceAsset) === zero) total -= message.amount;
    }
    return total;
  }

  accountKeyOf(key: Uint8Array): string {
    return accountKey(key);
  }
}

export { CorridorRole, ExecutionOutcome, toHex };
