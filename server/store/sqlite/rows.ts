/** The SQLite journal's statements over the shared rows (../rows.ts). */
import { OPERATION_SELECT } from "../rows";

export { OPERATION_SELECT, toOperation, toTransaction, type OperationRow, type TransactionRow } from "../rows";

export const OPERATION_BY_ID = `${OPERATION_SELECT} WHERE o.id = ?`;

/** Fails an operation that is not final yet: (error JSON, updated_at, id). */
export const FAIL_OPERATION = "UPDATE operations SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')";

/** A signer's queued operations in order: (signer, limit). Read in the order of operations_by_status (migration 2), never sorted. */
export const QUEUED_OPERATIONS = `${OPERATION_SELECT} WHERE o.signer = ? AND o.status = 'queued' ORDER BY o.seq LIMIT ?`;

/** Unfinished operations, counted over a range of operations_by_status. */
export const COUNT_UNFINISHED = "SELECT COUNT(*) AS n FROM operations WHERE status IN ('queued', 'submitted')";
