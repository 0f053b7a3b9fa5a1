/**
 * How every write route answers: it names the write for the service (its scope's Idempotency-Key
 * and the hash of method, path and body: the same key and body give the same operations back) and
 * answers 202 with the operation(s) the service accepted.
 */
import { operationResponseSchema, operationsResponseSchema } from "../../sdk/src/wire/operations";
import { presentOperation } from "../events/present";
import type { HandlerContext } from "../http/route";
import { requestHash, type WriteRequest } from "../services/intake";
import type { OperationRecord } from "../store/journal";

type AnyContext = HandlerContext<unknown, unknown, unknown>;

export const acceptedOne = { 202: { description: "accepted; the operation follows", schema: operationResponseSchema } };
export const acceptedMany = { 202: { description: "accepted; one operation per item, in order", schema: operationsResponseSchema } };

function writeRequest(ctx: AnyContext, scope: string): WriteRequest {
  return { scope, idempotencyKey: ctx.idempotencyKey, requestHash: requestHash(ctx.req.method, ctx.req.originalUrl, ctx.res.locals.rawBody) };
}

/** A write under the signing agency's keys. */
export const agencyWrite = (ctx: AnyContext): WriteRequest => writeRequest(ctx, `agency:${ctx.agency!.name}`);
/** A resident's own submission, under the resident's keys. */
export const residentWrite = (ctx: AnyContext, resident: string): WriteRequest => writeRequest(ctx, `resident:${resident.toLowerCase()}`);

export function answerOne(operation: OperationRecord) {
  return { status: 202, body: { operation: presentOperation(operation) } };
}

export function answerMany(operations: OperationRecord[]) {
  return { status: 202, body: { operations: operations.map(presentOperation) } };
}
