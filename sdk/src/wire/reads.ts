/** Read-only responses: domains and supply, balances, quotes, history, quota. */
import { z } from "zod";
import { addressSchema, decimalSchema, domainIdSchema } from "./primitives";

export const domainSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    agency: z.string(),
    pointValue: z.number().int(),
    residentCap: z.string(),
    transferable: z.boolean(),
    paused: z.boolean(),
    supply: z.string(),
  })
  .meta({ id: "Domain" });
export const domainsResponseSchema = z
  .object({ domains: z.array(domainSchema), currentPeriod: z.number().int(), periodSeconds: z.number().int() })
  .meta({ id: "DomainsResponse" });
export const supplyResponseSchema = z
  .object({ supply: z.array(z.object({ domainId: z.number().int(), supply: z.string() })) })
  .meta({ id: "SupplyResponse" });

export const balancesResponseSchema = z
  .object({
    resident: z.string(),
    balances: z.array(z.object({ domainId: z.number().int(), balance: z.string(), nextNonce: z.string() })),
  })
  .meta({ id: "BalancesResponse", description: "nextNonce: the nonce the resident's next intent spending from that domain must carry" });

export const quoteQuerySchema = z
  .strictObject({
    fromDomain: z.string().regex(/^[1-9][0-9]{0,9}$/, "fromDomain must be a positive integer").transform(Number).pipe(domainIdSchema),
    toDomain: z.string().regex(/^[1-9][0-9]{0,9}$/, "toDomain must be a positive integer").transform(Number).pipe(domainIdSchema),
    amountIn: decimalSchema(1n, (1n << 128n) - 1n, "amountIn"),
  })
  .meta({ id: "QuoteQuery" });
export const quoteResponseSchema = z
  .object({ fromDomain: z.number().int(), toDomain: z.number().int(), amountIn: z.string(), amountOut: z.string(), agreementId: z.string(), version: z.number().int() })
  .meta({ id: "QuoteResponse" });

export const historyEntrySchema = z.object({
  type: z.enum(["issued", "exchanged", "redeemed", "transferred-in", "transferred-out"]),
  blockNumber: z.number().int(),
  transactionHash: z.string(),
  domainId: z.number().int().optional(),
  amount: z.string().optional(),
  fromDomain: z.number().int().optional(),
  toDomain: z.number().int().optional(),
  amountIn: z.string().optional(),
  amountOut: z.string().optional(),
  nonce: z.string().optional(),
  issuer: z.string().optional().meta({ description: "issued: the issuer's address" }),
  partner: z.string().optional().meta({ description: "redeemed: the partner's address" }),
  orderRef: z.string().optional().meta({ description: "redeemed: the salted hash of the order reference" }),
  agreementId: z.string().optional().meta({ description: "exchanged: the agreement used, decimal" }),
  version: z.number().int().optional().meta({ description: "exchanged: the agreement's version" }),
});
/**
 * Where a page of history starts: `<block>-<logIndex>` of the first event not yet returned (the
 * previous page's `next`). Opaque to clients; readable so that a page can be asked again.
 */
export const historyCursorSchema = z.string().regex(/^[0-9]{1,15}-[0-9]{1,9}$/, "cursor must be a page's next cursor, <block>-<logIndex>");
export const historyQuerySchema = z.strictObject({ cursor: historyCursorSchema.optional() }).meta({ id: "HistoryQuery" });
export const historyResponseSchema = z
  .object({ resident: z.string(), entries: z.array(historyEntrySchema), next: historyCursorSchema.nullable() })
  .meta({
    id: "HistoryResponse",
    description: "one page of the resident's ledger events, oldest first, read from the chain; next: the cursor of the following page, null once the page reached the chain's head",
  });

export const residentParamSchema = addressSchema;

export const quotaResponseSchema = z
  .object({
    domainId: z.number().int(),
    issuer: z.string(),
    admitted: z.boolean(),
    suspended: z.boolean(),
    quota: z.string(),
    usedThisPeriod: z.string(),
    remaining: z.string(),
    period: z.number().int(),
  })
  .meta({ id: "QuotaResponse" });

export const setPartnerRequestSchema = z.strictObject({ allowed: z.boolean() }).meta({ id: "SetPartnerRequest" });
