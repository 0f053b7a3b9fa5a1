/**
 * Transactions and signers' nonces on SQLite: each signed transaction (written before it is sent),
 * the operations it carries now (`operations.tx_id`) and every transaction that ever carried an
 * operation (`carried`), and each signer's next nonce. Every status change of a transaction moves
 * its operations in the same SQLite transaction, with their events.
 */
import type Database from "better-sqlite3";
import type { EventType, OperationFailure, OperationRecord, RecordTransaction, TransactionRecord, TransactionStore } from "../journal";
import type { RecordEvent, SqliteEventOutbox } from "./eventOutbox";
import { FAIL_OPERATION, OPERATION_BY_ID, OPERATION_SELECT, toOperation, toTransaction, type OperationRow, type TransactionRow } from "./rows";

export class SqliteTransactionStore implements TransactionStore {
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly outbox: SqliteEventOutbox,
    private readonly now: () => number,
  ) {
    this.s = {
      insert: db.prepare<[string, number, string, string, string, number], TransactionRow>(
        "INSERT INTO transactions (signer, nonce, hash, raw, kind, status, created_at) VALUES (?, ?, ?, ?, ?, 'signed', ?) RETURNING *",
      ),
      byId: db.prepare<[number], TransactionRow>("SELECT * FROM transactions WHERE id = ?"),
      setStatus: db.prepare("UPDATE transactions SET status = ?, block_number = ? WHERE id = ?"),
      markSent: db.prepare("UPDATE transactions SET status = CASE WHEN status = 'signed' THEN 'sent' ELSE status END, sent_at = ? WHERE id = ?"),
      otherLiveAtNonce: db.prepare<[string, number, number], { id: number }>(
        "SELECT id FROM transactions WHERE signer = ? AND nonce = ? AND id <> ? AND status <> 'dropped'",
      ),
      live: db.prepare<[string], TransactionRow>("SELECT * FROM transactions WHERE signer = ? AND status IN ('signed', 'sent') ORDER BY nonce"),
      minedFrom: db.prepare<[string, number], TransactionRow>(
        "SELECT * FROM transactions WHERE signer = ? AND status IN ('confirmed', 'reverted') AND nonce >= ? ORDER BY nonce",
      ),
      usedNonces: db.prepare<[string, number], { nonce: number }>("SELECT nonce FROM transactions WHERE signer = ? AND status <> 'dropped' AND nonce >= ?"),

      insertCarried: db.prepare("INSERT OR IGNORE INTO carried (operation_id, tx_id) VALUES (?, ?)"),
      pastTransactions: db.prepare<[string], TransactionRow>(
        "SELECT t.* FROM carried c JOIN transactions t ON t.id = c.tx_id WHERE c.operation_id = ? ORDER BY t.id",
      ),

      operationById: db.prepare<[string], OperationRow>(OPERATION_BY_ID),
      operationsOf: db.prepare<[number], OperationRow>(`${OPERATION_SELECT} WHERE o.tx_id = ? ORDER BY o.seq`),
      submitOperation: db.prepare("UPDATE operations SET status = 'submitted', tx_id = ?, updated_at = ? WHERE id = ? AND status = 'queued'"),
      confirmOperations: db.prepare("UPDATE operations SET status = 'confirmed', updated_at = ? WHERE tx_id = ? AND status = 'submitted'"),
      confirmOperationWith: db.prepare(
        "UPDATE operations SET status = 'confirmed', tx_id = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')",
      ),
      requeueOperations: db.prepare(
        "UPDATE operations SET status = 'queued', tx_id = NULL, attempts = attempts + 1, updated_at = ? WHERE tx_id = ? AND status = 'submitted' AND attempts + 1 < ?",
      ),
      failOperation: db.prepare(FAIL_OPERATION),
      unconfirmOperations: db.prepare("UPDATE operations SET status = 'submitted', updated_at = ? WHERE tx_id = ? AND status = 'confirmed'"),

      upsertNonce: db.prepare(
        "INSERT INTO signers (address, next_nonce) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET next_nonce = MAX(next_nonce, excluded.next_nonce)",
      ),
      getNonce: db.prepare<[string], { next_nonce: number }>("SELECT next_nonce FROM signers WHERE address = ?"),
    };
  }

  async record(tx: RecordTransaction): Promise<TransactionRecord> {
    return this.outbox.change((record) => {
      const now = this.now();
      const row = toTransaction(this.s.insert.get(tx.signer, tx.nonce, tx.hash, tx.raw, tx.kind, now)!);
      for (const id of tx.operationIds) {
        if (this.s.submitOperation.run(row.id, now, id).changes !== 1) throw new Error(`operation ${id} is not queued`);
        this.s.insertCarried.run(id, row.id);
      }
      this.s.upsertNonce.run(tx.signer, tx.nonce + 1);
      for (const op of this.s.operationsOf.all(row.id)) record(toOperation(op), "operation.submitted", now);
      return row;
    });
  }

  async markSent(txId: number, at: number): Promise<void> {
    this.s.markSent.run(at, txId);
  }

  async confirm(txId: number, blockNumber: number): Promise<void> {
    this.finish(txId, () => {
      this.s.setStatus.run("confirmed", blockNumber, txId);
      this.s.confirmOperations.run(this.now(), txId);
      return "operation.confirmed";
    });
  }

  async revert(txId: number, blockNumber: number, maxAttempts: number): Promise<void> {
    this.requeueOrFail(txId, "reverted", blockNumber, maxAttempts);
  }

  async drop(txId: number, maxAttempts: number): Promise<void> {
    this.requeueOrFail(txId, "dropped", null, maxAttempts);
  }

  private requeueOrFail(txId: number, status: "reverted" | "dropped", blockNumber: number | null, maxAttempts: number): void {
    this.finish(txId, () => {
      this.s.setStatus.run(status, blockNumber, txId);
      const now = this.now();
      this.s.requeueOperations.run(now, txId, maxAttempts);
      const error: OperationFailure =
        status === "reverted"
          ? { name: "TransactionReverted", message: `the transaction reverted ${maxAttempts} times` }
          : { name: "TransactionDropped", message: `the transaction could not be mined after ${maxAttempts} attempts` };
      for (const row of this.s.operationsOf.all(txId)) {
        if (row.status === "submitted") this.s.failOperation.run(JSON.stringify(error), now, row.id);
      }
      return "operation.failed";
    });
  }

  /** Runs a status change of a transaction and records the event of each operation it finished. */
  private finish(txId: number, change: () => EventType): void {
    this.outbox.change((record: RecordEvent) => {
      const type = change();
      const now = this.now();
      for (const row of this.s.operationsOf.all(txId)) {
        const op = toOperation(row);
        if (op.status === "confirmed" || op.status === "failed") record(op, op.status === "confirmed" ? "operation.confirmed" : type, now);
      }
    });
  }

  async unconfirm(txId: number): Promise<void> {
    this.outbox.change(() => {
      this.s.setStatus.run("sent", null, txId);
      this.s.unconfirmOperations.run(this.now(), txId);
    });
  }

  async operationsOf(txId: number): Promise<OperationRecord[]> {
    return this.s.operationsOf.all(txId).map(toOperation);
  }

  async pastTransactions(operationId: string): Promise<TransactionRecord[]> {
    return this.s.pastTransactions.all(operationId).map(toTransaction);
  }

  async confirmWith(txId: number, blockNumber: number, operationIds: string[]): Promise<void> {
    this.outbox.change((record) => {
      const now = this.now();
      const tx = this.s.byId.get(txId)!;
      // The chain holds this transaction at its nonce, so nothing else of ours can be mined there.
      for (const other of this.s.otherLiveAtNonce.all(tx.signer, tx.nonce, txId)) {
        this.s.setStatus.run("dropped", null, other.id);
        this.s.requeueOperations.run(now, other.id, Number.MAX_SAFE_INTEGER);
      }
      this.s.setStatus.run("confirmed", blockNumber, txId);
      for (const id of operationIds) {
        if (this.s.confirmOperationWith.run(txId, now, id).changes === 0) continue;
        record(toOperation(this.s.operationById.get(id)!), "operation.confirmed", now);
      }
    });
  }

  async live(signer: string): Promise<TransactionRecord[]> {
    return this.s.live.all(signer).map(toTransaction);
  }

  async minedFromNonce(signer: string, nonce: number): Promise<TransactionRecord[]> {
    return this.s.minedFrom.all(signer, nonce).map(toTransaction);
  }

  async usedNonces(signer: string, from: number): Promise<Set<number>> {
    return new Set(this.s.usedNonces.all(signer, from).map((r) => r.nonce));
  }

  async nextNonce(signer: string): Promise<number | undefined> {
    return this.s.getNonce.get(signer)?.next_nonce;
  }

  async raiseNextNonce(signer: string, nonce: number): Promise<void> {
    this.s.upsertNonce.run(signer, nonce);
  }
}
