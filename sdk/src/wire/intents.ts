/** Residents' signed intents as they travel over HTTP (the types themselves are in ../eip712.ts). */
import { z } from "zod";
import type { ExchangeIntent, RedeemIntent } from "../eip712";
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

export const exchangeRequestSchema = z
  .strictObject({ intent: exchangeIntentWireSchema, signature: signatureSchema })
  .meta({ id: "ExchangeRequest" });
export const redeemRequestSchema = z
  .strictObject({ intent: redeemIntentWireSchema, signature: signatureSchema })
  .meta({ id: "RedeemRequest" });

export type ExchangeRequest = { intent: ExchangeIntent; signature: `0x${string}` };
export type RedeemRequest = { intent: RedeemIntent; signature: `0x${string}` };

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
