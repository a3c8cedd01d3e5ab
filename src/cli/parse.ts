import { InvalidArgumentError } from "commander";

/** A commander parser for an integer option within [min, max], with a message naming the option. */
export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be an integer, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max)
      throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

/** A commander parser for a non-negative bigint amount. */
export function parseAmount(name: string) {
  return (value: string): bigint => {
    if (!/^\d+$/.test(value))
      throw new InvalidArgumentError(`${name} must be a whole number of units, got "${value}"`);
    return BigInt(value);
  };
}
