import type { Chain } from "../chain/chain.js";
import { merkleProof } from "../crypto/merkle.js";
import { TxRejectedError } from "../pool/errors.js";
import type { TxPool } from "../pool/txPool.js";
import { Account, ExecutionOutcome, ExecutionReceipt } from "../types/execution.js";
import { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { SignedTransaction } from "../types/transaction.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { receiptDigest } from "../vm/receipt.js";
import { accountKey } from "../vm/state/keys.js";
import { blockJson } from "./blockJson.js";
import { corridorMethods } from "./corridorMethods.js";
import { refuseIfDiverged as refuseDiverged } from "./diverged.js";
import { RpcError, RpcErrorCode } from "./errors.js";
import { hexParam, stringParam, u64Param } from "./params.js";
import type { RpcMethod } from "./server.js";

/** The statuses `mass_health` reports; node/health.ts says when each applies. */
export const HEALTH_STATUSES = ["ok", "stalled", "no-peers", "syncing", "diverged", "stopping"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface NodeStatus {
  /** "ok", or what is wrong (node/health.ts says what each status means). */
  status: HealthStatus;
  /** Why the status is not "ok"; empty when it is. */
  reason: string;
  /**
   * Catching up by block sync beyond the gc window: its state is behind the chain's, so it refuses
   * transactions (their nonces would be checked against old state) until it is back in consensus.
   */
  blockSyncing: boolean;
  peers: number;
  committeeSize: number;
  consensusRound: number;
  finalizedHeight: number;
}

export interface MassRpcDeps {
  genesis: Genesis;
  genesisHash: Uint8Array;
  chain: Chain;
  pool: TxPool;
  validatorIndex: number;
  status(): NodeStatus;
}

const notFound = (what: string) => new RpcError(RpcErrorCode.NotFound, `${what} not found`);

/**
 * The `mass_` JSON-RPC methods, the corridor ones (corridorMethods.ts) included. u64 values are
 * decimal strings and bytes 0x-hex (docs/rpc.md).
 */
export function massMethods(deps: MassRpcDeps): Record<string, RpcMethod> {
  const { chain, pool, genesis } = deps;

  const refuseIfDiverged = () => refuseDiverged(deps.status);

  return {
    mass_chainInfo: () => ({
      chainId: asciiString(genesis.chainId),
      genesisHash: toHex(deps.genesisHash),
      genesisTime: String(genesis.genesisTime),
      height: String(chain.height),
      latestBlockHash: toHex(chain.chainHead.blockHash),
      finalizedHeight: String(deps.status().finalizedHeight),
      validatorIndex: deps.validatorIndex,
      committee: genesis.committee.validators.map((v) => ({
        name: asciiString(v.name),
        publicKey: toHex(v.publicKey),
        stake: String(v.stake),
      })),
      harbors: genesis.harbors.map((h) => ({
        id: asciiString(h.id),
        jurisdiction: asciiString(h.jurisdiction),
      })),
    }),

    /** The genesis as genesis.json holds it, so a CLI or SDK with only a URL can build transactions. */
    mass_getGenesis: () => Genesis.toJson(genesis),

    mass_health: () => {
      const s = deps.status();
      return {
        status: s.status,
        reason: s.reason,
        height: String(chain.height),
        finalizedHeight: String(s.finalizedHeight),
        consensusRound: String(s.consensusRound),
        peers: s.peers,
        committeeSize: s.committeeSize,
        txPoolSize: pool.size,
      };
    },

    mass_sendRawTransaction: async (params) => {
      const bytes = hexParam(params, 0, "transaction");
      const status = deps.status();
      if (status.status === "stopping") {
        throw new RpcError(
          RpcErrorCode.NotReady,
          "the node is stopping; send the transaction to another validator",
        );
      }
      refuseIfDiverged();
      if (status.blockSyncing) {
        throw new RpcError(
          RpcErrorCode.NotReady,
          "the node is catching up by block sync; send the transaction to another validator or retry later",
        );
      }
      try {
        const pooled = await pool.add(bytes);
        return { txHash: pooled.hashHex };
      } catch (err) {
        if (err instanceof TxRejectedError) {
          throw new RpcError(RpcErrorCode.TransactionRejected, err.message, { reason: err.code });
        }
        throw err;
      }
    },

    mass_getTransaction: async (params) => {
      const hash = hexParam(params, 0, "txHash", 32);
      // Pool first, then the store: a block that executes the transaction is stored before the pool
      // forgets it, so in this order it is found in one or the other.
      const pooled = pool.get(toHex(hash));
      const location = await chain.store.location(hash);
      if (location === undefined) {
        if (pooled === undefined) throw notFound(`transaction ${toHex(hash)}`);
        return {
          txHash: pooled.hashHex,
          status: "pending",
          transaction: SignedTransaction.toJson(pooled.tx),
        };
      }
      const [bytes, receipt, finality] = await Promise.all([
        chain.store.transaction(hash),
        chain.store.receipt(hash),
        chain.store.finalityAt(location.height),
      ]);
      return {
        txHash: toHex(hash),
        status: finality === undefined ? "executed" : "finalized",
        transaction:
          bytes === undefined ? null : SignedTransaction.toJson(SignedTransaction.deserialize(bytes)),
        block: { height: String(location.height), hash: toHex(location.blockHash), index: location.index },
        outcome:
          receipt === undefined ? null : (ExecutionOutcome[receipt.outcome] ?? String(receipt.outcome)),
        receipt: receipt === undefined ? null : ExecutionReceipt.toJson(receipt),
      };
    },

    mass_getTransactionProof: async (params) => {
      const hash = hexParam(params, 0, "txHash", 32);
      const location = await chain.store.location(hash);
      if (location === undefined) throw notFound(`executed transaction ${toHex(hash)}`);
      const block = await chain.store.blockByHeight(location.height);
      if (block === undefined) throw notFound(`block ${location.height}`);
      const proof = merkleProof(block.txHashes, location.index);
      return {
        txHash: toHex(hash),
        height: String(location.height),
        blockHash: toHex(location.blockHash),
        txRoot: toHex(block.header.txRoot),
        txIndex: proof.leafIndex,
        txCount: proof.treeSize,
        txSiblings: proof.siblings.map(toHex),
      };
    },

    mass_getReceipt: async (params) => {
      const hash = hexParam(params, 0, "txHash", 32);
      const location = await chain.store.location(hash);
      const receipt = await chain.store.receipt(hash);
      if (location === undefined || receipt === undefined)
        throw notFound(`executed transaction ${toHex(hash)}`);
      const [block, digests] = await Promise.all([
        chain.store.blockByHeight(location.height),
        chain.store.receiptDigests(location.height),
      ]);
      if (block === undefined) throw notFound(`block ${location.height}`);
      const digest = receiptDigest(receipt);
      const index = digests?.findIndex((d) => bytesEqual(d, digest)) ?? -1;
      const proof = digests === undefined || index < 0 ? undefined : merkleProof(digests, index);
      return {
        txHash: toHex(hash),
        height: String(location.height),
        blockHash: toHex(location.blockHash),
        outcome: ExecutionOutcome[receipt.outcome] ?? String(receipt.outcome),
        receipt: ExecutionReceipt.toJson(receipt),
        receiptDigest: toHex(digest),
        receiptRoot: toHex(block.header.receiptRoot),
        // null for a block stored before its receipt digests were kept.
        proof:
          proof === undefined
            ? null
            : { index: proof.leafIndex, count: proof.treeSize, siblings: proof.siblings.map(toHex) },
      };
    },

    mass_getBlockByHeight: async (params) => {
      const height = u64Param(params, 0, "height");
      const block = await chain.store.blockByHeight(height);
      if (block === undefined) throw notFound(`block ${height}`);
      return blockJson(chain, block);
    },

    mass_getLatestBlock: async () => {
      if (chain.height === 0) throw notFound("block (no block after genesis yet)");
      const block = await chain.store.blockByHeight(chain.height);
      if (block === undefined) throw notFound(`block ${chain.height}`);
      return blockJson(chain, block);
    },

    mass_getAccount: (params) => {
      refuseIfDiverged();
      const harbor = stringParam(params, 0, "harbor");
      const address = hexParam(params, 1, "address", 32);
      if (!genesis.harbors.some((h) => asciiString(h.id) === harbor)) {
        throw new RpcError(RpcErrorCode.InvalidParams, `unknown harbor "${harbor}"`);
      }
      const key = accountKey(address);
      const value = chain.state.get(harbor, key);
      const account = value === undefined ? { balance: 0n, nonce: 0 } : Account.deserialize(value);
      const proof = chain.state.proof(harbor, key);
      const harbors = genesis.harbors.map((h) => asciiString(h.id));
      const leaves = harbors.map((h) => chain.state.harborLeaf(h));
      const harborProof = merkleProof(leaves, harbors.indexOf(harbor));
      return {
        harbor,
        address: toHex(address),
        balance: account.balance.toString(),
        nonce: String(account.nonce),
        pendingNonce: String(pool.nextPendingNonce(harbor, address)),
        // Everything a light client needs to check the answer against a final block's stateRoot.
        proof: {
          height: String(chain.height),
          stateRoot: toHex(chain.state.stateRoot()),
          harborRoot: toHex(chain.state.harborRoot(harbor)),
          harborIndex: harborProof.leafIndex,
          harborSiblings: harborProof.siblings.map(toHex),
          bucket: proof.bucket,
          entries: proof.entries.map((e) => ({ key: toHex(e.key), value: toHex(e.value) })),
          siblings: proof.siblings.map(toHex),
        },
      };
    },

    ...corridorMethods({ chain, refuseIfDiverged }),
  };
}
