/**
 * Community stations over HTTP: an operation done for a resident at a station carries the
 * resident's own passkey assertion (as a passkey-authorised intent does) and the staff member's
 * stamp (an assertion of `stationStampDigest` for today, see sdk/src/stations/stamp.ts);
 * a new card's enrolment carries the registration and the stamp. Browser-importable.
 */
import { z } from "zod";
import type { ExchangeIntent, RedeemIntent } from "../eip712";
import type { PasskeyAssertion } from "../resident/passkeys/assertion";
import { exchangeIntentWireSchema, redeemIntentWireSchema } from "./intents";
import { passkeyAssertionSchema, passkeyRegistrationRequestSchema, type PasskeyRegistrationRequest } from "./passkeys";
import { addressSchema, MAX_UINT32 } from "./primitives";

export const stationIdParamSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "station id must be a positive integer")
  .transform(Number)
  .pipe(z.number().int().max(MAX_UINT32, "station id must fit in 32 bits"));

export const staffStampSchema = z
  .strictObject({
    account: addressSchema.meta({ description: "the staff member's passkey account" }),
    passkey: passkeyAssertionSchema.meta({ description: "the staff member's assertion of the StationStamp digest for today (UTC)" }),
  })
  .meta({ id: "StaffStamp" });

export const stationRedemptionRequestSchema = z
  .strictObject({ intent: redeemIntentWireSchema, passkey: passkeyAssertionSchema, staff: staffStampSchema })
  .meta({ id: "StationRedemptionRequest" });
export const stationExchangeRequestSchema = z
  .strictObject({ intent: exchangeIntentWireSchema, passkey: passkeyAssertionSchema, staff: staffStampSchema })
  .meta({ id: "StationExchangeRequest" });
export const stationEnrolmentRequestSchema = passkeyRegistrationRequestSchema
  .extend({ staff: staffStampSchema })
  .meta({ id: "StationEnrolmentRequest" });

export type StaffStamp = { account: `0x${string}`; passkey: PasskeyAssertion };
export type StationRedemptionRequest = { intent: RedeemIntent; passkey: PasskeyAssertion; staff: StaffStamp };
export type StationExchangeRequest = { intent: ExchangeIntent; passkey: PasskeyAssertion; staff: StaffStamp };
export type StationEnrolmentRequest = PasskeyRegistrationRequest & { staff: StaffStamp };

export const stationResponseSchema = z
  .object({
    id: z.number().int(),
    contract: addressSchema.meta({ description: "the stations contract: the verifyingContract of the stamp a terminal asks staff to sign" }),
    name: z.string(),
    dailyLimit: z.number().int(),
    active: z.boolean(),
    day: z.number().int().meta({ description: "today, as unix seconds / 86 400 (UTC): the day a stamp names" }),
    countToday: z.number().int().meta({ description: "assisted operations on chain today" }),
  })
  .meta({ id: "Station" });
export type StationResponse = z.output<typeof stationResponseSchema>;

export const stationStaffResponseSchema = z
  .object({ stationId: z.number().int(), account: z.string(), staff: z.boolean() })
  .meta({ id: "StationStaff" });
