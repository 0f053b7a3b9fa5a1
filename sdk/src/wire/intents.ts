/** Residents' signed intents as they travel over HTTP (the types themselves are in ../eip712.ts). */
import { z } from "zod";
import type { ExchangeIntent, RedeemIntent } from "../eip712";
import type { PasskeyAssertion } from "../resident/passkeys/assertion";
import { passkeyAssertionSchema } from "./passkeys";
import { addressSchema, amountSchema, bytes32Schema, domainIdSchema, intentAmountSchema, signatureSchema, uint256Schema } from "./primitives";

export const exchangeIntentWireSchema = z
  .strictObject({
    resident: addressSchema,
    fromDomain: domainIdSchema,
    toDomain: domainIdSchema,
    amountIn: amountSchema,
    minAmountOut: intentAmountSchema,
    nonce: uint256Schema,
    deadline: uint256Schema.meta({ description: "unix seconds" }),
  })
  .meta({ id: "ExchangeIntent" });

export const redeemIntentWireSchema = z
  .strictObject({
    resident: addressSchema,
    domainId: domainIdSchema,
    amount: amountSchema,
    partner: addressSchema,
    orderRef: bytes32Schema.meta({ description: "salted hash of the order reference (sdk referenceHash)" }),
    nonce: uint256Schema,
    deadline: uint256Schema,
  })
  .meta({ id: "RedeemIntent" });

/** An intent is authorised by the resident's ECDSA signature or, for a passkey account, by a WebAuthn assertion. */
export const exchangeRequestSchema = z
  .union([
    z.strictObject({ intent: exchangeIntentWireSchema, signature: signatureSchema }),
    z.strictObject({ intent: exchangeIntentWireSchema, passkey: passkeyAssertionSchema }),
  ])
  .meta({ id: "ExchangeRequest" });
export const redeemRequestSchema = z
  .union([
    z.strictObject({ intent: redeemIntentWireSchema, signature: signatureSchema }),
    z.strictObject({ intent: redeemIntentWireSchema, passkey: passkeyAssertionSchema }),
  ])
  .meta({ id: "RedeemRequest" });

/** How an intent is authorised: `signature` (ECDSA account) or `passkey` (passkey account). */
export type IntentAuthorisation = { signature: `0x${string}`; passkey?: never } | { passkey: PasskeyAssertion; signature?: never };
export type ExchangeRequest = { intent: ExchangeIntent } & IntentAuthorisation;
export type RedeemRequest = { intent: RedeemIntent } & IntentAuthorisation;

/** An intent as it travels and is stored as JSON: its bigints as decimal strings. */
export type WireIntent<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] };

/** The wire form of an intent: bigints as decimal strings, ready for JSON. */
export function intentToWire<T extends object>(intent: T): WireIntent<T> {
  return Object.fromEntries(Object.entries(intent).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])) as WireIntent<T>;
}

/** The intent back from its wire form (`intentToWire`): decimal strings become bigints again. */
export function intentFromWire<T extends object>(wire: WireIntent<T>): T {
  return Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, typeof v === "string" && /^[0-9]+$/.test(v) ? BigInt(v) : v])) as T;
}
