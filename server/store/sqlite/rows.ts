/** The SQLite journal's statements over the shared rows (../rows.ts). */
import { OPERATION_SELECT } from "../rows";

export { OPERATION_SELECT, toOperation, toTransaction, type OperationRow, type TransactionRow } from "../rows";

export const OPERATION_BY_ID = `${OPERATION_SELECT} WHERE o.id = ?`;

/** Fails an operation that is not final yet: (error JSON, updated_at, id). */
export const FAIL_OPERATION = "UPDATE operations SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')";
