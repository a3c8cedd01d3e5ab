import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { generateSecretKey, publicKeyOf } from "../crypto/ed25519.js";
import { fromHex, toHex } from "../util/bytes.js";
import { errorMessage } from "../util/errors.js";
import { ConfigError, ConfigErrorCode } from "./errors.js";

/** An Ed25519 key pair as stored in a key file. */
export interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** On disk: `{"type":"ed25519","publicKey":"0x…","secretKey":"0x…"}`, readable by its owner only. */
interface KeyFileJson {
  type: "ed25519";
  publicKey: string;
  secretKey: string;
}

export function generateKeyPair(): KeyPair {
  const secretKey = generateSecretKey();
  return { publicKey: publicKeyOf(secretKey), secretKey };
}

/** The key file's text. */
export function keyFileText(key: KeyPair): string {
  const json: KeyFileJson = {
    type: "ed25519",
    publicKey: toHex(key.publicKey),
    secretKey: toHex(key.secretKey),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function writeKeyFile(path: string, key: KeyPair, options: { overwrite?: boolean } = {}): void {
  if (!options.overwrite && existsSync(path)) {
    throw new ConfigError(
      ConfigErrorCode.FileExists,
      `${path} already exists (pass --force to overwrite it)`,
    );
  }
  writeFileSync(path, keyFileText(key), { mode: 0o600 });
}

export function readKeyFile(path: string): KeyPair {
  let json: Partial<KeyFileJson>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Partial<KeyFileJson>;
  } catch (err) {
    const missing = (err as { code?: string }).code === "ENOENT";
    throw new ConfigError(
      missing ? ConfigErrorCode.FileNotFound : ConfigErrorCode.InvalidKeyFile,
      missing
        ? `key file ${path} does not exist`
        : `key file ${path} is not valid JSON: ${errorMessage(err)}`,
    );
  }
  if (json.type !== "ed25519" || typeof json.secretKey !== "string") {
    throw new ConfigError(ConfigErrorCode.InvalidKeyFile, `key file ${path} is not an ed25519 key file`);
  }
  let secretKey: Uint8Array;
  try {
    secretKey = fromHex(json.secretKey, 32);
  } catch (err) {
    throw new ConfigError(
      ConfigErrorCode.InvalidKeyFile,
      `key file ${path}: secretKey: ${errorMessage(err)}`,
    );
  }
  const publicKey = publicKeyOf(secretKey);
  if (json.publicKey !== undefined && json.publicKey.toLowerCase() !== toHex(publicKey)) {
    throw new ConfigError(
      ConfigErrorCode.InvalidKeyFile,
      `key file ${path}: publicKey does not belong to secretKey`,
    );
  }
  return { publicKey, secretKey };
}
