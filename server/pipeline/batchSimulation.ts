/**
 * Before a batch is signed it is simulated. A batch is all-or-nothing on chain, so each item that
 * would sink it is found, failed with its own decoded error, and left out; the rest go ahead.
 */
import type { Address } from "viem";
import type { ChainGateway } from "../chain/gateway";
import { batchGasLimit, issueBatchData } from "../chain/calls";
import { issuePayload } from "../payloads";
import type { OperationFailure, OperationRecord } from "../store/journal";

/** Errors about the batch as a whole: every item fails with them. */
const BATCH_WIDE = new Set([
  "PointsLedgerPaused",
  "PointsLedgerDomainPaused",
  "PointsLedgerUnknownDomain",
  "PointsLedgerNotIssuer",
  "PointsLedgerIssuerSuspended",
  "PointsLedgerInvalidBatchSize",
]);

export interface BatchVerdict {
  ready: OperationRecord[];
  failed: { id: string; error: OperationFailure }[];
}

export async function simulateBatch(
  gateway: ChainGateway,
  from: Address,
  ledger: Address,
  domainId: number,
  ops: OperationRecord[],
): Promise<BatchVerdict> {
  const simulate = (items: OperationRecord[]) =>
    gateway.simulate(from, ledger, issueBatchData(domainId, items), batchGasLimit(items.length));
  let ready = ops;
  const failed: BatchVerdict["failed"] = [];
  while (ready.length > 0) {
    const outcome = await simulate(ready);
    if (outcome.ok) break;
    const failure = outcome.failure;
    if (BATCH_WIDE.has(failure.name)) {
      failed.push(...ready.map((op) => ({ id: op.id, error: failure })));
      return { ready: [], failed };
    }
    const culprit = attribute(failure, ready) ?? (await shortestFailingPrefix(ready, simulate));
    failed.push({ id: culprit.op.id, error: culprit.error });
    ready = ready.filter((op) => op !== culprit.op);
  }
  return { ready, failed };
}

/** The item an error names, when it names exactly one (a used claim id, a resident's cap). */
function attribute(failure: OperationFailure, ops: OperationRecord[]): { op: OperationRecord; error: OperationFailure } | undefined {
  const args = failure.args ?? {};
  if (failure.name === "PointsLedgerClaimUsed") {
    const op = ops.find((o) => o.claimId === args.claimId);
    return op && { op, error: failure };
  }
  if (failure.name === "PointsLedgerResidentCapExceeded" || failure.name === "PointsLedgerInvalidAddress") {
    const resident = (args.resident ?? args.account ?? "").toLowerCase();
    const candidates = ops.filter((o) => {
      const item = issuePayload(o);
      return item.resident.toLowerCase() === resident && (args.requested === undefined || item.amount === args.requested);
    });
    return candidates.length === 1 ? { op: candidates[0], error: failure } : undefined;
  }
  return undefined;
}

/**
 * The ledger stops at the first failing item (or, for the quota, at the item that crosses it), so
 * the last item of the shortest failing prefix is the one to drop. Binary search: log2(n) calls.
 */
async function shortestFailingPrefix(
  ops: OperationRecord[],
  simulate: (items: OperationRecord[]) => ReturnType<ChainGateway["simulate"]>,
): Promise<{ op: OperationRecord; error: OperationFailure }> {
  let lo = 1;
  let hi = ops.length;
  let error: OperationFailure | undefined;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const outcome = await simulate(ops.slice(0, mid));
    if (outcome.ok) lo = mid + 1;
    else {
      hi = mid;
      error = outcome.failure;
    }
  }
  if (!error) {
    const outcome = await simulate(ops.slice(0, hi));
    error = outcome.ok ? { name: "BatchRejected", message: "the batch failed only as a whole" } : outcome.failure;
  }
  return { op: ops[hi - 1], error };
}
