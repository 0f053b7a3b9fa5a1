/**
 * The PostgreSQL journal on its own, against a real PostgreSQL server started for the test
 * (scripts/lib/postgres.ts: initdb + pg_ctl; Debian's `postgresql` package, installed by .ci/run):
 * the journal's contract (journal.behavior.ts, as for SQLite), its schema versions, and what
 * several instances sharing one database rely on: one operation per idempotency key, one use per
 * request nonce, one live claim, each agency's events in commit order without a gap, and wake-ups
 * across instances (also after the notification connection was dropped). The URL's password never
 * appears in an error.
 */
import { expect } from "chai";
import { Client, Pool } from "pg";
import { startPostgres, type PostgresServer } from "../../scripts/lib/postgres";
import { parseRelayConfig } from "../../server/config";
import { ConfigError } from "../../server/errors";
import type { JournalEvent } from "../../server/store/journal";
import { MIGRATIONS, migrate } from "../../server/store/postgres/migrations";
import { PostgresJournal } from "../../server/store/postgresJournal";
import { intent, issue, journalBehavior, request, SIGNER } from "./journal.behavior";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("the PostgreSQL journal", function () {
  this.timeout(120_000);
  let pg: PostgresServer;
  let n = 0;
  let url = "";
  const open: PostgresJournal[] = [];
  const journal = async (u = url) => {
    const j = await PostgresJournal.open(u, { connectTimeoutMs: 2_000 });
    open.push(j);
    return j;
  };
  const freshUrl = () => {
    n += 1;
    url = pg.createDatabase(`journal_${n}`);
    return url;
  };
  async function query<T>(u: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: u });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  before(async function () {
    pg = await startPostgres();
  });
  afterEach(async function () {
    for (const j of open.splice(0)) await j.close().catch(() => undefined);
  });
  after(async function () {
    await pg?.stop();
  });

  describe("the contract of every journal", function () {
    journalBehavior(() => ({
      fresh: async () => PostgresJournal.open(freshUrl()),
      again: async () => PostgresJournal.open(url),
      committed: async (sql) => (await query<Record<string, unknown>>(url, sql)).map((r) => String(Object.values(r)[0])),
    }));
  });

  describe("schema versions", function () {
    it("creates a new journal at the latest version, recorded in its version table, and opens it again as it is", async function () {
      const u = freshUrl();
      await journal(u);
      const versions = await query<{ version: number }>(u, "SELECT version FROM journal_schema ORDER BY version");
      expect(versions.map((v) => v.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
      const second = await journal(u);
      await second.operations.accept(request("key-1", [issue("op_1", 1n)]));
      expect((await query(u, "SELECT version FROM journal_schema")).length).to.equal(LATEST);
    });

    it("numbers migrations 1, 2, 3, ... without gaps", function () {
      expect(MIGRATIONS.map((m) => m.version)).to.deep.equal(MIGRATIONS.map((_, i) => i + 1));
    });

    it("refuses a journal of a newer version, naming the URL without its password, and leaves it untouched", async function () {
      const u = freshUrl();
      const j = await journal(u);
      await j.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await query(u, "INSERT INTO journal_schema (version, description) VALUES ($1, 'from the future')", [LATEST + 1]);
      const error = await rejection(journal(u));
      expect(error).to.be.instanceOf(ConfigError);
      const problem = (error as ConfigError).problems[0];
      expect(problem).to.match(
        new RegExp(`^JOURNAL_URL postgres://relay:\\*\\*\\*@127\\.0\\.0\\.1:${pg.port}/journal_${n}: the journal is at schema version ${LATEST + 1}, but this relay knows versions up to ${LATEST}`),
      );
      expect(error.message).to.not.include(pg.password);
      expect((await query<{ id: string }>(u, "SELECT id FROM operations")).map((r) => r.id)).to.deep.equal(["op_1"]);
    });

    it("refuses a database that is not a journal", async function () {
      const u = freshUrl();
      await query(u, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
      const error = await rejection(journal(u));
      expect(error).to.be.instanceOf(ConfigError);
      expect(error.message).to.match(/not a relay journal \(it has tables invoices and no journal schema version\)/);
      expect(error.message).to.not.include(pg.password);
    });

    it("applies the missing migrations in one transaction: a failing one leaves the database as it was", async function () {
      const u = freshUrl();
      const pool = new Pool({ connectionString: u });
      try {
        const broken = [...MIGRATIONS, { version: LATEST + 1, description: "broken", sql: "CREATE TABLE later (a TEXT); INSERT INTO nowhere VALUES (1);" }];
        expect((await rejection(migrate(pool, "postgres://…", broken))).message).to.match(/relation "nowhere" does not exist/);
        expect(await query(u, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).to.deep.equal([]);
        expect(await migrate(pool, "postgres://…")).to.deep.equal({ from: 0, to: LATEST });
        const next = { version: LATEST + 1, description: "a later column", sql: "ALTER TABLE operations ADD COLUMN note TEXT;" };
        expect(await migrate(pool, "postgres://…", [...MIGRATIONS, next])).to.deep.equal({ from: LATEST, to: LATEST + 1 });
        expect(await migrate(pool, "postgres://…", [...MIGRATIONS, next])).to.deep.equal({ from: LATEST + 1, to: LATEST + 1 });
      } finally {
        await pool.end();
      }
    });

    it("migrates once when instances start at the same moment", async function () {
      const u = freshUrl();
      await Promise.all([journal(u), journal(u), journal(u)]);
      expect((await query(u, "SELECT version FROM journal_schema")).length).to.equal(LATEST);
    });

    it("never shows the password: a wrong one, and an unreachable server", async function () {
      const wrong = url.replace(pg.password, "not-the-password-123");
      const denied = await rejection(journal(wrong));
      expect(denied.message).to.match(/^JOURNAL_URL postgres:\/\/relay:\*\*\*@/);
      expect(denied.message).to.match(/password authentication failed/);
      expect(denied.message).to.not.include("not-the-password-123");
      const nowhere = `postgres://relay:${pg.password}@127.0.0.1:1/journal`;
      const unreachable = await rejection(PostgresJournal.open(nowhere, { connectTimeoutMs: 200 }));
      expect(unreachable.message).to.match(/^JOURNAL_URL postgres:\/\/relay:\*\*\*@127\.0\.0\.1:1\/journal: .*ECONNREFUSED/);
      expect(unreachable.message).to.not.include(pg.password);
    });
  });

  describe("configuration", function () {
    const base = { RPC_URL: "http://127.0.0.1:8545", DEPLOYMENT_FILE: "d.json", KEYSTORE_FILE: "k.json", RELAY_MASTER_KEY: "ab".repeat(32) };
    const problems = (env: Record<string, string>) => {
      try {
        parseRelayConfig({ ...base, ...env });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };

    it("takes exactly one of JOURNAL_PATH (SQLite) and JOURNAL_URL (PostgreSQL), saying so", function () {
      expect(parseRelayConfig({ ...base, JOURNAL_URL: "postgres://relay:secret@db.example:5432/journal" })).to.include({ JOURNAL_URL: "postgres://relay:secret@db.example:5432/journal", JOURNAL_PATH: undefined, LEASE_TTL_MS: 5_000 });
      expect(parseRelayConfig({ ...base, JOURNAL_PATH: "/var/lib/relay/journal.db", JOURNAL_URL: "" })).to.include({ JOURNAL_PATH: "/var/lib/relay/journal.db" });
      expect(problems({})).to.deep.equal([
        "JOURNAL_PATH or JOURNAL_URL: one is required (JOURNAL_PATH: a SQLite file, for one relay process; JOURNAL_URL: postgres://..., for several instances)",
      ]);
      expect(problems({ JOURNAL_PATH: "j.db", JOURNAL_URL: "postgres://relay:secret@db/journal" })).to.deep.equal([
        "JOURNAL_PATH and JOURNAL_URL: set only one (JOURNAL_PATH for a SQLite journal, JOURNAL_URL for a PostgreSQL journal)",
      ]);
    });

    it("refuses a JOURNAL_URL that is not a PostgreSQL database's, without repeating it", function () {
      for (const bad of ["mysql://relay:hunter2-secret@db/journal", "postgres://relay:hunter2-secret@db", "hunter2-secret"]) {
        const found = problems({ JOURNAL_URL: bad });
        expect(found, bad).to.have.length(1);
        expect(found[0]).to.match(/^JOURNAL_URL: must be a postgres:\/\/ \(or postgresql:\/\/\) URL/);
        expect(found[0]).to.not.include("hunter2-secret");
      }
      expect(problems({ JOURNAL_URL: "postgres://relay:x@db/journal", LEASE_TTL_MS: "10" })[0]).to.match(/^LEASE_TTL_MS: /);
    });
  });

  describe("several instances on one database", function () {
    it("makes one operation of the same idempotency key sent to two instances at the same moment", async function () {
      const [a, b] = await Promise.all([journal(freshUrl()), journal(url)]);
      for (let i = 0; i < 20; i += 1) {
        const key = `key-${i}`;
        const [x, y] = await Promise.all([
          a.operations.accept(request(key, [issue(`op_a${i}`, BigInt(i))])),
          b.operations.accept(request(key, [issue(`op_b${i}`, BigInt(i))])),
        ]);
        expect([x.kind, y.kind].sort(), key).to.deep.equal(["created", "replayed"]);
        const ids = (o: typeof x) => (o as { operations: { id: string }[] }).operations.map((op) => op.id);
        expect(ids(x)).to.deep.equal(ids(y));
      }
      expect((await query(url, "SELECT count(*)::int AS n FROM operations"))[0]).to.deep.equal({ n: 20 });
    });

    it("refuses a claim id or an intent nonce taken at the same moment on the other instance", async function () {
      const [a, b] = await Promise.all([journal(freshUrl()), journal(url)]);
      for (let i = 0; i < 10; i += 1) {
        const claims = await Promise.all([
          a.operations.accept(request(`a-${i}`, [issue(`op_a${i}`, BigInt(1000 + i))])),
          b.operations.accept(request(`b-${i}`, [issue(`op_b${i}`, BigInt(1000 + i))])),
        ]);
        expect(claims.map((o) => o.kind).sort()).to.deep.equal(["claim-conflict", "created"]);
        const intents = await Promise.all([
          a.operations.accept({ ...request(`ia-${i}`, [intent(`op_ia${i}`, BigInt(i))]), scope: "0xabc" }),
          b.operations.accept({ ...request(`ib-${i}`, [intent(`op_ib${i}`, BigInt(i))]), scope: "0xabc" }),
        ]);
        expect(intents.map((o) => o.kind).sort()).to.deep.equal(["created", "intent-conflict"]);
      }
    });

    it("lets one of two instances spend a request nonce sent to both at the same moment", async function () {
      const [a, b] = await Promise.all([journal(freshUrl()), journal(url)]);
      for (let i = 0; i < 20; i += 1) {
        const exp = Date.now() + 300_000;
        const outcomes = await Promise.all([a.requestNonces.use("key-1", `nonce-${i}-x`, exp, Date.now()), b.requestNonces.use("key-1", `nonce-${i}-x`, exp, Date.now())]);
        expect(outcomes.sort()).to.deep.equal([false, true]);
      }
    });

    it("wakes another instance for the events one commits, which it reads from the table; also after its notifications were cut", async function () {
      const [a, b] = await Promise.all([journal(freshUrl()), journal(url)]);
      const heard: (string | undefined)[] = [];
      let wake: (() => void) | undefined;
      b.events.onExternalEvents((agency) => {
        heard.push(agency);
        wake?.();
      });
      const next = () => new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no wake-up; heard ${JSON.stringify(heard)}`)), 10_000);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
      let localOnB = 0;
      b.events.onEvents(() => (localOnB += 1));
      const a1 = a.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await a1;
      const woken = next();
      await a.transactions.record({ signer: SIGNER, nonce: 0, hash: "0x01", raw: "0x02", kind: "issue", operationIds: ["op_1"] });
      await woken;
      expect(heard).to.deep.equal(["volunteer"]);
      expect(localOnB).to.equal(0);
      expect((await b.events.after("volunteer", 0, 10)).map((e) => [e.operationId, e.type])).to.deep.equal([["op_1", "operation.submitted"]]);
      // B's own events do not come back to it as external ones.
      await b.operations.accept(request("key-2", [issue("op_2", 2n)]));
      await b.transactions.record({ signer: SIGNER, nonce: 1, hash: "0x03", raw: "0x04", kind: "issue", operationIds: ["op_2"] });
      expect(localOnB).to.equal(1);

      // The listening connection dropped: B reconnects and tells every reader to look again.
      const reconnected = next();
      await query(pg.adminUrl, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'city-points-relay-listen' AND datname = $1", [
        `journal_${n}`,
      ]);
      await reconnected;
      expect(heard[heard.length - 1]).to.equal(undefined);
      await new Promise((r) => setTimeout(r, 200)); // the second instance (a) reconnects too
      heard.length = 0;
      const again = next();
      await a.transactions.confirm(1, 5);
      await again;
      expect(heard.filter((h) => h !== undefined)).to.deep.equal(["volunteer"]);
    });

    it("never lets a reader that tails an agency's events skip one that commits late: events commit in seq order, without gaps", async function () {
      const [a, b, reader] = await Promise.all([journal(freshUrl()), journal(url), journal(url)]);
      const OPS = 120;
      for (let i = 0; i < OPS; i += 1) await (i % 2 ? a : b).operations.accept(request(`key-${i}`, [issue(`op_${i}`, BigInt(i))]));
      const seen: JournalEvent[] = [];
      let cursor = 0;
      let writing = true;
      const tail = (async () => {
        while (writing || seen.length < OPS * 2) {
          const page = await reader.events.after("volunteer", cursor, 50);
          for (const e of page) {
            seen.push(e);
            cursor = e.seq;
          }
          if (page.length === 0) {
            if (!writing && seen.length < OPS * 2) {
              // Everything is committed: a second look must find nothing more than the first did.
              const rest = await reader.events.after("volunteer", 0, 10_000);
              throw new Error(`the reader missed ${rest.length - seen.length} events (saw ${seen.length} of ${rest.length})`);
            }
            await new Promise((r) => setImmediate(r));
          }
        }
      })();
      // Every operation is submitted and confirmed by either instance, all at once and interleaved.
      await Promise.all(
        Array.from({ length: OPS }, async (_, i) => {
          const store = (i % 3 ? a : b).transactions;
          const tx = await store.record({ signer: `0xsigner${i}`, nonce: 0, hash: `0x${i}`, raw: "0x", kind: "issue", operationIds: [`op_${i}`] });
          await new Promise((r) => setTimeout(r, Math.floor((i * 7919) % 13)));
          await (i % 2 ? b : a).transactions.confirm(tx.id, i);
        }),
      );
      writing = false;
      await tail;
      expect(seen.map((e) => e.seq)).to.deep.equal(Array.from({ length: OPS * 2 }, (_, i) => i + 1));
      const perOp = new Map<string, string[]>();
      for (const e of seen) perOp.set(e.operationId, [...(perOp.get(e.operationId) ?? []), e.type]);
      expect([...perOp.values()].every((types) => types.join() === "operation.submitted,operation.confirmed")).to.equal(true);
      expect(perOp.size).to.equal(OPS);
    });
  });
});
