// Names the pages show for wire values. The browser cannot load the node's modules, so these are
// copies; test/explorer/web.test.ts checks them against src/compliance and src/types.

/** The twenty compliance domains in SPEC order (a domain's wire value is its index). */
export const DOMAINS = [
  "aml",
  "kyc",
  "sanctions",
  "tax",
  "securities",
  "corporate",
  "custody",
  "data_privacy",
  "licensing",
  "banking",
  "payments",
  "clearing",
  "settlement",
  "digital_assets",
  "employment",
  "immigration",
  "ip",
  "consumer_protection",
  "arbitration",
  "trade",
] as const;

/** Compliance states by wire value, lowest of the lattice first. */
export const COMPLIANCE_STATES = [
  "NON_COMPLIANT",
  "EXPIRED",
  "SUSPENDED",
  "UNKNOWN",
  "PENDING",
  "COMPLIANT",
  "EXEMPT",
] as const;

/** Transaction kinds by wire value (TxKind). */
export const TX_KINDS = ["Transfer", "Deploy", "Call", "Attest", "Migrate", "Corridor"] as const;

/** Corridor lifecycle states by wire value (CorridorState). */
export const CORRIDOR_STATES = ["DRAFT", "PENDING", "ACTIVE", "HALTED", "SUSPENDED", "DEPRECATED"] as const;

/** Corridor roles by wire value (CorridorRole). */
export const CORRIDOR_ROLES = ["Proposer", "Acceptor"] as const;

/** Corridor message kinds by wire value (CorridorMessageKind). */
export const CORRIDOR_MESSAGE_KINDS = ["Departure", "Refusal", "Settlement", "Expiry", "Expired"] as const;

export function nameOf(names: readonly string[], code: number): string {
  return names[code] ?? `UNKNOWN_${code}`;
}
