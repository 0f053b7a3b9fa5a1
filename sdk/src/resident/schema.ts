/**
 * zod schemas of residents' intents: amounts as bigint in code, accepted as decimal strings from the
 * wire. The field lists follow sdk/src/eip712.ts; the limits are the ledger's (amounts 1..2^64-1,
 * domain ids uint32 from 1).
 */
import { z } from "zod";
import { getAddress, type Address, type Hex } from "viem";

export const MAX_AMOUNT = 2n ** 64n - 1n;
const MAX_UINT128 = 2n ** 128n - 1n;
const MAX_UINT256 = 2n ** 256n - 1n;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((a) => getAddress(a) as Address);

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((h) => h.toLowerCase() as Hex);

/** A non-negative integer given as bigint, safe integer or decimal string, up to `max`. */
function uint(max: bigint, min = 0n) {
  return z
    .union([
      z.bigint(),
      z.number().int(),
      z.string().regex(/^(0|[1-9][0-9]{0,77})$/, "must be a decimal integer string"),
    ])
    .transform((v) => BigInt(v))
    .refine((v) => v >= min && v <= max, { message: `must be between ${min} and ${max}` });
}

const domainId = z
  .union([z.number().int(), z.string().regex(/^[1-9][0-9]{0,9}$/)])
  .transform((v) => Number(v))
  .refine((v) => v >= 1 && v <= 0xffffffff, { message: "must be a domain id from 1 to 2^32-1" });

const amount = uint(MAX_AMOUNT, 1n);

export const exchangeIntentSchema = z
  .object({
    resident: address,
    fromDomain: domainId,
    toDomain: domainId,
    amountIn: amount,
    minAmountOut: uint(MAX_UINT128),
    nonce: uint(MAX_UINT256),
    deadline: uint(MAX_UINT256),
  })
  .strict()
  .refine((i) => i.fromDomain !== i.toDomain, { message: "fromDomain and toDomain must differ", path: ["toDomain"] });

export const redeemIntentSchema = z
  .object({
    resident: address,
    domainId,
    amount,
    partner: address,
    orderRef: bytes32,
    nonce: uint(MAX_UINT256),
    deadline: uint(MAX_UINT256),
  })
  .strict();

export const transferIntentSchema = z
  .object({
    resident: address,
    domainId,
    to: address,
    amount,
    nonce: uint(MAX_UINT256),
    deadline: uint(MAX_UINT256),
  })
  .strict()
  .refine((i) => i.to !== i.resident, { message: "a resident cannot transfer to themselves", path: ["to"] });

export const intentSchemas = {
  ExchangeIntent: exchangeIntentSchema,
  RedeemIntent: redeemIntentSchema,
  TransferIntent: transferIntentSchema,
} as const;

/** What each schema accepts: the message, with amounts as bigint, number or decimal string. */
export type IntentInput<K extends keyof typeof intentSchemas> = z.input<(typeof intentSchemas)[K]>;
