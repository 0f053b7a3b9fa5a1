/** Operations: what every write returns at once (202) and what agencies follow until it is final. */
import { z } from "zod";
import { operationIdSchema } from "./primitives";

export const OPERATION_KINDS = [
  "issue",
  "redeem",
  "exchange",
  "agreement.propose",
  "agreement.approve",
  "agreement.suspend",
  "settlement.close",
  "settlement.confirm",
  "partner.set",
  "passkey.register",
  "station.redeem",
  "station.exchange",
  "station.enrol",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * queued: journaled, waiting for a transaction; submitted: in a signed transaction sent to the chain;
 * confirmed: mined and succeeded (final); failed: will not take effect (final), with the reason.
 */
export const OPERATION_STATUSES = ["queued", "submitted", "confirmed", "failed"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const FINAL_STATUSES: readonly OperationStatus[] = ["confirmed", "failed"];

/**
 * Why an operation failed, wherever it is written down: the relay's journal, its answers and
 * events, and the SDK's OperationFailedError all carry this one shape.
 */
export const operationErrorSchema = z
  .object({
    name: z.string().meta({ description: "the contract's custom error (e.g. PointsLedgerClaimUsed) or a relay reason" }),
    message: z.string(),
    args: z.record(z.string(), z.string()).optional().meta({ description: "the error's arguments, as strings" }),
  })
  .meta({ id: "OperationError" });
/** The ledger's custom error (e.g. `PointsLedgerClaimUsed`) or a relay reason (e.g. `BatchRejected`), with its arguments as strings. */
export type OperationFailure = z.output<typeof operationErrorSchema>;

export const operationSchema = z
  .object({
    id: operationIdSchema,
    kind: z.enum(OPERATION_KINDS),
    status: z.enum(OPERATION_STATUSES),
    domainId: z.number().int().optional(),
    claimId: z.string().optional().meta({ description: "issuances: the claim id, decimal" }),
    createdAt: z.string().meta({ description: "ISO 8601" }),
    updatedAt: z.string(),
    transaction: z
      .object({
        hash: z.string(),
        nonce: z.number().int(),
        blockNumber: z.number().int().optional().meta({ description: "set once confirmed" }),
      })
      .optional(),
    error: operationErrorSchema.optional(),
  })
  .meta({ id: "Operation" });
export type Operation = z.output<typeof operationSchema>;

export const operationResponseSchema = z.object({ operation: operationSchema }).meta({ id: "OperationResponse" });
export const operationsResponseSchema = z
  .object({ operations: z.array(operationSchema) })
  .meta({ id: "OperationsResponse", description: "one operation per item, in the request's order" });

/** One entry of the agency's event stream (SSE `data:`) and the body of a webhook. */
export const operationEventSchema = z
  .object({
    id: z.string().meta({ description: "event id; send it back as Last-Event-ID to resume" }),
    type: z.enum(["operation.submitted", "operation.confirmed", "operation.failed"]),
    at: z.string(),
    operation: operationSchema,
  })
  .meta({ id: "OperationEvent" });
export type OperationEvent = z.output<typeof operationEventSchema>;
