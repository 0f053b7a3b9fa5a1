/**
 * How every write route answers: the request is accepted under its scope's Idempotency-Key (the same
 * key and body give the same operations back) and answered 202 with its operations.
 */
import { operationResponseSchema } from "../../sdk/src/wire/operations";
import type { RelayDeps } from "../deps";
import { presentOperation } from "../events/present";
import type { HandlerContext } from "../http/route";
import { requestHash } from "../services/intake";
import type { NewOperation, OperationRecord } from "../store/journal";

type AnyContext = HandlerContext<unknown, unknown, unknown>;

export const acceptedOne = { 202: { description: "accepted; the operation follows", schema: operationResponseSchema } };

/** Accepts the operations `prepare` builds (it runs only for a request not seen before). */
export async function acceptWrite(deps: RelayDeps, ctx: AnyContext, scope: string, prepare: () => Promise<NewOperation[]>): Promise<OperationRecord[]> {
  const hash = requestHash(ctx.req.method, ctx.req.originalUrl, ctx.res.locals.rawBody);
  const { operations } = await deps.intake.accept(scope, ctx.idempotencyKey, hash, prepare);
  return operations;
}

/** acceptWrite for a request that is one operation, answered as the 202 body. */
export async function acceptOne(deps: RelayDeps, ctx: AnyContext, scope: string, prepare: () => Promise<NewOperation>) {
  const [operation] = await acceptWrite(deps, ctx, scope, async () => [await prepare()]);
  return { status: 202, body: { operation: presentOperation(operation) } };
}

export const agencyScope = (ctx: AnyContext): string => `agency:${ctx.agency!.name}`;
export const residentScope = (resident: string): string => `resident:${resident.toLowerCase()}`;
