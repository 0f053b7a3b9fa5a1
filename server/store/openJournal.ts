/** The journal the configuration names: PostgreSQL for JOURNAL_URL, SQLite for JOURNAL_PATH (exactly one is set: config.ts). */
import type { RelayConfig } from "../config";
import type { Logger } from "../logger";
import type { Journal } from "./journal";
import { PostgresJournal } from "./postgresJournal";
import { SqliteJournal } from "./sqliteJournal";

export async function openJournal(config: Pick<RelayConfig, "JOURNAL_PATH" | "JOURNAL_URL" | "JOURNAL_POOL_SIZE" | "LEASE_TTL_MS">, logger: Logger): Promise<Journal> {
  if (config.JOURNAL_URL) {
    const journal = await PostgresJournal.open(config.JOURNAL_URL, {
      poolSize: config.JOURNAL_POOL_SIZE,
      // A paused instance's open transaction (and its lock on a lease row) ends well before the lease expires.
      idleInTransactionTimeoutMs: Math.max(500, Math.floor(config.LEASE_TTL_MS / 2)),
      onError: (message) => logger.warn(message),
    });
    logger.info({ journal: journal.displayUrl }, "journal: PostgreSQL");
    return journal;
  }
  return new SqliteJournal(config.JOURNAL_PATH!);
}
