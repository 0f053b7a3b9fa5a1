/** SQLite schema of the journal. Partial unique indexes keep a claim id or intent nonce live once. */
export const JOURNAL_SCHEMA = `
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
