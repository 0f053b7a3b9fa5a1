/**
 * The PostgreSQL journal's schema, as numbered migrations recorded in a version table
 * (`journal_schema`: one row per migration applied). At open the missing ones run in one
 * transaction (PostgreSQL's DDL is transactional), under an advisory lock so that instances
 * starting at the same moment migrate once: a journal is at the version it had or at the latest,
 * never in between. A migration is never edited once released; a change of schema is a new one.
 *
 * The tables mirror the SQLite journal's (server/store/sqlite/migrations.ts), plus what several
 * instances sharing one journal need: `leases` (one holder at a time per signer and per agency's
 * webhooks, with a fencing token), `event_counters` (each agency's event sequence, assigned under
 * a row lock so that events commit in the order of their seq), and each transaction's lease token.
 */
import type { Pool } from "pg";
import { ConfigError } from "../../errors";
import { transaction } from "./db";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const SCHEMA_1 = `
CREATE TABLE requests (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  operation_ids TEXT[] NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);

CREATE TABLE operations (
  seq BIGSERIAL PRIMARY KEY,
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
  tx_id BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- A claim id, and a resident's intent nonce, is live (not failed) once: across every instance.
CREATE UNIQUE INDEX operations_live_claim ON operations (domain_id, claim_id)
  WHERE claim_id IS NOT NULL AND status <> 'failed';
CREATE UNIQUE INDEX operations_live_intent ON operations (intent_scope, intent_nonce)
  WHERE intent_scope IS NOT NULL AND status <> 'failed';
CREATE INDEX operations_queue ON operations (signer, status, kind, domain_id, seq);
CREATE INDEX operations_tx ON operations (tx_id);
CREATE INDEX operations_unfinished ON operations (status) WHERE status IN ('queued', 'submitted');

CREATE TABLE transactions (
  id BIGSERIAL PRIMARY KEY,
  signer TEXT NOT NULL,
  nonce BIGINT NOT NULL,
  hash TEXT NOT NULL,
  raw TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  block_number BIGINT,
  sent_at BIGINT,
  created_at BIGINT NOT NULL,
  -- The lease holding under which it was signed (0: none).
  lease_token BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX transactions_live_nonce ON transactions (signer, nonce) WHERE status <> 'dropped';
CREATE INDEX transactions_by_status ON transactions (signer, status, nonce);

-- Every transaction that ever carried an operation (an operation requeued after a drop loses its
-- tx_id, not this): what lets the relay tell an operation its own earlier transaction already did.
CREATE TABLE carried (
  operation_id TEXT NOT NULL,
  tx_id BIGINT NOT NULL,
  PRIMARY KEY (operation_id, tx_id)
);

CREATE TABLE signers (
  address TEXT PRIMARY KEY,
  next_nonce BIGINT NOT NULL
);

-- Each agency's events, numbered 1, 2, 3, ... by event_counters under its row lock (held to the
-- commit): an event commits after every event of the agency with a lower seq.
CREATE TABLE event_counters (
  agency TEXT PRIMARY KEY,
  last BIGINT NOT NULL
);
CREATE TABLE events (
  agency TEXT NOT NULL,
  seq BIGINT NOT NULL,
  operation_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (agency, seq)
);

CREATE TABLE webhook_cursors (
  agency TEXT PRIMARY KEY,
  seq BIGINT NOT NULL
);

CREATE TABLE request_nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces (expires_at);

-- One holder at a time per lease (signer:<address>, webhooks:<agency>); token + 1 at each acquisition.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token BIGINT NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE probe (id INTEGER PRIMARY KEY, at BIGINT NOT NULL);
`;

/** Migration 2: the partner directory, as SQLite's migration 2. */
const SCHEMA_2 = `
CREATE TABLE partner_names (
  domain_id INTEGER NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (domain_id, address)
);
CREATE INDEX partner_names_by_address ON partner_names (address, domain_id);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "operations, requests, transactions, carried, signers, events and their counters, webhook cursors, request nonces, leases, probe",
    sql: SCHEMA_1,
  },
  { version: 2, description: "partner directory (partner_names)", sql: SCHEMA_2 },
];

const VERSION_TABLE = "journal_schema";
/** pg_advisory_xact_lock key of the migration: "cityjrnl" as 8 bytes. */
const MIGRATION_LOCK = "7237666174620000000";

/**
 * Brings the database to the latest version in one transaction. Refuses, untouched, a journal of
 * a newer version than this code knows, and a database whose schema holds other tables and no
 * journal version (not a journal: the relay wants a database, or a schema, of its own).
 */
export async function migrate(pool: Pool, displayUrl: string, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  return transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    const tables = (
      await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    ).rows.map((r) => r.name);
    let from = 0;
    if (tables.includes(VERSION_TABLE)) {
      from = (await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${VERSION_TABLE}`)).rows[0].v ?? 0;
    } else if (tables.length > 0) {
      throw new ConfigError([`JOURNAL_URL ${displayUrl}: not a relay journal (it has tables ${tables.join(", ")} and no journal schema version)`]);
    }
    if (from > latest) {
      throw new ConfigError([
        `JOURNAL_URL ${displayUrl}: the journal is at schema version ${from}, but this relay knows versions up to ${latest}; ` +
          "it was written by a newer relay: run that relay (or a later one) on it, not this one",
      ]);
    }
    if (from < latest) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      for (const migration of migrations) {
        if (migration.version <= from) continue;
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${VERSION_TABLE} (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
      }
    }
    return { from, to: Math.max(from, latest) };
  });
}
