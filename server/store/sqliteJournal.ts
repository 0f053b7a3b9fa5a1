/**
 * The journal on SQLite (better-sqlite3, WAL): its four repositories over one database and one
 * group commit (server/store/sqlite/), and the partner directory. Each change is one SQLite transaction, so a crash leaves every
 * operation and transaction either fully recorded or not at all. WAL with synchronous=NORMAL
 * survives a killed process; synchronous=FULL (option) also survives power loss. The schema is
 * brought to its latest version at open (sqlite/migrations.ts).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Journal } from "./journal";
import { LocalLeaseStore } from "./localLeases";
import { SqliteEventOutbox } from "./sqlite/eventOutbox";
import { GroupCommit } from "./sqlite/groupCommit";
import { migrate } from "./sqlite/migrations";
import { SqliteOperationStore } from "./sqlite/operationStore";
import { SqlitePartnerDirectory } from "./sqlite/partnerDirectory";
import { SqliteRequestNonceStore } from "./sqlite/requestNonceStore";
import { SqliteTransactionStore } from "./sqlite/transactionStore";

export interface SqliteJournalOptions {
  /** Also survive power loss (fsync on every commit), at some cost in throughput. */
  durableFsync?: boolean;
  now?: () => number;
}

export class SqliteJournal implements Journal {
  readonly operations: SqliteOperationStore;
  readonly transactions: SqliteTransactionStore;
  readonly events: SqliteEventOutbox;
  readonly requestNonces: SqliteRequestNonceStore;
  readonly partners: SqlitePartnerDirectory;
  /** One process per SQLite journal: every lease is always held. */
  readonly leases = new LocalLeaseStore();
  private readonly db: Database.Database;
  private readonly group: GroupCommit;
  private readonly probe: Database.Statement<[number]>;
  private readonly now: () => number;

  /** Throws a ConfigError for a journal of a newer schema version, or a file that is not a journal. */
  constructor(path: string, options: SqliteJournalOptions = {}) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    try {
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma(`synchronous = ${options.durableFsync ? "FULL" : "NORMAL"}`);
      // Before anything is written to the file: a journal this code must refuse stays as it is.
      migrate(this.db, path);
      this.db.pragma("journal_mode = WAL");
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.now = options.now ?? Date.now;
    this.group = new GroupCommit(this.db);
    this.events = new SqliteEventOutbox(this.db);
    this.operations = new SqliteOperationStore(this.db, this.group, this.events, this.now);
    this.transactions = new SqliteTransactionStore(this.db, this.events, this.now);
    this.requestNonces = new SqliteRequestNonceStore(this.db, this.group);
    this.partners = new SqlitePartnerDirectory(this.db);
    this.probe = this.db.prepare("INSERT INTO probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at");
  }

  async checkWritable(): Promise<void> {
    this.probe.run(this.now());
  }

  async close(): Promise<void> {
    this.group.flush();
    if (this.db.open) this.db.close();
  }
}
