/**
 * Scalar types of the relay's HTTP API. Amounts and other big integers travel as decimal strings
 * (JSON numbers lose precision past 2^53) and are parsed to bigint; addresses come back checksummed.
 */
import { z } from "zod";
import { isAddress, type Address, type Hex } from "viem";

export const MAX_UINT256 = (1n << 256n) - 1n;
/** The ledger's largest amount in one movement of points (its MAX_AMOUNT). */
export const MAX_AMOUNT = (1n << 64n) - 1n;
export const MAX_UINT32 = 2 ** 32 - 1;
/** Items of one batch issuance (the ledger's MAX_BATCH). */
export const MAX_BATCH_ITEMS = 500;

/** Mixed case must be a valid EIP-55 checksum; all-lower or all-upper is accepted as is. Parsed to lowercase. */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .refine((a) => !/[a-f]/.test(a.slice(2)) || !/[A-F]/.test(a.slice(2)) || isAddress(a, { strict: true }), "mixed-case address with a wrong EIP-55 checksum")
  .transform((a) => a.toLowerCase() as Address)
  .meta({ description: "EVM address, 0x + 40 hex digits (lowercase, or EIP-55 checksummed)", example: "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4" });

export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((h) => h.toLowerCase() as Hex)
  .meta({ description: "32 bytes, 0x + 64 hex digits" });

export const txHashSchema = bytes32Schema.meta({ description: "transaction hash" });

/** A decimal string for an unsigned integer in [min, max]. */
export function decimalSchema(min: bigint, max: bigint, what: string) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]*)$/, `${what} must be a decimal string of digits (no sign, point or exponent)`)
    .max(78, `${what} is too long`)
    .transform((s) => BigInt(s))
    .refine((v) => v >= min, `${what} must be at least ${min}`)
    .refine((v) => v <= max, `${what} must be at most ${max}`);
}

export const amountSchema = decimalSchema(1n, MAX_AMOUNT, "amount").meta({
  description: "whole points as a decimal string, 1 to 2^64-1",
  example: "100",
});

/** uint128 amounts of intents (the ledger still caps each movement at 2^64-1). */
export const intentAmountSchema = decimalSchema(0n, (1n << 128n) - 1n, "amount").meta({
  description: "decimal string, uint128",
});

export const uint256Schema = decimalSchema(0n, MAX_UINT256, "value").meta({ description: "decimal string, uint256" });

/** Claim ids: a decimal string or 0x-hex, uint256 either way. */
export const claimIdSchema = z
  .string()
  .regex(/^((0|[1-9][0-9]{0,77})|0x[0-9a-fA-F]{1,64})$/, "claimId must be a decimal string or 0x-hex, at most 256 bits")
  .transform((s) => BigInt(s))
  .refine((v) => v <= MAX_UINT256, "claimId must fit in 256 bits")
  .meta({ description: "the agency's claim id (uint256) as a decimal string or 0x-hex; usable once per domain, ever", example: "1042" });

export const domainIdSchema = z
  .number()
  .int("domainId must be an integer")
  .min(1, "domainId starts at 1")
  .max(MAX_UINT32, "domainId must fit in 32 bits")
  .meta({ description: "domain id (1 volunteer, 2 transport, 3 culture, 4 environment, then any the council adds)" });

export const periodSchema = z.number().int().min(0).max(MAX_UINT32).meta({ description: "settlement period number" });

/** Path parameters arrive as strings. */
export const domainIdParamSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "domain id must be a positive integer")
  .transform(Number)
  .pipe(domainIdSchema);
export const periodParamSchema = z.string().regex(/^(0|[1-9][0-9]{0,9})$/, "period must be a non-negative integer").transform(Number).pipe(periodSchema);
export const agreementIdParamSchema = decimalSchema(1n, (1n << 64n) - 1n, "agreement id").meta({
  description: "agreement id: fromDomain << 32 | toDomain, as a decimal string",
});

export const signatureSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, "signature must be 0x + 65 bytes (r, s, v) in hex")
  .transform((s) => s as Hex)
  .meta({ description: "the resident's EIP-712 signature, 65 bytes hex (r || s || v)" });

export const operationIdSchema = z
  .string()
  .regex(/^op_[0-9a-f]{32}$/, "operation id looks like op_ + 32 hex digits")
  .meta({ description: "operation id", example: "op_3f1c9a0e5b7d4c2a8e6f1b0d9c7a5e3f" });
