/** Settlement statements per period, and confirming one's own position. */
import { z } from "zod";
import { bytes32Schema } from "./primitives";

export const confirmSettlementRequestSchema = z
  .strictObject({ paymentRef: bytes32Schema.meta({ description: "salted hash of the payment reference, non-zero" }) })
  .refine((r) => /[1-9a-f]/.test(r.paymentRef.slice(2)), { path: ["paymentRef"], message: "paymentRef must not be zero" })
  .meta({ id: "ConfirmSettlementRequest" });

export const settlementPositionSchema = z.object({
  domainId: z.number().int(),
  net: z.string().meta({ description: "signed decimal: positive owed to the agency, negative owed by it" }),
  confirmed: z.boolean(),
  paymentRef: z.string().optional(),
});

export const settlementStatementSchema = z
  .object({
    period: z.number().int(),
    currentPeriod: z.number().int(),
    closed: z.boolean(),
    positions: z.array(settlementPositionSchema).meta({ description: "non-zero positions once closed" }),
  })
  .meta({ id: "SettlementStatement" });
