/**
 * The event outbox on PostgreSQL. A status change and its events are one transaction (`change`).
 *
 * Ordering across instances: each agency's events are numbered by its row in `event_counters`,
 * raised at the end of the change's transaction and locked until its COMMIT. The next change of
 * that agency (from any instance) waits for the lock, so an agency's events commit in the order of
 * their seq, without gaps (a rolled-back change gives its numbers back). A reader that has seen seq
 * n has therefore seen every event up to n: reading `seq > cursor` never skips one that commits
 * later with a lower seq. The lock is taken last and held only for the inserts and the commit.
 *
 * Wake-ups across instances: the change's transaction also sends NOTIFY (delivered at commit);
 * each instance LISTENs on a connection of its own and tells `onExternalEvents` listeners, which
 * read the table. When that connection drops, it reconnects and tells them "any agency", since a
 * notification may have been missed in between; the readers' own polling covers the rest.
 */
import { Client, type Pool, type PoolClient } from "pg";
import { eventOperation, type EventOutbox, type EventType, type Fence, type JournalEvent, type OperationRecord } from "../journal";
import { checkFence, transaction } from "./db";

/** Records the event of an operation's change (nothing for a resident's own operation: no agency). */
export type RecordEvent = (op: OperationRecord, type: EventType, at: number) => void;

export const EVENTS_CHANNEL = "city_points_events";

interface EventRow {
  seq: number;
  agency: string;
  operation_id: string;
  type: string;
  at: number;
  snapshot: string;
}

export class PgEventOutbox implements EventOutbox {
  private readonly listeners: ((events: JournalEvent[]) => void)[] = [];
  private readonly externalListeners: ((agency: string | undefined) => void)[] = [];
  private listenClient: Client | undefined;
  private listening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoff = 0;

  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    /** Tells this process's notifications from other instances'. */
    private readonly instanceId: string,
    private readonly onError: (error: Error, what: string) => void,
  ) {}

  /**
   * Runs a status change as one transaction (under `fence`, if given) together with the events it
   * records; publishes them to this process's listeners after the commit.
   */
  async change<T>(fence: Fence | undefined, run: (client: PoolClient, record: RecordEvent) => Promise<T>): Promise<T> {
    let events: JournalEvent[] = [];
    const result = await transaction(this.pool, async (client) => {
      events = [];
      await checkFence(client, fence);
      const pending: Omit<JournalEvent, "seq">[] = [];
      const value = await run(client, (op, type, at) => {
        if (op.agency) pending.push({ agency: op.agency, operationId: op.id, type, at, operation: eventOperation(op) });
      });
      events = await this.insert(client, pending);
      return value;
    });
    if (events.length > 0) for (const listener of this.listeners) listener(events);
    return result;
  }

  /** Numbers the events per agency under the agency's counter lock and inserts them; NOTIFY at commit. */
  private async insert(client: PoolClient, pending: Omit<JournalEvent, "seq">[]): Promise<JournalEvent[]> {
    if (pending.length === 0) return [];
    const agencies = [...new Set(pending.map((e) => e.agency))].sort();
    const out: JournalEvent[] = [];
    for (const agency of agencies) {
      const mine = pending.filter((e) => e.agency === agency);
      const { rows } = await client.query<{ last: number }>(
        "INSERT INTO event_counters (agency, last) VALUES ($1, $2) ON CONFLICT (agency) DO UPDATE SET last = event_counters.last + EXCLUDED.last RETURNING last",
        [agency, mine.length],
      );
      const first = rows[0].last - mine.length + 1;
      const numbered = mine.map((e, i) => ({ ...e, seq: first + i }));
      await client.query(
        `INSERT INTO events (agency, seq, operation_id, type, at, snapshot)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
        [
          agency,
          numbered.map((e) => e.seq),
          numbered.map((e) => e.operationId),
          numbered.map((e) => e.type),
          numbered.map((e) => e.at),
          numbered.map((e) => JSON.stringify(e.operation)),
        ],
      );
      await client.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, `${this.instanceId} ${agency}`]);
      out.push(...numbered);
    }
    return out;
  }

  async after(agency: string, seq: number, limit: number): Promise<JournalEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      "SELECT seq, agency, operation_id, type, at, snapshot FROM events WHERE agency = $1 AND seq > $2 ORDER BY seq LIMIT $3",
      [agency, seq, limit],
    );
    return rows.map((r) => ({
      seq: r.seq,
      agency: r.agency,
      operationId: r.operation_id,
      type: r.type as EventType,
      at: r.at,
      operation: JSON.parse(r.snapshot),
    }));
  }

  async webhookCursor(agency: string): Promise<number> {
    const { rows } = await this.pool.query<{ seq: number }>("SELECT seq FROM webhook_cursors WHERE agency = $1", [agency]);
    return rows[0]?.seq ?? 0;
  }

  async setWebhookCursor(agency: string, seq: number, fence?: Fence): Promise<void> {
    await transaction(this.pool, async (client) => {
      await checkFence(client, fence);
      await client.query(
        "INSERT INTO webhook_cursors (agency, seq) VALUES ($1, $2) ON CONFLICT (agency) DO UPDATE SET seq = GREATEST(webhook_cursors.seq, EXCLUDED.seq)",
        [agency, seq],
      );
    });
  }

  onEvents(listener: (events: JournalEvent[]) => void): void {
    this.listeners.push(listener);
  }

  onExternalEvents(listener: (agency: string | undefined) => void): void {
    this.externalListeners.push(listener);
  }

  // ─────────────────────────────────────────────────────────── LISTEN

  /** Opens the listening connection (resolves once LISTEN is in place, or after the first failure). */
  async listen(): Promise<void> {
    if (this.closed || this.listenClient) return;
    const client = new Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 5_000, application_name: "city-points-relay-listen" });
    this.listenClient = client;
    const lost = (error?: Error) => {
      if (this.listenClient !== client) return;
      this.listenClient = undefined;
      const wasListening = this.listening;
      this.listening = false;
      client.removeAllListeners("notification");
      client.end().catch(() => undefined);
      if (this.closed) return;
      if (wasListening) this.onError(error ?? new Error("connection ended"), "event notifications interrupted; reconnecting");
      this.backoff = Math.min(5_000, Math.max(250, this.backoff * 2));
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        void this.listen();
      }, this.backoff);
      this.reconnectTimer.unref?.();
    };
    client.on("error", (error) => lost(error));
    client.on("end", () => lost());
    client.on("notification", (message) => {
      if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
      const space = message.payload.indexOf(" ");
      if (space < 0 || message.payload.slice(0, space) === this.instanceId) return;
      this.tellExternal(message.payload.slice(space + 1));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.listenClient !== client) return;
      const reconnected = this.backoff > 0;
      this.listening = true;
      this.backoff = 0;
      // Whatever was committed while nobody listened: every agency's readers look again.
      if (reconnected) this.tellExternal(undefined);
    } catch (error) {
      lost(error as Error);
    }
  }

  private tellExternal(agency: string | undefined): void {
    for (const listener of this.externalListeners) {
      try {
        listener(agency);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listenClient;
    this.listenClient = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
