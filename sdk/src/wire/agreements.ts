/** Agreements between domains: proposals, approvals, suspension, and what is in force. */
import { z } from "zod";
import { decimalSchema, domainIdSchema, periodSchema } from "./primitives";

const rate = z.number().int("rate must be an integer").min(1).max(2 ** 40 - 1);

export const proposeAgreementRequestSchema = z
  .strictObject({
    fromDomain: domainIdSchema,
    toDomain: domainIdSchema,
    rateNum: rate,
    rateDen: rate,
    periodCap: decimalSchema(0n, (1n << 64n) - 1n, "periodCap").meta({ description: "points in per period; 0 for no cap" }),
    validFromPeriod: periodSchema,
    validUntilPeriod: periodSchema,
  })
  .refine((r) => r.fromDomain !== r.toDomain, { path: ["toDomain"], message: "toDomain must differ from fromDomain" })
  .refine((r) => r.validFromPeriod <= r.validUntilPeriod, { path: ["validUntilPeriod"], message: "validUntilPeriod must not precede validFromPeriod" })
  .meta({ id: "ProposeAgreementRequest", description: "amountOut = floor(amountIn * rateNum / rateDen)" });
export type ProposeAgreementRequest = z.output<typeof proposeAgreementRequestSchema>;

export const approveAgreementRequestSchema = z
  .strictObject({ version: z.number().int().min(1).max(65_535) })
  .meta({ id: "ApproveAgreementRequest" });
export const suspendAgreementRequestSchema = z
  .strictObject({ suspended: z.boolean() })
  .meta({ id: "SuspendAgreementRequest", description: "true suspends; false lifts this side's suspension" });

export const agreementTermsSchema = z.object({
  version: z.number().int(),
  rateNum: z.number().int(),
  rateDen: z.number().int(),
  periodCap: z.string(),
  validFromPeriod: z.number().int(),
  validUntilPeriod: z.number().int(),
});

export const agreementSchema = z
  .object({
    agreementId: z.string(),
    fromDomain: z.number().int(),
    toDomain: z.number().int(),
    inForce: z.boolean().meta({ description: "a version approved by both, not suspended, within its window now" }),
    current: agreementTermsSchema.optional(),
    suspendedByFrom: z.boolean(),
    suspendedByTo: z.boolean(),
    pending: agreementTermsSchema.extend({ approvedByFrom: z.boolean(), approvedByTo: z.boolean() }).optional(),
  })
  .meta({ id: "Agreement" });
export const agreementsResponseSchema = z.object({ agreements: z.array(agreementSchema) }).meta({ id: "AgreementsResponse" });
