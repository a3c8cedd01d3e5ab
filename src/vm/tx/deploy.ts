import { sha256Concat } from "../../crypto/hash.js";
import { asciiBytes } from "../../types/primitives.js";
import type { DeployPayload } from "../../types/transaction.js";
import { utf8 } from "../../util/bytes.js";
import type { ExecutionEnv } from "../env.js";
import { GAS_DEPLOY_BASE, GAS_DEPLOY_PER_BYTE } from "../gas.js";
import { ZERO32 } from "../state/world.js";
import { requireCompliance } from "./compliance.js";
import type { GasMeter } from "./meter.js";

const ASSET_TAG = utf8("MASS-L1/asset/v1");

/** Asset id = SHA-256("MASS-L1/asset/v1" ‖ 0x00 ‖ harbor ‖ 0x00 ‖ deployer ‖ nonce as u64 big-endian). */
export function assetIdOf(harbor: string, deployer: Uint8Array, nonce: number): Uint8Array {
  const n = new Uint8Array(8);
  new DataView(n.buffer).setBigUint64(0, BigInt(nonce));
  const sep = Uint8Array.of(0);
  return sha256Concat(ASSET_TAG, sep, asciiBytes(harbor), sep, deployer, n);
}

/** Gas a deploy needs beyond the transaction base: the record plus every bytecode byte. */
export function deployGas(payload: DeployPayload): number {
  return GAS_DEPLOY_BASE + GAS_DEPLOY_PER_BYTE * payload.bytecode.length;
}

/**
 * Deploys an asset (the bytecode was validated before the fee was taken). The deployer must meet the
 * rule pack's `deploy` export requirements. Returns the new asset's id.
 */
export function applyDeploy(
  env: ExecutionEnv,
  meter: GasMeter,
  sender: Uint8Array,
  nonce: number,
  payload: DeployPayload,
): Uint8Array {
  meter.charge(deployGas(payload));
  requireCompliance(env, meter, [
    { subject: sender, jurisdiction: env.jurisdiction, domains: env.rulePack.operations.deploy.export },
  ]);
  const id = assetIdOf(env.harbor, sender, nonce);
  env.world.putAssetRecord(id, {
    owner: sender,
    code: payload.bytecode,
    metadata: payload.metadata,
    chain: { head: ZERO32, count: 0 },
  });
  return id;
}
