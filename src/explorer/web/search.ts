// What a search box entry names, before asking the node (pure: the tests run it under Node).

export type SearchQuery =
  | { kind: "height"; height: string }
  | { kind: "corridor"; id: string }
  /** 32 bytes: a transaction hash, a transit id, a block hash or an address, in that order of asking. */
  | { kind: "hash"; hex: string }
  | { kind: "invalid"; message: string };

/** A harbor id: printable ASCII, no space or "~", at most 32 characters (HarborId). */
const HARBOR_ID = /^[\x21-\x7d]{1,32}$/;

export function classify(input: string): SearchQuery {
  const q = input.trim();
  if (q === "")
    return { kind: "invalid", message: "type a height, a hash, an address, a transit or corridor id" };
  if (/^\d{1,16}$/.test(q)) return { kind: "height", height: String(Number(q)) };
  if (q.includes("~")) {
    const parts = q.split("~");
    if (parts.length === 2 && parts.every((p) => HARBOR_ID.test(p))) {
      return { kind: "corridor", id: [...parts].sort().join("~") };
    }
    return { kind: "invalid", message: "a corridor id is two harbor ids joined by ~ (ae-difc~pk-sifc)" };
  }
  const hex = q.startsWith("0x") || q.startsWith("0X") ? q.slice(2) : q;
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return { kind: "hash", hex: `0x${hex.toLowerCase()}` };
  return { kind: "invalid", message: `"${q.slice(0, 80)}" is no height, 32-byte hex value or corridor id` };
}
