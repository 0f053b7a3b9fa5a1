/**
 * Operations and idempotency records on SQLite. Accepts go through the group commit: each request
 * in its own savepoint, answered after the group's commit.
 */
import type Database from "better-sqlite3";
import type { AcceptOutcome, AcceptRequest, OperationFailure, OperationRecord, OperationStore } from "../journal";
import type { SqliteEventOutbox } from "./eventOutbox";
import type { GroupCommit } from "./groupCommit";
import { COUNT_UNFINISHED, FAIL_OPERATION, OPERATION_BY_ID, OPERATION_SELECT, QUEUED_OPERATIONS, toOperation, type OperationRow } from "./rows";

function isUniqueViolation(error: unknown, index: string): boolean {
  return error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && error.message.includes(index);
}

export class SqliteOperationStore implements OperationStore {
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly group: GroupCommit,
    private readonly outbox: SqliteEventOutbox,
    private readonly now: () => number,
  ) {
    this.s = {
      findRequest: db.prepare<[string, string], { request_hash: string; operation_ids: string }>(
        "SELECT request_hash, operation_ids FROM requests WHERE scope = ? AND idem_key = ?",
      ),
      insertRequest: db.prepare("INSERT INTO requests (scope, idem_key, request_hash, operation_ids, created_at) VALUES (?, ?, ?, ?, ?)"),
      // Positional, without RETURNING: seq is the row id (INTEGER PRIMARY KEY), which run() reports,
      // and binding an object by name cost about a third more per insert (measured here).
      insertOperation: db.prepare<[string, string, string | null, string, number | null, string | null, string | null, string | null, string, number, number]>(
        `INSERT INTO operations (id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ),
      liveClaim: db.prepare<[number, string], { id: string }>(
        "SELECT id FROM operations WHERE domain_id = ? AND claim_id = ? AND status <> 'failed'",
      ),
      byId: db.prepare<[string], OperationRow>(OPERATION_BY_ID),
      countUnfinished: db.prepare<[], { n: number }>(COUNT_UNFINISHED),
      queued: db.prepare<[string, number], OperationRow>(QUEUED_OPERATIONS),
      queuedIssuances: db.prepare<[string, number, number], OperationRow>(
        `${OPERATION_SELECT} WHERE o.signer = ? AND o.status = 'queued' AND o.kind = 'issue' AND o.domain_id = ? ORDER BY o.seq LIMIT ?`,
      ),
      pendingIntents: db.prepare<[string], { intent_nonce: string }>(
        "SELECT intent_nonce FROM operations WHERE intent_scope = ? AND status IN ('queued', 'submitted')",
      ),
      fail: db.prepare(FAIL_OPERATION),
      defer: db.prepare<[number, string], { attempts: number }>("UPDATE operations SET attempts = attempts + 1, updated_at = ? WHERE id = ? RETURNING attempts"),
    };
  }

  async findRequest(scope: string, idempotencyKey: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined> {
    const row = this.s.findRequest.get(scope, idempotencyKey);
    return row && { requestHash: row.request_hash, operations: this.byIds(JSON.parse(row.operation_ids)) };
  }

  async accept(request: AcceptRequest): Promise<AcceptOutcome> {
    try {
      return await this.group.run(() => this.acceptInTransaction(request));
    } catch (error) {
      // Another request took the intent's nonce in the meantime (its savepoint was rolled back).
      const intent = request.operations.find((op) => op.intent)?.intent;
      if (intent && isUniqueViolation(error, "intent")) {
        return { kind: "intent-conflict", resident: intent.resident, domainId: intent.domainId, nonce: intent.nonce.toString() };
      }
      throw error;
    }
  }

  private acceptInTransaction(request: AcceptRequest): AcceptOutcome {
    const existing = this.s.findRequest.get(request.scope, request.idempotencyKey);
    if (existing) {
      if (existing.request_hash !== request.requestHash) return { kind: "idempotency-conflict" };
      return { kind: "replayed", operations: this.byIds(JSON.parse(existing.operation_ids)) };
    }
    const taken = request.operations
      .filter((op) => op.claimId !== undefined && this.s.liveClaim.get(op.domainId!, op.claimId.toString()))
      .map((op) => op.claimId!.toString());
    if (taken.length > 0) return { kind: "claim-conflict", claimIds: taken };
    const now = this.now();
    // The records are built from what was written (the row's seq from RETURNING), as `toOperation`
    // would read them back: a new operation is queued, carried by no transaction, never failed.
    const created = request.operations.map((op): OperationRecord => {
      const payload = JSON.stringify(op.payload);
      const agency = op.agency ?? null;
      const domainId = op.domainId ?? null;
      const claimId = op.claimId?.toString() ?? null;
      const seq = Number(
        this.s.insertOperation.run(
          op.id,
          op.kind,
          agency,
          op.signer,
          domainId,
          claimId,
          op.intent ? `${op.intent.resident.toLowerCase()}:${op.intent.domainId}` : null,
          op.intent ? op.intent.nonce.toString() : null,
          payload,
          now,
          now,
        ).lastInsertRowid,
      );
      return {
        seq,
        id: op.id,
        kind: op.kind,
        agency,
        signer: op.signer,
        domainId,
        claimId,
        payload: JSON.parse(payload),
        status: "queued",
        attempts: 0,
        error: null,
        createdAt: now,
        updatedAt: now,
        transaction: null,
      };
    });
    const ids = request.operations.map((op) => op.id);
    this.s.insertRequest.run(request.scope, request.idempotencyKey, request.requestHash, JSON.stringify(ids), now);
    return { kind: "created", operations: created };
  }

  private byIds(ids: string[]): OperationRecord[] {
    return ids.map((id) => toOperation(this.s.byId.get(id)!));
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const row = this.s.byId.get(id);
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

  async pendingIntentNonce(resident: string, domainId: number): Promise<bigint | undefined> {
    const rows = this.s.pendingIntents.all(`${resident.toLowerCase()}:${domainId}`);
    return rows.reduce<bigint | undefined>((max, r) => (max === undefined || BigInt(r.intent_nonce) > max ? BigInt(r.intent_nonce) : max), undefined);
  }

  async fail(failures: { id: string; error: OperationFailure }[]): Promise<void> {
    this.outbox.change((record) => {
      const now = this.now();
      for (const f of failures) {
        if (this.s.fail.run(JSON.stringify(f.error), now, f.id).changes === 0) continue;
        record(toOperation(this.s.byId.get(f.id)!), "operation.failed", now);
      }
    });
  }

  async defer(id: string): Promise<number> {
    return this.s.defer.get(this.now(), id)?.attempts ?? 0;
  }
}
