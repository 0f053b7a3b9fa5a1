/**
 * The partner directory: the display names a domain's agency gives its partners (shops, venues,
 * transport counters), which the partners' checkout and the residents' wallet show instead of an
 * address. A business's name is not personal data; the directory is kept by the relay, and the
 * chain stays the authority on who is a partner (`isPartner`).
 */
import { z } from "zod";
import { addressSchema, domainIdParamSchema, domainIdSchema } from "./primitives";

/** A display name: what a resident reads on the payment screen. Plain text, no control characters. */
export const partnerNameSchema = z
  .string()
  .trim()
  .min(1, "a partner's name must not be empty")
  .max(80, "a partner's name is at most 80 characters")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "a partner's name must not contain control characters")
  .meta({ description: "the partner's display name, as its agency gives it", example: "社区便民超市" });

/**
 * `PUT /v1/partners/:address/name` (the domain's agency; the domain is the agency's own). Beside
 * `PUT /v1/partners/:address`, which registers the partner on chain.
 */
export const partnerNameRequestSchema = z.strictObject({ name: partnerNameSchema });
export type PartnerNameRequest = z.infer<typeof partnerNameRequestSchema>;

export const partnerEntrySchema = z.strictObject({
  domainId: domainIdSchema,
  address: addressSchema,
  name: partnerNameSchema,
  /** Unix seconds of the agency's last change. */
  updatedAt: z.number().int().nonnegative(),
});
export type PartnerEntry = z.infer<typeof partnerEntrySchema>;

/** `GET /v1/partners` (optionally `?domain=`) and `GET /v1/partners/:address` (every domain's entry for it). */
export const partnerListSchema = z.strictObject({ partners: z.array(partnerEntrySchema) });
export type PartnerList = z.infer<typeof partnerListSchema>;

/** The answer to `PUT /v1/partners/:address/name`: the entry as stored. */
export const partnerEntryResponseSchema = z.strictObject({ partner: partnerEntrySchema });
export type PartnerEntryResponse = z.infer<typeof partnerEntryResponseSchema>;

/** `GET /v1/partners?domain=`: one domain's entries, or every domain's without it. */
export const partnerListQuerySchema = z.strictObject({ domain: domainIdParamSchema.optional() });
export type PartnerListQuery = z.output<typeof partnerListQuerySchema>;
