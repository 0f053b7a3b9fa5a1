/** Issuance requests: one resident, or a batch. The domain is the agency's own; naming another is 403. */
import { z } from "zod";
import { addressSchema, amountSchema, claimIdSchema, domainIdSchema, MAX_BATCH_ITEMS } from "./primitives";

export const issuanceItemSchema = z.strictObject({
  resident: addressSchema.meta({ description: "the resident credited (pseudonymous address)" }),
  amount: amountSchema,
  claimId: claimIdSchema,
});

export const issueRequestSchema = issuanceItemSchema
  .extend({ domainId: domainIdSchema.optional().meta({ description: "defaults to the agency's domain" }) })
  .meta({ id: "IssueRequest" });
export type IssueRequest = z.output<typeof issueRequestSchema>;

export const issueBatchRequestSchema = z
  .strictObject({
    domainId: domainIdSchema.optional(),
    items: z.array(issuanceItemSchema).min(1, "items must not be empty").max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items`),
  })
  .superRefine((req, ctx) => {
    const seen = new Set<bigint>();
    req.items.forEach((item, i) => {
      if (seen.has(item.claimId)) ctx.addIssue({ code: "custom", path: ["items", i, "claimId"], message: "claimId repeats an earlier item" });
      seen.add(item.claimId);
    });
  })
  .meta({ id: "IssueBatchRequest", description: "each item becomes its own operation, confirmed or failed on its own" });
export type IssueBatchRequest = z.output<typeof issueBatchRequestSchema>;
