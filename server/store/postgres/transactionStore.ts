/**
 * Transactions and signers' nonces on PostgreSQL, as on SQLite (server/store/sqlite/transactionStore.ts):
 * each signed transaction (written before it is sent), the operations it carries now
 * (`operations.tx_id`), every transaction that ever carried an operation (`carried`), each signer's
 * next nonce. Every change is one transaction with the events it causes and, when the caller passes
 * its fence, the check that the caller's lease holding is still current (db.ts `checkFence`).
 */
import type { Pool, PoolClient } from "pg";
import type { EventType, Fence, OperationFailure, OperationRecord, RecordTransaction, TransactionRecord, TransactionStore } from "../journal";
import { checkFence, transaction } from "./db";
import type { PgEventOutbox, RecordEvent } from "./eventOutbox";
import { operationsByIds } from "./operationStore";
import { OPERATION_SELECT, TRANSACTION_COLUMNS, toOperation, toTransaction, type OperationRow, type TransactionRow } from "./rows";

async function operationsOfTx(client: PoolClient | Pool, txId: number): Promise<OperationRecord[]> {
  const { rows } = await client.query<OperationRow>(`${OPERATION_SELECT} WHERE o.tx_id = $1 ORDER BY o.seq`, [txId]);
  return rows.map(toOperation);
}

export class PgTransactionStore implements TransactionStore {
  constructor(
    private readonly pool: Pool,
    private readonly outbox: PgEventOutbox,
    private readonly now: () => number,
  ) {}

  async record(tx: RecordTransaction, fence?: Fence): Promise<TransactionRecord> {
    return this.outbox.change(fence, async (client, record) => {
      const now = this.now();
      const { rows } = await client.query<TransactionRow>(
        `INSERT INTO transactions (signer, nonce, hash, raw, kind, status, created_at, lease_token) VALUES ($1, $2, $3, $4, $5, 'signed', $6, $7)
         RETURNING ${TRANSACTION_COLUMNS}`,
        [tx.signer, tx.nonce, tx.hash, tx.raw, tx.kind, now, fence?.token ?? 0],
      );
      const row = toTransaction(rows[0]);
      if (tx.operationIds.length > 0) {
        const submitted = await client.query<{ id: string }>(
          "UPDATE operations SET status = 'submitted', tx_id = $1, updated_at = $2 WHERE id = ANY($3::text[]) AND status = 'queued' RETURNING id",
          [row.id, now, tx.operationIds],
        );
        if (submitted.rowCount !== tx.operationIds.length) {
          const moved = new Set(submitted.rows.map((r) => r.id));
          throw new Error(`operation ${tx.operationIds.find((id) => !moved.has(id))} is not queued`);
        }
        await client.query("INSERT INTO carried (operation_id, tx_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING", [tx.operationIds, row.id]);
      }
      await this.upsertNonce(client, tx.signer, tx.nonce + 1);
      for (const op of await operationsOfTx(client, row.id)) record(op, "operation.submitted", now);
      return row;
    });
  }

  private async upsertNonce(client: PoolClient, signer: string, nonce: number): Promise<void> {
    await client.query(
      "INSERT INTO signers (address, next_nonce) VALUES ($1, $2) ON CONFLICT (address) DO UPDATE SET next_nonce = GREATEST(signers.next_nonce, EXCLUDED.next_nonce)",
      [signer, nonce],
    );
  }

  async markSent(txId: number, at: number, fence?: Fence): Promise<void> {
    await transaction(this.pool, async (client) => {
      await checkFence(client, fence);
      await client.query("UPDATE transactions SET status = CASE WHEN status = 'signed' THEN 'sent' ELSE status END, sent_at = $1 WHERE id = $2", [at, txId]);
    });
  }

  async confirm(txId: number, blockNumber: number, fence?: Fence): Promise<void> {
    await this.finish(txId, fence, async (client) => {
      await client.query("UPDATE transactions SET status = 'confirmed', block_number = $1 WHERE id = $2", [blockNumber, txId]);
      await client.query("UPDATE operations SET status = 'confirmed', updated_at = $1 WHERE tx_id = $2 AND status = 'submitted'", [this.now(), txId]);
      return "operation.confirmed";
    });
  }

  async revert(txId: number, blockNumber: number, maxAttempts: number, fence?: Fence): Promise<void> {
    await this.requeueOrFail(txId, "reverted", blockNumber, maxAttempts, fence);
  }

  async drop(txId: number, maxAttempts: number, fence?: Fence): Promise<void> {
    await this.requeueOrFail(txId, "dropped", null, maxAttempts, fence);
  }

  private async requeueOrFail(txId: number, status: "reverted" | "dropped", blockNumber: number | null, maxAttempts: number, fence?: Fence): Promise<void> {
    await this.finish(txId, fence, async (client) => {
      await client.query("UPDATE transactions SET status = $1, block_number = $2 WHERE id = $3", [status, blockNumber, txId]);
      const now = this.now();
      await this.requeue(client, txId, now, maxAttempts);
      const error: OperationFailure =
        status === "reverted"
          ? { name: "TransactionReverted", message: `the transaction reverted ${maxAttempts} times` }
          : { name: "TransactionDropped", message: `the transaction could not be mined after ${maxAttempts} attempts` };
      await client.query("UPDATE operations SET status = 'failed', error = $1, updated_at = $2 WHERE tx_id = $3 AND status = 'submitted'", [
        JSON.stringify(error),
        now,
        txId,
      ]);
      return "operation.failed";
    });
  }

  private async requeue(client: PoolClient, txId: number, now: number, maxAttempts: number): Promise<void> {
    await client.query(
      "UPDATE operations SET status = 'queued', tx_id = NULL, attempts = attempts + 1, updated_at = $1 WHERE tx_id = $2 AND status = 'submitted' AND attempts + 1 < $3::bigint",
      [now, txId, maxAttempts],
    );
  }

  /** Runs a status change of a transaction and records the event of each operation it finished. */
  private async finish(txId: number, fence: Fence | undefined, change: (client: PoolClient) => Promise<EventType>): Promise<void> {
    await this.outbox.change(fence, async (client, record: RecordEvent) => {
      const type = await change(client);
      const now = this.now();
      for (const op of await operationsOfTx(client, txId)) {
        if (op.status === "confirmed" || op.status === "failed") record(op, op.status === "confirmed" ? "operation.confirmed" : type, now);
      }
    });
  }

  async unconfirm(txId: number, fence?: Fence): Promise<void> {
    await this.outbox.change(fence, async (client) => {
      await client.query("UPDATE transactions SET status = 'sent', block_number = NULL WHERE id = $1", [txId]);
      await client.query("UPDATE operations SET status = 'submitted', updated_at = $1 WHERE tx_id = $2 AND status = 'confirmed'", [this.now(), txId]);
    });
  }

  async operationsOf(txId: number): Promise<OperationRecord[]> {
    return operationsOfTx(this.pool, txId);
  }

  async pastTransactions(operationId: string): Promise<TransactionRecord[]> {
    const { rows } = await this.pool.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS.split(", ").map((c) => `t.${c}`).join(", ")} FROM carried c JOIN transactions t ON t.id = c.tx_id WHERE c.operation_id = $1 ORDER BY t.id`,
      [operationId],
    );
    return rows.map(toTransaction);
  }

  async confirmWith(txId: number, blockNumber: number, operationIds: string[], fence?: Fence): Promise<void> {
    await this.outbox.change(fence, async (client, record) => {
      const now = this.now();
      const { rows } = await client.query<{ signer: string; nonce: number }>("SELECT signer, nonce FROM transactions WHERE id = $1", [txId]);
      const tx = rows[0];
      // The chain holds this transaction at its nonce, so nothing else of ours can be mined there.
      const others = await client.query<{ id: number }>("SELECT id FROM transactions WHERE signer = $1 AND nonce = $2 AND id <> $3 AND status <> 'dropped'", [
        tx.signer,
        tx.nonce,
        txId,
      ]);
      for (const other of others.rows) {
        await client.query("UPDATE transactions SET status = 'dropped', block_number = NULL WHERE id = $1", [other.id]);
        await this.requeue(client, other.id, now, Number.MAX_SAFE_INTEGER);
      }
      await client.query("UPDATE transactions SET status = 'confirmed', block_number = $1 WHERE id = $2", [blockNumber, txId]);
      for (const id of operationIds) {
        const { rowCount } = await client.query(
          "UPDATE operations SET status = 'confirmed', tx_id = $1, updated_at = $2 WHERE id = $3 AND status IN ('queued', 'submitted')",
          [txId, now, id],
        );
        if (!rowCount) continue;
        record((await operationsByIds(client, [id]))[0], "operation.confirmed", now);
      }
    });
  }

  async live(signer: string): Promise<TransactionRecord[]> {
    const { rows } = await this.pool.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE signer = $1 AND status IN ('signed', 'sent') ORDER BY nonce`,
      [signer],
    );
    return rows.map(toTransaction);
  }

  async minedFromNonce(signer: string, nonce: number): Promise<TransactionRecord[]> {
    const { rows } = await this.pool.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE signer = $1 AND status IN ('confirmed', 'reverted') AND nonce >= $2 ORDER BY nonce`,
      [signer, nonce],
    );
    return rows.map(toTransaction);
  }

  async usedNonces(signer: string, from: number): Promise<Set<number>> {
    const { rows } = await this.pool.query<{ nonce: number }>("SELECT nonce FROM transactions WHERE signer = $1 AND status <> 'dropped' AND nonce >= $2", [
      signer,
      from,
    ]);
    return new Set(rows.map((r) => r.nonce));
  }

  async nextNonce(signer: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ next_nonce: number }>("SELECT next_nonce FROM signers WHERE address = $1", [signer]);
    return rows[0]?.next_nonce;
  }

  async raiseNextNonce(signer: string, nonce: number, fence?: Fence): Promise<void> {
    await transaction(this.pool, async (client) => {
      await checkFence(client, fence);
      await this.upsertNonce(client, signer, nonce);
    });
  }
}
