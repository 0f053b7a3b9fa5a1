import { operationResponseSchema } from "../../wire/operations";
import { operationIdSchema } from "../../wire/primitives";
import { checkedParam, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toOperation, type Operation } from "../types";

export type GetOperationParameters = ReadOptions;
export type GetOperationReturnType = Operation;

/**
 * An operation as it is now: queued, submitted (with its transaction), confirmed (with its block)
 * or failed (with the ledger's error). Another agency's operation is ForbiddenError.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const op = await client.getOperation("op_3f1c9a0e5b7d4c2a8e6f1b0d9c7a5e3f");
 * if (op.status === "failed") console.log(op.error?.name);
 */
export async function getOperation(transport: RelayTransport, id: string | { id: string }, params: GetOperationParameters = {}): Promise<GetOperationReturnType> {
  const opId = checkedParam(operationIdSchema, typeof id === "string" ? id : id.id, "operation id");
  return read(transport, `/v1/operations/${opId}`, operationResponseSchema, (a) => toOperation(a.operation), params);
}
