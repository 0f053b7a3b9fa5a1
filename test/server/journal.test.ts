/**
 * The SQLite journal on its own (no chain, no HTTP): schema versions and migrations, the group
 * commit, and events written with the change that causes them.
 */
import { expect } from "chai";
import Database from "better-sqlite3";
import type { Request, Response } from "express";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRequest } from "../../sdk/src/auth";
import { ConfigError, UnauthenticatedError } from "../../server/errors";
import { agencyAuth } from "../../server/http/agencyAuth";
import type { Keystore } from "../../server/keystore";
import type { AcceptRequest, JournalEvent, NewOperation } from "../../server/store/journal";
import { MIGRATIONS, migrate } from "../../server/store/sqlite/migrations";
import { SqliteJournal } from "../../server/store/sqliteJournal";

/** The schema as the relay wrote it before versioning (server/store/sqliteSchema.ts at 6fe3c2d). */
const UNVERSIONED_SCHEMA = readFileSync(join(__dirname, "fixtures", "unversioned-journal-schema.sql"), "utf8").replace(/^(--[^\n]*\n)+/, "");
const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;
const SIGNER = "0x00000000000000000000000000000000000000a1";

function issue(id: string, claimId: bigint): NewOperation {
  return { id, kind: "issue", agency: "volunteer", signer: SIGNER, domainId: 1, claimId, payload: { resident: "0xabc", amount: "5", claimId: claimId.toString() } };
}

function request(key: string, operations: NewOperation[]): AcceptRequest {
  return { scope: "volunteer", idempotencyKey: key, requestHash: `hash-${key}`, operations };
}

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

function intent(id: string, nonce: bigint): NewOperation {
  return { id, kind: "exchange", signer: SIGNER, intent: { resident: "0xAbC", domainId: 1, nonce }, payload: { nonce: nonce.toString() } };
}

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
  describe("group commit", function () {
    it("answers accepts of the same turn together, only after their group is committed", async function () {
      const journal = new SqliteJournal(path());
      try {
        const first = journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
        const second = journal.operations.accept(request("key-2", [issue("op_2", 2n), issue("op_3", 3n)]));
        expect(committedOperationIds(path())).to.deep.equal([]);
        expect((await first).kind).to.equal("created");
        expect(committedOperationIds(path())).to.deep.equal(["op_1", "op_2", "op_3"]);
        expect(((await second) as { operations: { id: string }[] }).operations.map((o) => o.id)).to.deep.equal(["op_2", "op_3"]);
      } finally {
        await journal.close();
      }
    });

    it("rolls back only the request that fails: the same intent nonce twice in one group is one operation and one conflict", async function () {
      const journal = new SqliteJournal(path());
      try {
        const outcomes = await Promise.all([
          journal.operations.accept({ ...request("key-1", [intent("op_a", 4n)]), scope: "0xabc" }),
          journal.operations.accept({ ...request("key-2", [intent("op_b", 4n)]), scope: "0xabc" }),
          journal.operations.accept(request("key-3", [issue("op_c", 9n)])),
        ]);
        expect(outcomes.map((o) => o.kind)).to.deep.equal(["created", "intent-conflict", "created"]);
        expect(outcomes[1]).to.deep.equal({ kind: "intent-conflict", resident: "0xAbC", domainId: 1, nonce: "4" });
        expect(committedOperationIds(path())).to.deep.equal(["op_a", "op_c"]);
        expect(await journal.operations.findRequest("0xabc", "key-2")).to.equal(undefined);
      } finally {
        await journal.close();
      }
    });

    it("commits whatever is pending when the journal is closed", async function () {
      const journal = new SqliteJournal(path());
      const accepted = journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await journal.close();
      expect((await accepted).kind).to.equal("created");
      expect(committedOperationIds(path())).to.deep.equal(["op_1"]);
    });
  });

  describe("request nonces", function () {
    const expiresAt = () => Date.now() + 300_000;

    it("resolves a fresh nonce only once it is committed, and refuses it after, also after a restart", async function () {
      const journal = new SqliteJournal(path());
      const used = journal.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now());
      expect(committedNonces(path())).to.deep.equal([]);
      expect(await used).to.equal(true);
      expect(committedNonces(path())).to.deep.equal(["nonce-0001"]);
      expect(await journal.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now())).to.equal(false);
      expect(await journal.requestNonces.use("key-2", "nonce-0001", expiresAt(), Date.now())).to.equal(true);
      await journal.close();
      const reopened = new SqliteJournal(path());
      expect(await reopened.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now())).to.equal(false);
      await reopened.close();
    });

    it("refuses the same nonce used twice before the first is committed", async function () {
      const journal = new SqliteJournal(path());
      try {
        const outcomes = await Promise.all([
          journal.requestNonces.use("key-1", "nonce-0002", expiresAt(), Date.now()),
          journal.requestNonces.use("key-1", "nonce-0002", expiresAt(), Date.now()),
        ]);
        expect(outcomes).to.deep.equal([true, false]);
      } finally {
        await journal.close();
      }
    });

    it("lets a signed request through only after its nonce is committed, so it is answered only after", async function () {
      const journal = new SqliteJournal(path());
      try {
        const keystore = { byKeyId: new Map([["key-1", { name: "volunteer", secret: "a-test-secret" }]]) } as unknown as Keystore;
        const auth = agencyAuth(keystore, journal.requestNonces, 300);
        const headers = signRequest({ keyId: "key-1", secret: "a-test-secret" }, { method: "GET", host: "relay.test", path: "/v1/quota", body: "", nonce: "nonce-0003" });
        const call = (seen: string[][]) =>
          auth(
            { method: "GET", host: "relay.test", originalUrl: "/v1/quota", headers } as unknown as Request,
            { locals: { rawBody: Buffer.alloc(0) } } as unknown as Response,
            () => seen.push(committedNonces(path())),
          );
        const seen: string[][] = [];
        const [first, second] = await Promise.allSettled([call(seen), call(seen)]);
        expect(first.status).to.equal("fulfilled");
        expect(seen).to.deep.equal([["nonce-0003"]]);
        expect(second.status).to.equal("rejected");
        expect((second as PromiseRejectedResult).reason).to.be.instanceOf(UnauthenticatedError);
        expect((second as PromiseRejectedResult).reason.message).to.match(/replayed nonce/);
      } finally {
        await journal.close();
      }
    });
  });

  describe("events", function () {
    it("writes an operation's event in the transaction of its change, and tells listeners after the commit", async function () {
      const journal = new SqliteJournal(path());
      try {
        const heard: { events: JournalEvent[]; committed: string[] }[] = [];
        journal.events.onEvents((events) => heard.push({ events, committed: committed(path(), "SELECT type AS v FROM events ORDER BY seq") }));
        await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
        expect(heard).to.deep.equal([]);
        const tx = await journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0x01", raw: "0x02", kind: "issue", operationIds: ["op_1"] });
        expect(heard).to.have.length(1);
        expect(heard[0].committed).to.deep.equal(["operation.submitted"]);
        expect(heard[0].events.map((e) => [e.operationId, e.type, e.operation.status])).to.deep.equal([["op_1", "operation.submitted", "submitted"]]);
        expect(await journal.events.after("volunteer", 0, 10)).to.deep.equal(heard[0].events);
        await journal.transactions.confirm(tx.id, 12);
        const events = await journal.events.after("volunteer", 0, 10);
        expect(events.map((e) => e.type)).to.deep.equal(["operation.submitted", "operation.confirmed"]);
        expect(events[1].operation.transaction).to.deep.equal({ id: tx.id, hash: "0x01", nonce: 0, blockNumber: 12 });
      } finally {
        await journal.close();
      }
    });

    it("writes neither the change nor its events when the change fails", async function () {
      const journal = new SqliteJournal(path());
      try {
        let heard = 0;
        journal.events.onEvents(() => (heard += 1));
        await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
        const record = journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0x01", raw: "0x02", kind: "issueBatch", operationIds: ["op_1", "op_missing"] });
        let error: unknown;
        await record.catch((e) => (error = e));
        expect((error as Error).message).to.equal("operation op_missing is not queued");
        expect(heard).to.equal(0);
        expect(await journal.events.after("volunteer", 0, 10)).to.deep.equal([]);
        expect(await journal.transactions.live(SIGNER)).to.deep.equal([]);
        expect(await journal.transactions.nextNonce(SIGNER)).to.equal(undefined);
        expect((await journal.operations.get("op_1"))!.status).to.equal("queued");
      } finally {
        await journal.close();
      }
    });
  });
});
