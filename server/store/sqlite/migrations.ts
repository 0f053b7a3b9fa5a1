/**
 * The SQLite journal's schema, as numbered migrations. `PRAGMA user_version` holds the number of
 * the last one applied; at open the missing ones run in one transaction, so a journal is at the
 * version it had or at the latest, never in between. A migration is never edited once released: a change of
 * schema is a new migration at the end of the list.
 *
 * Journals written before the schema had a version are at user_version 0 with their tables in
 * place. Migration 1 is that schema exactly as it was (every statement `IF NOT EXISTS`), so on such
 * a journal it leaves every table and row as it is and only records version 1.
 */
import type Database from "better-sqlite3";
import { ConfigError } from "../../errors";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Migration 1: the schema as it was before versioning. Partial unique indexes keep a claim id or intent nonce live once. */
const SCHEMA_1 = `
CREATE TABLE IF NOT EXISTS requests (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  operation_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, idem_key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS operations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  agency TEXT,
  signer TEXT NOT NULL,
  domain_id INTEGER,
  claim_id TEXT,
  intent_scope TEXT,
  intent_nonce TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  tx_id INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS operations_live_claim ON operations (domain_id, claim_id)
  WHERE claim_id IS NOT NULL AND status <> 'failed';
CREATE UNIQUE INDEX IF NOT EXISTS operations_live_intent ON operations (intent_scope, intent_nonce)
  WHERE intent_scope IS NOT NULL AND status <> 'failed';
CREATE INDEX IF NOT EXISTS operations_queue ON operations (signer, status, kind, domain_id, seq);
CREATE INDEX IF NOT EXISTS operations_tx ON operations (tx_id);

CREATE TABLE IF NOT EXISTS transactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  signer TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  hash TEXT NOT NULL,
  raw TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  block_number INTEGER,
  sent_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS transactions_live_nonce ON transactions (signer, nonce) WHERE status <> 'dropped';
CREATE INDEX IF NOT EXISTS transactions_by_status ON transactions (signer, status, nonce);

-- Every transaction that ever carried an operation (an operation requeued after a drop loses its
-- tx_id, not this): what lets the relay tell an operation its own earlier transaction already did.
CREATE TABLE IF NOT EXISTS carried (
  operation_id TEXT NOT NULL,
  tx_id INTEGER NOT NULL,
  PRIMARY KEY (operation_id, tx_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS signers (
  address TEXT PRIMARY KEY,
  next_nonce INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  agency TEXT NOT NULL,
  operation_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  snapshot TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_agency ON events (agency, seq);

CREATE TABLE IF NOT EXISTS webhook_cursors (
  agency TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS request_nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS request_nonces_expiry ON request_nonces (expires_at);

CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
`;

/**
 * Migration 2: operations by status, signer and seq. A lane's next queued operation (`status =
 * 'queued' AND signer = ? ORDER BY seq LIMIT n`) is then read in index order, where the
 * operations_queue index (kind and domain between status and seq) made SQLite sort every queued
 * row first; and counting unfinished operations is a range of it, not a scan of every operation
 * the journal ever held (24 ms at 100,000 operations, measured here).
 */
const SCHEMA_2 = `
CREATE INDEX IF NOT EXISTS operations_by_status ON operations (status, signer, seq);
`;

/** Migration 3: the partner directory (display names agencies give their partners). */
const SCHEMA_3 = `
CREATE TABLE partner_names (
  domain_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (domain_id, address)
) WITHOUT ROWID;
CREATE INDEX partner_names_by_address ON partner_names (address, domain_id);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: "operations, requests, transactions, carried, signers, events, webhook cursors, request nonces, probe", sql: SCHEMA_1 },
  { version: 2, description: "index operations by status, signer and seq (a lane's queue in order; unfinished operations counted by range)", sql: SCHEMA_2 },
  { version: 3, description: "partner directory (partner_names)", sql: SCHEMA_3 },
];

/** The tables migration 1 creates: what a journal from before versioning holds. */
const UNVERSIONED_TABLES = new Set(["requests", "operations", "transactions", "carried", "signers", "events", "webhook_cursors", "request_nonces", "probe"]);

/**
 * Brings the journal to the latest version, in one IMMEDIATE transaction (a second process opening
 * the same file waits, then finds it migrated). Refuses, with the journal untouched, a journal of a
 * newer version than this code knows, and a file at version 0 that holds tables no journal has.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  return db
    .transaction(() => {
      const from = db.pragma("user_version", { simple: true }) as number;
      if (from > latest) {
        throw new ConfigError([
          `JOURNAL_PATH ${path}: the journal is at schema version ${from}, but this relay knows versions up to ${latest}; ` +
            "it was written by a newer relay: run that relay (or a later one) on it, not this one",
        ]);
      }
      if (from === 0) {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
        const foreign = tables.map((t) => t.name).filter((name) => !UNVERSIONED_TABLES.has(name));
        if (foreign.length > 0) {
          throw new ConfigError([`JOURNAL_PATH ${path}: not a relay journal (it has tables ${foreign.join(", ")} and no journal schema version)`]);
        }
      }
      for (const migration of migrations) {
        if (migration.version <= from) continue;
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }
      return { from, to: Math.max(from, latest) };
    })
    .immediate();
}
