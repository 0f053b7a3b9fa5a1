/**
 * The journal on SQLite (better-sqlite3, WAL). Each method is one SQLite transaction, so a crash
 * leaves every operation and transaction either fully recorded or not at all. WAL with
 * synchronous=NORMAL survives a killed process; synchronous=FULL (option) also survives power loss.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { OperationStatus } from "../../sdk/src/wire/operations";
import { JOURNAL_SCHEMA } from "./sqliteSchema";
import type {
  AcceptOutcome,
  AcceptRequest,
  EventType,
  Journal,
  JournalEvent,
  OperationFailure,
  OperationRecord,
  RecordTransaction,
  TransactionRecord,
} from "./journal";

interface OperationRow {
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

interface TransactionRow {
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

const OPERATION_SELECT = `SELECT o.seq, o.id, o.kind, o.agency, o.signer, o.domain_id, o.claim_id, o.payload, o.status, o.attempts,
  o.error, o.created_at, o.updated_at, o.tx_id, t.hash AS tx_hash, t.nonce AS tx_nonce, t.block_number AS tx_block
  FROM operations o LEFT JOIN transactions t ON t.id = o.tx_id`;

function toOperation(row: OperationRow): OperationRecord {
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

function toTransaction(row: TransactionRow): TransactionRecord {
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

function isUniqueViolation(error: unknown, index: string): boolean {
  return error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && error.message.includes(index);
}

export interface SqliteJournalOptions {
  /** Also survive power loss (fsync on every commit), at some cost in throughput. */
  durableFsync?: boolean;
  now?: () => number;
}

export class SqliteJournal implements Journal {
  private readonly db: Database.Database;
  private readonly listeners: ((events: JournalEvent[]) => void)[] = [];
  private readonly now: () => number;
  private readonly s;
  /** One request's accept, as a savepoint (nested transaction) inside the group's transaction. */
  private readonly acceptOne: (request: AcceptRequest) => AcceptOutcome;
  private pendingAccepts: { request: AcceptRequest; resolve: (o: AcceptOutcome) => void; reject: (e: unknown) => void }[] = [];
  private pendingNonces = new Map<string, number>();
  private flushScheduled = false;

  constructor(path: string, options: SqliteJournalOptions = {}) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${options.durableFsync ? "FULL" : "NORMAL"}`);
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(JOURNAL_SCHEMA);
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.s = {
      findRequest: db.prepare<[string, string], { request_hash: string; operation_ids: string }>(
        "SELECT request_hash, operation_ids FROM requests WHERE scope = ? AND idem_key = ?",
      ),
      insertRequest: db.prepare("INSERT INTO requests (scope, idem_key, request_hash, operation_ids, created_at) VALUES (?, ?, ?, ?, ?)"),
      insertOperation: db.prepare(
        `INSERT INTO operations (id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload, status, created_at, updated_at)
         VALUES (@id, @kind, @agency, @signer, @domainId, @claimId, @intentScope, @intentNonce, @payload, 'queued', @now, @now)`,
      ),
      liveClaim: db.prepare<[number, string], { id: string }>(
        "SELECT id FROM operations WHERE domain_id = ? AND claim_id = ? AND status <> 'failed'",
      ),
      operationById: db.prepare<[string], OperationRow>(`${OPERATION_SELECT} WHERE o.id = ?`),
      operationsByTx: db.prepare<[number], OperationRow>(`${OPERATION_SELECT} WHERE o.tx_id = ? ORDER BY o.seq`),
      countUnfinished: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM operations WHERE status IN ('queued', 'submitted')"),
      countQueued: db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM operations WHERE signer = ? AND status = 'queued'"),
      queued: db.prepare<[string, number], OperationRow>(`${OPERATION_SELECT} WHERE o.signer = ? AND o.status = 'queued' ORDER BY o.seq LIMIT ?`),
      queuedIssuances: db.prepare<[string, number, number], OperationRow>(
        `${OPERATION_SELECT} WHERE o.signer = ? AND o.status = 'queued' AND o.kind = 'issue' AND o.domain_id = ? ORDER BY o.seq LIMIT ?`,
      ),
      pendingIntents: db.prepare<[string], { intent_nonce: string }>(
        "SELECT intent_nonce FROM operations WHERE intent_scope = ? AND status IN ('queued', 'submitted')",
      ),
      failOperation: db.prepare("UPDATE operations SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')"),
      deferOperation: db.prepare("UPDATE operations SET attempts = attempts + 1, updated_at = ? WHERE id = ? RETURNING attempts"),
      insertTransaction: db.prepare(
        "INSERT INTO transactions (signer, nonce, hash, raw, kind, status, created_at) VALUES (?, ?, ?, ?, ?, 'signed', ?) RETURNING *",
      ),
      submitOperation: db.prepare("UPDATE operations SET status = 'submitted', tx_id = ?, updated_at = ? WHERE id = ? AND status = 'queued'"),
      insertCarried: db.prepare("INSERT OR IGNORE INTO carried (operation_id, tx_id) VALUES (?, ?)"),
      pastTransactions: db.prepare<[string], TransactionRow>(
        "SELECT t.* FROM carried c JOIN transactions t ON t.id = c.tx_id WHERE c.operation_id = ? ORDER BY t.id",
      ),
      otherLiveAtNonce: db.prepare<[string, number, number], { id: number }>(
        "SELECT id FROM transactions WHERE signer = ? AND nonce = ? AND id <> ? AND status <> 'dropped'",
      ),
      confirmOperationWith: db.prepare(
        "UPDATE operations SET status = 'confirmed', tx_id = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitted')",
      ),
      upsertNonce: db.prepare(
        "INSERT INTO signers (address, next_nonce) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET next_nonce = MAX(next_nonce, excluded.next_nonce)",
      ),
      getNonce: db.prepare<[string], { next_nonce: number }>("SELECT next_nonce FROM signers WHERE address = ?"),
      markSent: db.prepare("UPDATE transactions SET status = CASE WHEN status = 'signed' THEN 'sent' ELSE status END, sent_at = ? WHERE id = ?"),
      setTxStatus: db.prepare("UPDATE transactions SET status = ?, block_number = ? WHERE id = ?"),
      confirmOperations: db.prepare("UPDATE operations SET status = 'confirmed', updated_at = ? WHERE tx_id = ? AND status = 'submitted'"),
      requeueOperations: db.prepare(
        "UPDATE operations SET status = 'queued', tx_id = NULL, attempts = attempts + 1, updated_at = ? WHERE tx_id = ? AND status = 'submitted' AND attempts + 1 < ?",
      ),
      unconfirmOperations: db.prepare("UPDATE operations SET status = 'submitted', updated_at = ? WHERE tx_id = ? AND status = 'confirmed'"),
      transactionById: db.prepare<[number], TransactionRow>("SELECT * FROM transactions WHERE id = ?"),
      liveTransactions: db.prepare<[string], TransactionRow>(
        "SELECT * FROM transactions WHERE signer = ? AND status IN ('signed', 'sent') ORDER BY nonce",
      ),
      confirmedFrom: db.prepare<[string, number], TransactionRow>(
        "SELECT * FROM transactions WHERE signer = ? AND status IN ('confirmed', 'reverted') AND nonce >= ? ORDER BY nonce",
      ),
      usedNonces: db.prepare<[string, number], { nonce: number }>(
        "SELECT nonce FROM transactions WHERE signer = ? AND status <> 'dropped' AND nonce >= ?",
      ),
      insertEvent: db.prepare("INSERT INTO events (agency, operation_id, type, at, snapshot) VALUES (?, ?, ?, ?, ?) RETURNING seq"),
      eventsAfter: db.prepare<[string, number, number], { seq: number; agency: string; operation_id: string; type: string; at: number; snapshot: string }>(
        "SELECT * FROM events WHERE agency = ? AND seq > ? ORDER BY seq LIMIT ?",
      ),
      getCursor: db.prepare<[string], { seq: number }>("SELECT seq FROM webhook_cursors WHERE agency = ?"),
      setCursor: db.prepare("INSERT INTO webhook_cursors (agency, seq) VALUES (?, ?) ON CONFLICT (agency) DO UPDATE SET seq = MAX(seq, excluded.seq)"),
      insertNonce: db.prepare("INSERT OR IGNORE INTO request_nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)"),
      purgeNonces: db.prepare("DELETE FROM request_nonces WHERE expires_at < ?"),
      probe: db.prepare("INSERT INTO probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at"),
      nonceUsed: db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM request_nonces WHERE key_id = ? AND nonce = ?"),
    };
    this.acceptOne = this.db.transaction((request: AcceptRequest) => this.acceptInTransaction(request));
  }

  async findRequest(scope: string, idempotencyKey: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined> {
    const row = this.s.findRequest.get(scope, idempotencyKey);
    return row && { requestHash: row.request_hash, operations: this.operationsById(JSON.parse(row.operation_ids)) };
  }

  /**
   * Accepts are committed in groups: requests that arrive in the same turn of the event loop share
   * one SQLite transaction (each in its own savepoint), and each caller is answered only after the
   * group's commit. One commit per group instead of per request is most of the journal's throughput.
   */
  accept(request: AcceptRequest): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => {
      this.pendingAccepts.push({ request, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const accepts = this.pendingAccepts.splice(0);
    const nonces = this.pendingNonces;
    this.pendingNonces = new Map();
    if (accepts.length === 0 && nonces.size === 0) return;
    let outcomes: ({ ok: AcceptOutcome } | { error: unknown })[];
    try {
      outcomes = this.db.transaction(() => {
        for (const [key, expiresAt] of nonces) {
          const [keyId, nonce] = key.split("\n");
          this.s.insertNonce.run(keyId, nonce, expiresAt);
        }
        return accepts.map(({ request }) => {
          try {
            return { ok: this.acceptOne(request) };
          } catch (error) {
            return { error };
          }
        });
      }).immediate();
    } catch (error) {
      for (const a of accepts) a.reject(error);
      return;
    }
    accepts.forEach((a, i) => {
      const outcome = outcomes[i];
      if ("ok" in outcome) a.resolve(outcome.ok);
      else {
        const intent = a.request.operations.find((op) => op.intent)?.intent;
        if (intent && isUniqueViolation(outcome.error, "intent")) {
          a.resolve({ kind: "intent-conflict", resident: intent.resident, domainId: intent.domainId, nonce: intent.nonce.toString() });
        } else a.reject(outcome.error);
      }
    });
  }


  private acceptInTransaction(request: AcceptRequest): AcceptOutcome {
    const existing = this.s.findRequest.get(request.scope, request.idempotencyKey);
    if (existing) {
      if (existing.request_hash !== request.requestHash) return { kind: "idempotency-conflict" };
      return { kind: "replayed", operations: this.operationsById(JSON.parse(existing.operation_ids)) };
    }
    const taken = request.operations
      .filter((op) => op.claimId !== undefined && this.s.liveClaim.get(op.domainId!, op.claimId.toString()))
      .map((op) => op.claimId!.toString());
    if (taken.length > 0) return { kind: "claim-conflict", claimIds: taken };
    const now = this.now();
    for (const op of request.operations) {
      this.s.insertOperation.run({
        id: op.id,
        kind: op.kind,
        agency: op.agency ?? null,
        signer: op.signer,
        domainId: op.domainId ?? null,
        claimId: op.claimId?.toString() ?? null,
        intentScope: op.intent ? `${op.intent.resident.toLowerCase()}:${op.intent.domainId}` : null,
        intentNonce: op.intent ? op.intent.nonce.toString() : null,
        payload: JSON.stringify(op.payload),
        now,
      });
    }
    const ids = request.operations.map((op) => op.id);
    this.s.insertRequest.run(request.scope, request.idempotencyKey, request.requestHash, JSON.stringify(ids), now);
    return { kind: "created", operations: this.operationsById(ids) };
  }

  private operationsById(ids: string[]): OperationRecord[] {
    return ids.map((id) => toOperation(this.s.operationById.get(id)!));
  }

  async getOperation(id: string): Promise<OperationRecord | undefined> {
    const row = this.s.operationById.get(id);
    return row ? toOperation(row) : undefined;
  }

  async countUnfinished(): Promise<number> {
    return this.s.countUnfinished.get()!.n;
  }

  async queued(signer: string, limit: number): Promise<OperationRecord[]> {
    return this.s.queued.all(signer, limit).map(toOperation);
  }

  async queuedIssuances(signer: string, domainId: number, limit: number): Promise<OperationRecord[]> {
    return this.s.queuedIssuances.all(signer, domainId, limit).map(toOperation);
  }

  async countQueued(signer: string): Promise<number> {
    return this.s.countQueued.get(signer)!.n;
  }

  async pendingIntentNonce(resident: string, domainId: number): Promise<bigint | undefined> {
    const rows = this.s.pendingIntents.all(`${resident.toLowerCase()}:${domainId}`);
    return rows.reduce<bigint | undefined>((max, r) => (max === undefined || BigInt(r.intent_nonce) > max ? BigInt(r.intent_nonce) : max), undefined);
  }

  async failOperations(failures: { id: string; error: OperationFailure }[]): Promise<void> {
    const events = this.db.transaction(() => {
      const now = this.now();
      const out: JournalEvent[] = [];
      for (const f of failures) {
        if (this.s.failOperation.run(JSON.stringify(f.error), now, f.id).changes === 0) continue;
        const op = toOperation(this.s.operationById.get(f.id)!);
        this.addEvent(out, op, "operation.failed", now);
      }
      return out;
    }).immediate();
    this.publish(events);
  }

  async deferOperation(id: string): Promise<number> {
    const row = this.s.deferOperation.get(this.now(), id) as { attempts: number } | undefined;
    return row?.attempts ?? 0;
  }

  async recordTransaction(tx: RecordTransaction): Promise<TransactionRecord> {
    const { record, events } = this.db.transaction(() => {
      const now = this.now();
      const record = toTransaction(this.s.insertTransaction.get(tx.signer, tx.nonce, tx.hash, tx.raw, tx.kind, now) as TransactionRow);
      for (const id of tx.operationIds) {
        if (this.s.submitOperation.run(record.id, now, id).changes !== 1) throw new Error(`operation ${id} is not queued`);
        this.s.insertCarried.run(id, record.id);
      }
      this.s.upsertNonce.run(tx.signer, tx.nonce + 1);
      const events: JournalEvent[] = [];
      for (const row of this.s.operationsByTx.all(record.id)) this.addEvent(events, toOperation(row), "operation.submitted", now);
      return { record, events };
    }).immediate();
    this.publish(events);
    return record;
  }

  async markSent(txId: number, at: number): Promise<void> {
    this.s.markSent.run(at, txId);
  }

  async confirmTransaction(txId: number, blockNumber: number): Promise<void> {
    this.finish(txId, () => {
      this.s.setTxStatus.run("confirmed", blockNumber, txId);
      this.s.confirmOperations.run(this.now(), txId);
      return "operation.confirmed";
    });
  }

  async revertTransaction(txId: number, blockNumber: number, maxAttempts: number): Promise<void> {
    this.requeueOrFail(txId, "reverted", blockNumber, maxAttempts);
  }

  async dropTransaction(txId: number, maxAttempts: number): Promise<void> {
    this.requeueOrFail(txId, "dropped", null, maxAttempts);
  }

  private requeueOrFail(txId: number, status: "reverted" | "dropped", blockNumber: number | null, maxAttempts: number): void {
    this.finish(txId, () => {
      this.s.setTxStatus.run(status, blockNumber, txId);
      const now = this.now();
      this.s.requeueOperations.run(now, txId, maxAttempts);
      const error: OperationFailure =
        status === "reverted"
          ? { name: "TransactionReverted", message: `the transaction reverted ${maxAttempts} times` }
          : { name: "TransactionDropped", message: `the transaction could not be mined after ${maxAttempts} attempts` };
      for (const row of this.s.operationsByTx.all(txId)) {
        if (row.status === "submitted") this.s.failOperation.run(JSON.stringify(error), now, row.id);
      }
      return "operation.failed";
    });
  }

  async unconfirmTransaction(txId: number): Promise<void> {
    this.db.transaction(() => {
      this.s.setTxStatus.run("sent", null, txId);
      this.s.unconfirmOperations.run(this.now(), txId);
    }).immediate();
  }

  /** Runs a status change of a transaction and publishes the event for each operation it finished. */
  private finish(txId: number, change: () => EventType): void {
    const events = this.db.transaction(() => {
      const type = change();
      const now = this.now();
      const out: JournalEvent[] = [];
      for (const row of this.s.operationsByTx.all(txId)) {
        const op = toOperation(row);
        if (op.status === "confirmed" || op.status === "failed") this.addEvent(out, op, op.status === "confirmed" ? "operation.confirmed" : type, now);
      }
      return out;
    }).immediate();
    this.publish(events);
  }

  async operationsOfTransaction(txId: number): Promise<OperationRecord[]> {
    return this.s.operationsByTx.all(txId).map(toOperation);
  }

  async pastTransactions(operationId: string): Promise<TransactionRecord[]> {
    return this.s.pastTransactions.all(operationId).map(toTransaction);
  }

  async confirmWithTransaction(txId: number, blockNumber: number, operationIds: string[]): Promise<void> {
    const events = this.db.transaction(() => {
      const now = this.now();
      const tx = this.s.transactionById.get(txId)!;
      // The chain holds this transaction at its nonce, so nothing else of ours can be mined there.
      for (const other of this.s.otherLiveAtNonce.all(tx.signer, tx.nonce, txId)) {
        this.s.setTxStatus.run("dropped", null, other.id);
        this.s.requeueOperations.run(now, other.id, Number.MAX_SAFE_INTEGER);
      }
      this.s.setTxStatus.run("confirmed", blockNumber, txId);
      const out: JournalEvent[] = [];
      for (const id of operationIds) {
        if (this.s.confirmOperationWith.run(txId, now, id).changes === 0) continue;
        this.addEvent(out, toOperation(this.s.operationById.get(id)!), "operation.confirmed", now);
      }
      return out;
    }).immediate();
    this.publish(events);
  }

  async liveTransactions(signer: string): Promise<TransactionRecord[]> {
    return this.s.liveTransactions.all(signer).map(toTransaction);
  }

  async confirmedFromNonce(signer: string, nonce: number): Promise<TransactionRecord[]> {
    return this.s.confirmedFrom.all(signer, nonce).map(toTransaction);
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

  async eventsAfter(agency: string, seq: number, limit: number): Promise<JournalEvent[]> {
    return this.s.eventsAfter.all(agency, seq, limit).map((r) => ({
      seq: r.seq,
      agency: r.agency,
      operationId: r.operation_id,
      type: r.type as EventType,
      at: r.at,
      operation: JSON.parse(r.snapshot),
    }));
  }

  async webhookCursor(agency: string): Promise<number> {
    return this.s.getCursor.get(agency)?.seq ?? 0;
  }

  async setWebhookCursor(agency: string, seq: number): Promise<void> {
    this.s.setCursor.run(agency, seq);
  }

  /** Checked against the table and the group not yet committed; written with the next group commit. */
  async useRequestNonce(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const key = `${keyId}\n${nonce}`;
    if (this.pendingNonces.has(key) || this.s.nonceUsed.get(keyId, nonce)) return false;
    if (Math.random() < 0.001) this.s.purgeNonces.run(now);
    this.pendingNonces.set(key, expiresAt);
    this.scheduleFlush();
    return true;
  }

  async checkWritable(): Promise<void> {
    this.s.probe.run(this.now());
  }

  onEvents(listener: (events: JournalEvent[]) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }

  private addEvent(out: JournalEvent[], op: OperationRecord, type: EventType, at: number): void {
    if (!op.agency) return;
    const row = this.s.insertEvent.get(op.agency, op.id, type, at, JSON.stringify(op)) as { seq: number };
    out.push({ seq: row.seq, agency: op.agency, operationId: op.id, type, at, operation: op });
  }

  private publish(events: JournalEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) listener(events);
  }
}
