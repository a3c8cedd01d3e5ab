import { ComplianceError, ComplianceErrorCode } from "./errors.js";

/** The twenty compliance domains in SPEC order; a domain's wire value is its index here. */
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

export type DomainName = (typeof DOMAINS)[number];

/** Wire value of a domain (its index in DOMAINS). */
export type DomainIndex = number;

export const DOMAIN_COUNT = DOMAINS.length;

export function isDomainIndex(value: unknown): value is DomainIndex {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < DOMAIN_COUNT;
}

/** Accepts a snake_case name (any case) or an index. */
export function parseDomain(input: string | number): DomainIndex {
  if (typeof input === "number") {
    if (isDomainIndex(input)) return input;
  } else {
    const index = (DOMAINS as readonly string[]).indexOf(input.trim().toLowerCase());
    if (index >= 0) return index;
  }
  throw new ComplianceError(
    ComplianceErrorCode.InvalidDomain,
    `unknown compliance domain ${JSON.stringify(input)}; expected one of ${DOMAINS.join(", ")}`,
  );
}

export function domainName(index: DomainIndex): DomainName {
  const name = DOMAINS[index];
  if (name === undefined) {
    throw new ComplianceError(ComplianceErrorCode.InvalidDomain, `${index} is not a compliance domain index`);
  }
  return name;
}
