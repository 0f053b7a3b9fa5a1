/**
 * The journal on PostgreSQL, for an agency that runs several relay instances on one database: the
 * four repositories of journal.ts plus leases and the partner directory, over one connection pool, with a group commit for
 * accepts and request nonces, one transaction per status change with its events, and LISTEN/NOTIFY
 * to wake the other instances' event streams (server/store/postgres/). The schema is brought to its
 * latest version at open (postgres/migrations.ts). The URL is shown only with its password hidden.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import type { Journal } from "./journal";
import { createPool, isConnectionError, redactMessage, redactUrl } from "./postgres/db";
import { PgEventOutbox } from "./postgres/eventOutbox";
import { PgGroupCommit } from "./postgres/groupCommit";
import { PgLeaseStore } from "./postgres/leaseStore";
import { migrate } from "./postgres/migrations";
import { PgOperationStore } from "./postgres/operationStore";
import { PgPartnerDirectory } from "./postgres/partnerDirectory";
import { PgRequestNonceStore } from "./postgres/requestNonceStore";
import { PgTransactionStore } from "./postgres/transactionStore";

export interface PostgresJournalOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * How long a session may sit idle inside a transaction before the server ends it (default 5 s):
   * keep it below the lease TTL, so that a paused instance cannot hold a lease row locked past it.
   */
  idleInTransactionTimeoutMs?: number;
  /** How long to keep trying to reach the database at open (default 15 s). */
  connectTimeoutMs?: number;
  now?: () => number;
  /** Told of connection trouble (messages never hold the password). */
  onError?: (message: string) => void;
}

export class PostgresJournal implements Journal {
  readonly operations: PgOperationStore;
  readonly transactions: PgTransactionStore;
  readonly events: PgEventOutbox;
  readonly requestNonces: PgRequestNonceStore;
  readonly leases: PgLeaseStore;
  readonly partners: PgPartnerDirectory;
  /** The URL as it may be shown: password hidden. */
  readonly displayUrl: string;
  private readonly group: PgGroupCommit;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly now: () => number,
    onError: (message: string) => void,
  ) {
    this.displayUrl = redactUrl(url);
    const instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.group = new PgGroupCommit(pool);
    this.events = new PgEventOutbox(pool, url, instanceId, (error, what) => onError(`${what}: ${redactMessage(error.message, url)}`));
    this.operations = new PgOperationStore(pool, this.group, this.events, now);
    this.transactions = new PgTransactionStore(pool, this.events, now);
    this.requestNonces = new PgRequestNonceStore(pool, this.group);
    this.leases = new PgLeaseStore(pool);
    this.partners = new PgPartnerDirectory(pool);
  }

  /** Connects, migrates and starts listening. Throws a ConfigError for a journal of a newer schema version, or a database that is not a journal. */
  static async open(url: string, options: PostgresJournalOptions = {}): Promise<PostgresJournal> {
    const onError = options.onError ?? (() => undefined);
    const pool = createPool(url, {
      max: options.poolSize,
      idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs,
      onError: (error) => onError(`journal connection lost: ${redactMessage(error.message, url)}`),
    });
    const deadline = Date.now() + (options.connectTimeoutMs ?? 15_000);
    for (;;) {
      try {
        await migrate(pool, redactUrl(url));
        break;
      } catch (error) {
        if (isConnectionError(error) && Date.now() < deadline) {
          onError(`journal unreachable at start, retrying: ${redactMessage((error as Error).message, url)}`);
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        await pool.end().catch(() => undefined);
        if (error instanceof Error && error.name === "ConfigError") throw error;
        throw new Error(`JOURNAL_URL ${redactUrl(url)}: ${redactMessage((error as Error).message, url)}`);
      }
    }
    const journal = new PostgresJournal(pool, url, options.now ?? Date.now, onError);
    await journal.events.listen();
    return journal;
  }

  async checkWritable(): Promise<void> {
    try {
      await this.pool.query("INSERT INTO probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at", [this.now()]);
    } catch (error) {
      throw new Error(`journal not writable: ${redactMessage((error as Error).message, this.url)}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.group.flush();
    await this.events.close();
    await this.pool.end();
  }
}
