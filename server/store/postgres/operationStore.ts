/**
 * Operations and idempotency records on PostgreSQL. Accepts go through the group commit, each in a
 * savepoint. Across instances: the request row (scope, idempotency key) is written first, so the
 * same key sent to two instances at once makes the second wait for the first's commit, fail on
 * the key, and answer with the first's operations; a claim id or intent nonce taken by another
 * instance at the same moment fails on the partial unique index and is answered as a conflict.
 */
import type { Pool, PoolClient } from "pg";
import type { AcceptOutcome, AcceptRequest, Fence, NewOperation, OperationFailure, OperationRecord, OperationStore } from "../journal";
import { checkFence, isUniqueViolation, transaction, type Db } from "./db";
import type { PgEventOutbox } from "./eventOutbox";
import type { PgGroupCommit } from "./groupCommit";
import { FAIL_OPERATIONS, OPERATION_SELECT, toOperation, type OperationRow } from "./rows";

function intentScope(intent: NonNullable<NewOperation["intent"]>): string {
  return `${intent.resident.toLowerCase()}:${intent.domainId}`;
}

export async function operationsByIds(db: Db, ids: string[]): Promise<OperationRecord[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<OperationRow>(`${OPERATION_SELECT} WHERE o.id = ANY($1::text[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, toOperation(r)]));
  return ids.map((id) => byId.get(id)!);
}

export class PgOperationStore implements OperationStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly outbox: PgEventOutbox,
    private readonly now: () => number,
  ) {}

  async findRequest(scope: string, idempotencyKey: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined> {
    return this.existing(this.pool, scope, idempotencyKey);
  }

  private async existing(db: Db, scope: string, key: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined> {
    const { rows } = await db.query<{ request_hash: string; operation_ids: string[] }>(
      "SELECT request_hash, operation_ids FROM requests WHERE scope = $1 AND idem_key = $2",
      [scope, key],
    );
    if (rows.length === 0) return undefined;
    return { requestHash: rows[0].request_hash, operations: await operationsByIds(db, rows[0].operation_ids) };
  }

  async accept(request: AcceptRequest): Promise<AcceptOutcome> {
    return this.group.run<AcceptOutcome>({
      work: async (client) => (await this.check(client, request, false)) ?? this.insert(client, request),
      // Lost a race to another request (here or on another instance) that has committed since: answer with what it did.
      recover: async (error, client) => {
        if (!isUniqueViolation(error)) throw error;
        const outcome = await this.check(client, request, true);
        if (!outcome) throw error;
        return outcome;
      },
    });
  }

  /** What answers the request without writing: an earlier request under its key, a claim taken, (with `intents`) an intent nonce taken. */
  private async check(client: PoolClient, request: AcceptRequest, intents: boolean): Promise<AcceptOutcome | undefined> {
    const earlier = await this.earlier(client, request);
    if (earlier) return earlier;
    const claims = request.operations.filter((op) => op.claimId !== undefined);
    if (claims.length > 0) {
      const { rows } = await client.query<{ domain_id: number; claim_id: string }>(
        `SELECT domain_id, claim_id FROM operations WHERE status <> 'failed' AND claim_id IS NOT NULL
           AND (domain_id, claim_id) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
        [claims.map((op) => op.domainId!), claims.map((op) => op.claimId!.toString())],
      );
      const live = new Set(rows.map((r) => `${r.domain_id}:${r.claim_id}`));
      const taken = claims.filter((op) => live.has(`${op.domainId}:${op.claimId}`)).map((op) => op.claimId!.toString());
      // Each statement sees what was committed when it began: the claim may be this very request's,
      // committed under the same key by another instance between the two reads.
      if (taken.length > 0) return (await this.earlier(client, request)) ?? { kind: "claim-conflict", claimIds: taken };
    }
    const intent = request.operations.find((op) => op.intent)?.intent;
    if (intent && intents) {
      const { rowCount } = await client.query("SELECT 1 FROM operations WHERE intent_scope = $1 AND intent_nonce = $2 AND status <> 'failed'", [
        intentScope(intent),
        intent.nonce.toString(),
      ]);
      if (rowCount) return (await this.earlier(client, request)) ?? { kind: "intent-conflict", resident: intent.resident, domainId: intent.domainId, nonce: intent.nonce.toString() };
    }
    return undefined;
  }

  private async earlier(client: PoolClient, request: AcceptRequest): Promise<AcceptOutcome | undefined> {
    const earlier = await this.existing(client, request.scope, request.idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.requestHash !== request.requestHash) return { kind: "idempotency-conflict" };
    return { kind: "replayed", operations: earlier.operations };
  }

  private async insert(client: PoolClient, request: AcceptRequest): Promise<AcceptOutcome> {
    const now = this.now();
    const ids = request.operations.map((op) => op.id);
    // The key first: a concurrent request under the same key waits here for this one's commit.
    await client.query("INSERT INTO requests (scope, idem_key, request_hash, operation_ids, created_at) VALUES ($1, $2, $3, $4, $5)", [
      request.scope,
      request.idempotencyKey,
      request.requestHash,
      ids,
      now,
    ]);
    const ops = request.operations;
    await client.query(
      `INSERT INTO operations (id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload, status, created_at, updated_at)
       SELECT id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload, 'queued', $10, $10
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS t(id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload)`,
      [
        ids,
        ops.map((op) => op.kind),
        ops.map((op) => op.agency ?? null),
        ops.map((op) => op.signer),
        ops.map((op) => op.domainId ?? null),
        ops.map((op) => op.claimId?.toString() ?? null),
        ops.map((op) => (op.intent ? intentScope(op.intent) : null)),
        ops.map((op) => (op.intent ? op.intent.nonce.toString() : null)),
        ops.map((op) => JSON.stringify(op.payload)),
        now,
      ],
    );
    return { kind: "created", operations: await operationsByIds(client, ids) };
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const { rows } = await this.pool.query<OperationRow>(`${OPERATION_SELECT} WHERE o.id = $1`, [id]);
    return rows[0] ? toOperation(rows[0]) : undefined;
  }

  async countUnfinished(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT count(*) AS n FROM operations WHERE status IN ('queued', 'submitted')");
    return rows[0].n;
  }

  async queued(signer: string, limit: number): Promise<OperationRecord[]> {
    const { rows } = await this.pool.query<OperationRow>(`${OPERATION_SELECT} WHERE o.signer = $1 AND o.status = 'queued' ORDER BY o.seq LIMIT $2`, [
      signer,
      limit,
    ]);
    return rows.map(toOperation);
  }

  async queuedIssuances(signer: string, domainId: number, limit: number): Promise<OperationRecord[]> {
    const { rows } = await this.pool.query<OperationRow>(
      `${OPERATION_SELECT} WHERE o.signer = $1 AND o.status = 'queued' AND o.kind = 'issue' AND o.domain_id = $2 ORDER BY o.seq LIMIT $3`,
      [signer, domainId, limit],
    );
    return rows.map(toOperation);
  }

  async pendingIntentNonce(resident: string, domainId: number): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ intent_nonce: string }>(
      "SELECT intent_nonce FROM operations WHERE intent_scope = $1 AND status IN ('queued', 'submitted')",
      [`${resident.toLowerCase()}:${domainId}`],
    );
    return rows.reduce<bigint | undefined>((max, r) => (max === undefined || BigInt(r.intent_nonce) > max ? BigInt(r.intent_nonce) : max), undefined);
  }

  async fail(failures: { id: string; error: OperationFailure }[], fence?: Fence): Promise<void> {
    if (failures.length === 0) return;
    await this.outbox.change(fence, async (client, record) => {
      const now = this.now();
      for (const f of failures) {
        const { rowCount } = await client.query(FAIL_OPERATIONS, [JSON.stringify(f.error), now, [f.id]]);
        if (!rowCount) continue;
        record((await operationsByIds(client, [f.id]))[0], "operation.failed", now);
      }
    });
  }

  async defer(id: string, fence?: Fence): Promise<number> {
    return transaction(this.pool, async (client) => {
      await checkFence(client, fence);
      const { rows } = await client.query<{ attempts: number }>(
        "UPDATE operations SET attempts = attempts + 1, updated_at = $1 WHERE id = $2 RETURNING attempts",
        [this.now(), id],
      );
      return rows[0]?.attempts ?? 0;
    });
  }
}
