/**
 * Rows of the journal's tables, the same in SQLite and PostgreSQL, and the records they become;
 * each store's rows.ts adds its own statements.
 */
import type { OperationStatus } from "../../sdk/src/wire/operations";
import type { OperationRecord, TransactionRecord } from "./journal";

export interface OperationRow {
  seq: number;
  id: string;
  kind: string;
  agency: string | null;
  signer: string;
  domain_id: number | null;
  claim_id: string | null;
  payload: string;
  status: string;
  attempts: number;
  error: string | null;
  created_at: number;
  updated_at: number;
  tx_id: number | null;
  tx_hash: string | null;
  tx_nonce: number | null;
  tx_block: number | null;
}

export interface TransactionRow {
  id: number;
  signer: string;
  nonce: number;
  hash: string;
  raw: string;
  kind: string;
  status: string;
  block_number: number | null;
  sent_at: number | null;
  created_at: number;
}

/** An operation with the transaction that carries it now; append a WHERE clause. */
export const OPERATION_SELECT = `SELECT o.seq, o.id, o.kind, o.agency, o.signer, o.domain_id, o.claim_id, o.payload, o.status, o.attempts,
  o.error, o.created_at, o.updated_at, o.tx_id, t.hash AS tx_hash, t.nonce AS tx_nonce, t.block_number AS tx_block
  FROM operations o LEFT JOIN transactions t ON t.id = o.tx_id`;

export function toOperation(row: OperationRow): OperationRecord {
  return {
    seq: row.seq,
    id: row.id,
    kind: row.kind as OperationRecord["kind"],
    agency: row.agency,
    signer: row.signer,
    domainId: row.domain_id,
    claimId: row.claim_id,
    payload: JSON.parse(row.payload),
    status: row.status as OperationStatus,
    attempts: row.attempts,
    error: row.error ? JSON.parse(row.error) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    transaction:
      row.tx_id !== null && row.tx_hash !== null
        ? { id: row.tx_id, hash: row.tx_hash, nonce: row.tx_nonce!, blockNumber: row.tx_block }
        : null,
  };
}

export function toTransaction(row: TransactionRow): TransactionRecord {
  return {
    id: row.id,
    signer: row.signer,
    nonce: row.nonce,
    hash: row.hash,
    raw: row.raw,
    kind: row.kind,
    status: row.status as TransactionRecord["status"],
    blockNumber: row.block_number,
    sentAt: row.sent_at,
    createdAt: row.created_at,
  };
}
