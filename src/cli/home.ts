import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { genesisPathOf, validatorKeyPath } from "../node/devnetHome.js";
import { ConfigError, ConfigErrorCode } from "../node/errors.js";
import { loadGenesis } from "../node/genesis.js";
import type { Genesis } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";

/** A validator's JSON-RPC port is its p2p port plus this; metrics plus METRICS_PORT_OFFSET. */
export const RPC_PORT_OFFSET = 1000;
export const METRICS_PORT_OFFSET = 2000;

export function loadHomeGenesis(home: string): { genesisPath: string; genesis: Genesis } {
  const genesisPath = genesisPathOf(home);
  if (!existsSync(genesisPath)) {
    throw new ConfigError(
      ConfigErrorCode.FileNotFound,
      `${resolve(home)} has no genesis.json (create one with \`mass init --dir ${home}\`)`,
    );
  }
  return { genesisPath, genesis: loadGenesis(genesisPath) };
}

/** The TCP port in a validator's genesis multiaddr (/ip4/…/tcp/PORT). */
export function p2pPortOf(genesis: Genesis, index: number): number {
  const address = asciiString(genesis.committee.validators[index]!.address);
  const match = /\/tcp\/(\d+)/.exec(address);
  if (!match)
    throw new ConfigError(
      ConfigErrorCode.InvalidGenesis,
      `validator ${index} address ${address} has no /tcp/ port`,
    );
  return Number(match[1]);
}

export function rpcUrlOf(genesis: Genesis, index: number): string {
  return `http://127.0.0.1:${p2pPortOf(genesis, index) + RPC_PORT_OFFSET}/`;
}

export function dataDirOf(home: string, index: number): string {
  return join(home, "data", `validator-${index}`);
}

export { validatorKeyPath };
