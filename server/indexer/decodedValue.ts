/**
 * Decoded event and call arguments as JSON: bigints become decimal strings (JSON numbers lose
 * precision past 2^53), numbers, booleans and strings stay, structs and arrays are followed.
 */
import type { DecodedValue } from "../../sdk/src/wire/ledger";

export function toDecodedValue(value: unknown): DecodedValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toDecodedValue);
  if (typeof value === "object") return toDecodedArgs(value as Record<string, unknown>);
  return String(value);
}

export function toDecodedArgs(args: Record<string, unknown>): Record<string, DecodedValue> {
  const out: Record<string, DecodedValue> = {};
  for (const [name, value] of Object.entries(args)) out[name] = toDecodedValue(value);
  return out;
}
