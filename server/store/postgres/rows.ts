/** The PostgreSQL journal's statements over the shared rows (../rows.ts); int8 columns arrive as numbers (see db.ts). */
export { OPERATION_SELECT, toOperation, toTransaction, type OperationRow, type TransactionRow } from "../rows";

export const TRANSACTION_COLUMNS = "id, signer, nonce, hash, raw, kind, status, block_number, sent_at, created_at";

/** Fails operations that are not final yet: ($1 error JSON, $2 updated_at, $3 ids); returns their ids. */
export const FAIL_OPERATIONS =
  "UPDATE operations SET status = 'failed', error = $1, updated_at = $2 WHERE id = ANY($3::text[]) AND status IN ('queued', 'submitted') RETURNING id";
