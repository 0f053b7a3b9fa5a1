import { OperationFailedError, OperationTimeoutError } from "../../errors/relay";
import { FINAL_STATUSES } from "../../wire/operations";
import { sleep, type RelayTransport } from "../transport";
import type { Operation } from "../types";
import { getOperation } from "./getOperation";

export interface WaitForOperationOptions {
  /** Give up (OperationTimeoutError) after this long. 60,000 ms by default. */
  timeoutMs?: number;
  /** First pause between reads; grows by half each time up to 1 s. 100 ms by default. */
  pollIntervalMs?: number;
  /** A failed operation throws OperationFailedError (the default); false returns it instead. */
  throwOnFailure?: boolean;
  signal?: AbortSignal;
}

export type WaitForOperationReturnType = Operation;

const MAX_POLL_MS = 1_000;

/**
 * Waits until an operation is final. Returns it when `confirmed` (its transaction's block is
 * final: the chain's finality is immediate); a `failed` one throws OperationFailedError whose
 * `errorName` is the ledger's error (e.g. PointsLedgerClaimUsed), unless `throwOnFailure` is false.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const op = await client.issuePoints({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5", amount: 5n, claimId: 7n });
 * try {
 *   const done = await client.waitForOperation(op.id, { timeoutMs: 30_000 });
 *   console.log("in block", done.transaction?.blockNumber);
 * } catch (error) {
 *   if (error instanceof OperationFailedError) console.log("refused:", error.errorName, error.errorArgs);
 *   else throw error;
 * }
 */
export async function waitForOperation(
  transport: RelayTransport,
  id: string | { id: string },
  options: WaitForOperationOptions = {},
): Promise<WaitForOperationReturnType> {
  const opId = typeof id === "string" ? id : id.id;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let interval = options.pollIntervalMs ?? 100;
  let last: Operation | undefined;
  for (;;) {
    last = await getOperation(transport, opId, { signal: options.signal });
    if (FINAL_STATUSES.includes(last.status)) {
      if (last.status === "failed" && options.throwOnFailure !== false) throw new OperationFailedError(last);
      return last;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new OperationTimeoutError(opId, timeoutMs, last.status);
    await sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(MAX_POLL_MS, Math.ceil(interval * 1.5));
  }
}
