/**
 * The event outbox on SQLite: each agency's operation events and webhook cursors. The operation and
 * transaction repositories make their status changes through `change`, so every event is written in
 * the same SQLite transaction as the change that causes it, and listeners hear of it after the commit.
 */
import type Database from "better-sqlite3";
import { eventOperation, type EventOutbox, type EventType, type JournalEvent, type OperationRecord } from "../journal";

/** Records the event of an operation's change (nothing for a resident's own operation: no agency). */
export type RecordEvent = (op: OperationRecord, type: EventType, at: number) => void;

interface EventRow {
  seq: number;
  agency: string;
  operation_id: string;
  type: string;
  at: number;
  snapshot: string;
}

export class SqliteEventOutbox implements EventOutbox {
  private readonly listeners: ((events: JournalEvent[]) => void)[] = [];
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      // seq is the row id (INTEGER PRIMARY KEY), which run() reports without a RETURNING row.
      insert: db.prepare<[string, string, string, number, string]>("INSERT INTO events (agency, operation_id, type, at, snapshot) VALUES (?, ?, ?, ?, ?)"),
      after: db.prepare<[string, number, number], EventRow>("SELECT * FROM events WHERE agency = ? AND seq > ? ORDER BY seq LIMIT ?"),
      getCursor: db.prepare<[string], { seq: number }>("SELECT seq FROM webhook_cursors WHERE agency = ?"),
      setCursor: db.prepare("INSERT INTO webhook_cursors (agency, seq) VALUES (?, ?) ON CONFLICT (agency) DO UPDATE SET seq = MAX(seq, excluded.seq)"),
    };
  }

  /** Runs a status change as one IMMEDIATE SQLite transaction with the events it records; publishes them after the commit. */
  change<T>(run: (record: RecordEvent) => T): T {
    const events: JournalEvent[] = [];
    const result = this.db
      .transaction(() =>
        run((op, type, at) => {
          if (!op.agency) return;
          const operation = eventOperation(op);
          const seq = Number(this.s.insert.run(op.agency, op.id, type, at, JSON.stringify(operation)).lastInsertRowid);
          events.push({ seq, agency: op.agency, operationId: op.id, type, at, operation });
        }),
      )
      .immediate();
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    return result;
  }

  async after(agency: string, seq: number, limit: number): Promise<JournalEvent[]> {
    return this.s.after.all(agency, seq, limit).map((r) => ({
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

  onEvents(listener: (events: JournalEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Nobody else writes a SQLite journal: there are never events from elsewhere. */
  onExternalEvents(): void {}
}
