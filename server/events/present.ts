/** Journal records as the API shows them. */
import type { Operation, OperationEvent } from "../../sdk/src/wire/operations";
import type { EventOperation, JournalEvent } from "../store/journal";

export function presentOperation(op: EventOperation): Operation {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    ...(op.domainId !== null ? { domainId: op.domainId } : {}),
    ...(op.claimId !== null ? { claimId: op.claimId } : {}),
    createdAt: new Date(op.createdAt).toISOString(),
    updatedAt: new Date(op.updatedAt).toISOString(),
    ...(op.transaction && op.status !== "queued"
      ? {
          transaction: {
            hash: op.transaction.hash,
            nonce: op.transaction.nonce,
            ...(op.status === "confirmed" && op.transaction.blockNumber !== null ? { blockNumber: op.transaction.blockNumber } : {}),
          },
        }
      : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}

export function presentEvent(event: JournalEvent): OperationEvent {
  return { id: String(event.seq), type: event.type, at: new Date(event.at).toISOString(), operation: presentOperation(event.operation) };
}
