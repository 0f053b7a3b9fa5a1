/**
 * The SQLite journal on its own (no chain, no HTTP): schema versions and migrations, and the
 * journal's contract (journal.behavior.ts, shared with the PostgreSQL journal), plus what only
 * SQLite shows (nothing visible before the group's commit, synchronously).
 */
import { expect } from "chai";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../server/errors";
import { MIGRATIONS, migrate } from "../../server/store/sqlite/migrations";
import { COUNT_UNFINISHED, QUEUED_OPERATIONS } from "../../server/store/sqlite/rows";
import { SqliteJournal } from "../../server/store/sqliteJournal";
import { issue, journalBehavior, request, SIGNER } from "./journal.behavior";

/** The schema as the relay wrote it before versioning (server/store/sqliteSchema.ts at 6fe3c2d). */
const UNVERSIONED_SCHEMA = readFileSync(join(__dirname, "fixtures", "unversioned-journal-schema.sql"), "utf8").replace(/^(--[^\n]*\n)+/, "");
const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** What another connection sees: only what is committed. */
function committed(path: string, sql: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], { v: string }>(sql).all().map((r) => r.v);
  } finally {
    db.close();
  }
}
const committedOperationIds = (path: string) => committed(path, "SELECT id AS v FROM operations ORDER BY seq");
const committedNonces = (path: string) => committed(path, "SELECT nonce AS v FROM request_nonces ORDER BY nonce");

describe("the SQLite journal", function () {
  let dir: string;
  let n = 0;
  const path = () => join(dir, `journal-${n}.db`);

  beforeEach(function () {
    dir ??= mkdtempSync(join(tmpdir(), "journal-test-"));
    n += 1;
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("schema versions", function () {
    it("migration 1 is exactly the schema the journal had before it was versioned", function () {
      expect(MIGRATIONS[0].version).to.equal(1);
      expect(MIGRATIONS[0].sql.trim()).to.equal(UNVERSIONED_SCHEMA.trim());
    });

    it("numbers migrations 1, 2, 3, ... without gaps", function () {
      expect(MIGRATIONS.map((m) => m.version)).to.deep.equal(MIGRATIONS.map((_, i) => i + 1));
    });

    it("reads a lane's queue in index order and counts unfinished operations by a range, never sorting or scanning the journal", async function () {
      await new SqliteJournal(path()).close();
      const db = new Database(path(), { readonly: true });
      try {
        const plan = (sql: string, ...params: unknown[]) =>
          db
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((row) => (row as { detail: string }).detail)
            .join(" | ");
        // Without migration 2 these were "... USE TEMP B-TREE FOR ORDER BY" and "SCAN operations ...".
        expect(plan(QUEUED_OPERATIONS, SIGNER, 1)).to.match(/^SEARCH o USING INDEX operations_by_status \(status=\? AND signer=\?\)/);
        expect(plan(QUEUED_OPERATIONS, SIGNER, 1)).not.to.include("TEMP B-TREE");
        expect(plan(COUNT_UNFINISHED)).to.match(/^SEARCH operations USING COVERING INDEX operations_by_status \(status=\?\)$/);
      } finally {
        db.close();
      }
    });

    it("creates a new journal at the latest version", async function () {
      const journal = new SqliteJournal(path());
      await journal.close();
      expect(userVersion(path())).to.equal(LATEST);
    });

    it("upgrades a journal written before versioning in place, losing nothing", async function () {
      // A journal as the code before versioning left it: the old schema, no user_version, rows in it.
      const old = new Database(path());
      old.pragma("journal_mode = WAL");
      old.exec(UNVERSIONED_SCHEMA);
      old
        .prepare(
          `INSERT INTO operations (id, kind, agency, signer, domain_id, claim_id, intent_scope, intent_nonce, payload, status, created_at, updated_at)
           VALUES ('op_old', 'issue', 'volunteer', ?, 1, '1042', NULL, NULL, '{"resident":"0xabc","amount":"50","claimId":"1042"}', 'queued', 1000, 1000)`,
        )
        .run(SIGNER);
      old.prepare("INSERT INTO requests (scope, idem_key, request_hash, operation_ids, created_at) VALUES ('volunteer', 'key-1', 'hash-1', '[\"op_old\"]', 1000)").run();
      old.prepare("INSERT INTO signers (address, next_nonce) VALUES (?, 7)").run(SIGNER);
      old.prepare("INSERT INTO events (agency, operation_id, type, at, snapshot) VALUES ('volunteer', 'op_old', 'operation.submitted', 1000, '{\"id\":\"op_old\"}')").run();
      old.prepare("INSERT INTO webhook_cursors (agency, seq) VALUES ('volunteer', 1)").run();
      old.prepare("INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES ('key', 'nonce-0001', ?)").run(Date.now() + 60_000);
      expect(old.pragma("user_version", { simple: true })).to.equal(0);
      old.close();

      const journal = new SqliteJournal(path());
      try {
        expect(userVersion(path())).to.equal(LATEST);
        const op = await journal.operations.get("op_old");
        expect(op).to.include({ id: "op_old", kind: "issue", agency: "volunteer", signer: SIGNER, domainId: 1, claimId: "1042", status: "queued", attempts: 0 });
        expect(op!.payload).to.deep.equal({ resident: "0xabc", amount: "50", claimId: "1042" });
        const earlier = await journal.operations.findRequest("volunteer", "key-1");
        expect(earlier!.requestHash).to.equal("hash-1");
        expect(earlier!.operations.map((o) => o.id)).to.deep.equal(["op_old"]);
        expect(await journal.operations.queued(SIGNER, 10)).to.have.length(1);
        expect(await journal.transactions.nextNonce(SIGNER)).to.equal(7);
        expect((await journal.events.after("volunteer", 0, 10)).map((e) => e.operationId)).to.deep.equal(["op_old"]);
        expect(await journal.events.webhookCursor("volunteer")).to.equal(1);
        expect(await journal.requestNonces.use("key", "nonce-0001", Date.now() + 60_000, Date.now())).to.equal(false);
        // The claim is still live: the same claim id under another key is a conflict.
        expect(await journal.operations.accept(request("key-2", [issue("op_new", 1042n)]))).to.deep.equal({ kind: "claim-conflict", claimIds: ["1042"] });
      } finally {
        await journal.close();
      }
      // And it opens again as an ordinary journal of the latest version.
      const again = new SqliteJournal(path());
      expect((await again.operations.get("op_old"))!.status).to.equal("queued");
      await again.close();
    });

    it("refuses a journal of a newer version than it knows, with a configuration error, and leaves it untouched", async function () {
      const journal = new SqliteJournal(path());
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await journal.close();
      const db = new Database(path());
      db.pragma(`user_version = ${LATEST + 1}`);
      db.close();

      let error: unknown;
      try {
        new SqliteJournal(path());
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems).to.have.length(1);
      expect((error as ConfigError).problems[0]).to.match(
        new RegExp(`^JOURNAL_PATH .*journal-${n}\\.db: the journal is at schema version ${LATEST + 1}, but this relay knows versions up to ${LATEST}`),
      );
      expect(userVersion(path())).to.equal(LATEST + 1);
      expect(committedOperationIds(path())).to.deep.equal(["op_1"]);
    });

    it("refuses a file that is not a journal", function () {
      const db = new Database(path());
      db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
      db.close();
      expect(() => new SqliteJournal(path())).to.throw(ConfigError, /not a relay journal \(it has tables invoices/);
      expect(userVersion(path())).to.equal(0);
    });

    it("applies the missing migrations in one transaction: a failing one leaves the journal as it was", function () {
      const db = new Database(path());
      try {
        const broken = [...MIGRATIONS, { version: LATEST + 1, description: "broken", sql: "CREATE TABLE later (a TEXT); INSERT INTO nowhere VALUES (1);" }];
        expect(() => migrate(db, path(), broken)).to.throw(/no such table: nowhere/);
        expect(db.pragma("user_version", { simple: true })).to.equal(0);
        expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).to.deep.equal([]);
      } finally {
        db.close();
      }
    });

    it("takes a journal of an earlier version forward with the later migrations only", async function () {
      const journal = new SqliteJournal(path());
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await journal.close();
      const db = new Database(path());
      try {
        const next = { version: LATEST + 1, description: "a later column", sql: "ALTER TABLE operations ADD COLUMN note TEXT;" };
        expect(migrate(db, path(), [...MIGRATIONS, next])).to.deep.equal({ from: LATEST, to: LATEST + 1 });
        expect(db.prepare<[], { id: string; note: string | null }>("SELECT id, note FROM operations").all()).to.deep.equal([{ id: "op_1", note: null }]);
        expect(migrate(db, path(), [...MIGRATIONS, next])).to.deep.equal({ from: LATEST + 1, to: LATEST + 1 });
      } finally {
        db.close();
      }
    });
  });
  describe("the contract of every journal", function () {
    journalBehavior(() => ({
      fresh: async () => {
        n += 1;
        return new SqliteJournal(path());
      },
      again: async () => new SqliteJournal(path()),
      committed: async (sql) => committed(path(), sql.replace(/^SELECT (\w+) /, "SELECT $1 AS v ")),
    }));
  });

  describe("on SQLite", function () {
    it("commits accepts of one turn together: nothing is visible before the group's commit", async function () {
      const journal = new SqliteJournal(path());
      try {
        const first = journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
        journal.operations.accept(request("key-2", [issue("op_2", 2n)]));
        expect(committedOperationIds(path())).to.deep.equal([]);
        await first;
        expect(committedOperationIds(path())).to.deep.equal(["op_1", "op_2"]);
      } finally {
        await journal.close();
      }
    });

    it("writes a request nonce with the next group commit, not before", async function () {
      const journal = new SqliteJournal(path());
      try {
        const used = journal.requestNonces.use("key-1", "nonce-0001", Date.now() + 300_000, Date.now());
        expect(committedNonces(path())).to.deep.equal([]);
        expect(await used).to.equal(true);
        expect(committedNonces(path())).to.deep.equal(["nonce-0001"]);
      } finally {
        await journal.close();
      }
    });
  });
});
