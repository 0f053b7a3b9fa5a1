/**
 * The journal's contract (server/store/journal.ts), store-neutral: applied to SQLite by
 * journal.test.ts and to PostgreSQL by journal.postgres.test.ts. A store is given as a harness:
 * fresh journals, the same journal opened again (a restart, or a second instance), and what another
 * connection sees committed.
 */
import { expect } from "chai";
import type { Request, Response } from "express";
import { signRequest } from "../../sdk/src/auth";
import { UnauthenticatedError } from "../../server/errors";
import { agencyAuth } from "../../server/http/agencyAuth";
import type { Keystore } from "../../server/keystore";
import { FencedError, type AcceptRequest, type Fence, type Journal, type JournalEvent, type NewOperation } from "../../server/store/journal";

export interface JournalHarness {
  /** A new, empty journal (its own file or database); the one `again` and `committed` then refer to. */
  fresh(): Promise<Journal>;
  /** The latest fresh journal opened once more: after a restart, or as a second instance. */
  again(): Promise<Journal>;
  /** What another connection sees committed in the latest fresh journal: the first column of each row, as strings. */
  committed(sql: string): Promise<string[]>;
}

export const SIGNER = "0x00000000000000000000000000000000000000a1";

export function issue(id: string, claimId: bigint, domainId = 1): NewOperation {
  return { id, kind: "issue", agency: "volunteer", signer: SIGNER, domainId, claimId, payload: { resident: "0xabc", amount: "5", claimId: claimId.toString() } };
}

export function request(key: string, operations: NewOperation[], scope = "volunteer"): AcceptRequest {
  return { scope, idempotencyKey: key, requestHash: `hash-${key}`, operations };
}

export function intent(id: string, nonce: bigint): NewOperation {
  return { id, kind: "exchange", signer: SIGNER, intent: { resident: "0xAbC", domainId: 1, nonce }, payload: { nonce: nonce.toString() } };
}

const expiresAt = () => Date.now() + 300_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The contract tests, under the current `describe`. */
export function journalBehavior(harness: () => JournalHarness): void {
  let journals: Journal[] = [];
  const track = (j: Journal) => (journals.push(j), j);
  const fresh = async () => track(await harness().fresh());
  const again = async () => track(await harness().again());
  const committed = (sql: string) => harness().committed(sql);
  const committedOperationIds = () => committed("SELECT id FROM operations ORDER BY seq");
  const committedNonces = () => committed("SELECT nonce FROM request_nonces ORDER BY nonce");

  afterEach(async function () {
    for (const j of journals.reverse()) await j.close().catch(() => undefined);
    journals = [];
  });

  describe("accepting requests", function () {
    it("answers accepts made together only once they are committed, each with its own operations", async function () {
      const journal = await fresh();
      const first = journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      const second = journal.operations.accept(request("key-2", [issue("op_2", 2n), issue("op_3", 3n)]));
      const outcome = await first;
      expect(outcome.kind).to.equal("created");
      expect(await committedOperationIds()).to.include("op_1");
      expect(((await second) as { operations: { id: string }[] }).operations.map((o) => o.id)).to.deep.equal(["op_2", "op_3"]);
      expect(await committedOperationIds()).to.deep.equal(["op_1", "op_2", "op_3"]);
      const op = await journal.operations.get("op_2");
      expect(op).to.include({ id: "op_2", kind: "issue", agency: "volunteer", signer: SIGNER, domainId: 1, claimId: "2", status: "queued", attempts: 0, transaction: null });
      expect(op!.payload).to.deep.equal({ resident: "0xabc", amount: "5", claimId: "2" });
    });

    it("rolls back only the request that fails: the same intent nonce twice together is one operation and one conflict", async function () {
      const journal = await fresh();
      const outcomes = await Promise.all([
        journal.operations.accept({ ...request("key-1", [intent("op_a", 4n)]), scope: "0xabc" }),
        journal.operations.accept({ ...request("key-2", [intent("op_b", 4n)]), scope: "0xabc" }),
        journal.operations.accept(request("key-3", [issue("op_c", 9n)])),
      ]);
      expect(outcomes.map((o) => o.kind)).to.deep.equal(["created", "intent-conflict", "created"]);
      expect(outcomes[1]).to.deep.equal({ kind: "intent-conflict", resident: "0xAbC", domainId: 1, nonce: "4" });
      expect(await committedOperationIds()).to.deep.equal(["op_a", "op_c"]);
      expect(await journal.operations.findRequest("0xabc", "key-2")).to.equal(undefined);
      expect(await journal.operations.pendingIntentNonce("0xabc", 1)).to.equal(4n);
      expect(await journal.operations.pendingIntentNonce("0xabc", 2)).to.equal(undefined);
    });

    it("commits whatever is pending when the journal is closed", async function () {
      const journal = await fresh();
      const accepted = journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      await journal.close();
      expect((await accepted).kind).to.equal("created");
      expect(await committedOperationIds()).to.deep.equal(["op_1"]);
    });

    it("replays a request under the same key and hash, refuses another hash, and refuses a live claim id under another key", async function () {
      const journal = await fresh();
      const created = await journal.operations.accept(request("key-1", [issue("op_1", 7n)]));
      expect(created.kind).to.equal("created");
      const replayed = await journal.operations.accept(request("key-1", [issue("op_other", 7n)]));
      expect(replayed.kind).to.equal("replayed");
      expect((replayed as { operations: { id: string }[] }).operations.map((o) => o.id)).to.deep.equal(["op_1"]);
      expect(await journal.operations.accept({ ...request("key-1", [issue("op_x", 8n)]), requestHash: "another" })).to.deep.equal({ kind: "idempotency-conflict" });
      expect(await journal.operations.accept(request("key-2", [issue("op_2", 7n), issue("op_3", 10n)]))).to.deep.equal({ kind: "claim-conflict", claimIds: ["7"] });
      // The same claim id in another domain is another claim.
      expect((await journal.operations.accept(request("key-3", [issue("op_4", 7n, 2)]))).kind).to.equal("created");
      const earlier = await journal.operations.findRequest("volunteer", "key-1");
      expect(earlier!.requestHash).to.equal("hash-key-1");
      expect(earlier!.operations.map((o) => o.id)).to.deep.equal(["op_1"]);
      // A failed operation's claim id is free again.
      await journal.operations.fail([{ id: "op_1", error: { name: "PointsLedgerQuotaExceeded", message: "over quota" } }]);
      expect((await journal.operations.accept(request("key-4", [issue("op_5", 7n)]))).kind).to.equal("created");
      expect(await journal.operations.countUnfinished()).to.equal(2);
    });

    it("keeps the queue of each signer oldest first, issuances per domain, and counts deferrals", async function () {
      const journal = await fresh();
      await journal.operations.accept(request("key-1", [issue("op_1", 1n), issue("op_2", 2n, 2)]));
      await journal.operations.accept(request("key-2", [issue("op_3", 3n)]));
      expect((await journal.operations.queued(SIGNER, 10)).map((o) => o.id)).to.deep.equal(["op_1", "op_2", "op_3"]);
      expect((await journal.operations.queued(SIGNER, 2)).map((o) => o.id)).to.deep.equal(["op_1", "op_2"]);
      expect((await journal.operations.queued("0xother", 10)).map((o) => o.id)).to.deep.equal([]);
      expect((await journal.operations.queuedIssuances(SIGNER, 1, 10)).map((o) => o.id)).to.deep.equal(["op_1", "op_3"]);
      expect(await journal.operations.defer("op_3")).to.equal(1);
      expect(await journal.operations.defer("op_3")).to.equal(2);
      expect((await journal.operations.get("op_3"))!.status).to.equal("queued");
      expect(await journal.operations.get("op_missing")).to.equal(undefined);
    });
  });

  describe("request nonces", function () {
    it("resolves a fresh nonce only once it is committed, and refuses it after, also after a restart", async function () {
      const journal = await fresh();
      expect(await journal.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now())).to.equal(true);
      expect(await committedNonces()).to.deep.equal(["nonce-0001"]);
      expect(await journal.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now())).to.equal(false);
      expect(await journal.requestNonces.use("key-2", "nonce-0001", expiresAt(), Date.now())).to.equal(true);
      await journal.close();
      const reopened = await again();
      expect(await reopened.requestNonces.use("key-1", "nonce-0001", expiresAt(), Date.now())).to.equal(false);
    });

    it("refuses the same nonce used twice before the first is committed", async function () {
      const journal = await fresh();
      const outcomes = await Promise.all([
        journal.requestNonces.use("key-1", "nonce-0002", expiresAt(), Date.now()),
        journal.requestNonces.use("key-1", "nonce-0002", expiresAt(), Date.now()),
      ]);
      expect(outcomes).to.deep.equal([true, false]);
    });

    it("lets a signed request through only after its nonce is committed, so it is answered only after", async function () {
      const journal = await fresh();
      const keystore = { byKeyId: new Map([["key-1", { name: "volunteer", secret: "a-test-secret" }]]) } as unknown as Keystore;
      const auth = agencyAuth(keystore, journal.requestNonces, 300);
      const headers = signRequest({ keyId: "key-1", secret: "a-test-secret" }, { method: "GET", host: "relay.test", path: "/v1/quota", body: "", nonce: "nonce-0003" });
      const seen: Promise<string[]>[] = [];
      const call = () =>
        auth(
          { method: "GET", host: "relay.test", originalUrl: "/v1/quota", headers } as unknown as Request,
          { locals: { rawBody: Buffer.alloc(0) } } as unknown as Response,
          () => seen.push(committedNonces()),
        );
      const [first, second] = await Promise.allSettled([call(), call()]);
      expect(first.status).to.equal("fulfilled");
      expect(await Promise.all(seen)).to.deep.equal([["nonce-0003"]]);
      expect(second.status).to.equal("rejected");
      expect((second as PromiseRejectedResult).reason).to.be.instanceOf(UnauthenticatedError);
      expect((second as PromiseRejectedResult).reason.message).to.match(/replayed nonce/);
    });
  });

  describe("events", function () {
    it("writes an operation's event in the transaction of its change, and tells listeners after the commit", async function () {
      const journal = await fresh();
      const heard: { events: JournalEvent[]; committed: Promise<string[]> }[] = [];
      journal.events.onEvents((events) => heard.push({ events, committed: committed("SELECT type FROM events ORDER BY seq") }));
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      expect(heard).to.deep.equal([]);
      const tx = await journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0x01", raw: "0x02", kind: "issue", operationIds: ["op_1"] });
      expect(heard).to.have.length(1);
      expect(await heard[0].committed).to.deep.equal(["operation.submitted"]);
      expect(heard[0].events.map((e) => [e.operationId, e.type, e.operation.status])).to.deep.equal([["op_1", "operation.submitted", "submitted"]]);
      expect(await journal.events.after("volunteer", 0, 10)).to.deep.equal(heard[0].events);
      await journal.transactions.confirm(tx.id, 12);
      const events = await journal.events.after("volunteer", 0, 10);
      expect(events.map((e) => e.type)).to.deep.equal(["operation.submitted", "operation.confirmed"]);
      expect(events[1].seq).to.be.greaterThan(events[0].seq);
      expect(events[1].operation.transaction).to.deep.equal({ id: tx.id, hash: "0x01", nonce: 0, blockNumber: 12 });
      // An event keeps no payload (the resident's address): neither what listeners hear nor what is stored.
      for (const e of [...heard[0].events, ...events]) expect(e.operation).to.not.have.property("payload");
      const stored = (await committed("SELECT snapshot FROM events")).join("\n");
      expect(stored).to.include('"id":"op_1"');
      expect(stored).to.not.include("payload").and.to.not.include("0xabc");
      expect((await journal.events.after("volunteer", events[0].seq, 10)).map((e) => e.type)).to.deep.equal(["operation.confirmed"]);
      expect(await journal.events.after("transport", 0, 10)).to.deep.equal([]);
    });

    it("writes neither the change nor its events when the change fails", async function () {
      const journal = await fresh();
      let heard = 0;
      journal.events.onEvents(() => (heard += 1));
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      const error = await rejection(
        journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0x01", raw: "0x02", kind: "issueBatch", operationIds: ["op_1", "op_missing"] }),
      );
      expect((error as Error).message).to.equal("operation op_missing is not queued");
      expect(heard).to.equal(0);
      expect(await journal.events.after("volunteer", 0, 10)).to.deep.equal([]);
      expect(await journal.transactions.live(SIGNER)).to.deep.equal([]);
      expect(await journal.transactions.nextNonce(SIGNER)).to.equal(undefined);
      expect((await journal.operations.get("op_1"))!.status).to.equal("queued");
    });

    it("records no event for a resident's own operation, and fails an operation once", async function () {
      const journal = await fresh();
      const types: string[] = [];
      journal.events.onEvents((events) => types.push(...events.map((e) => `${e.operationId} ${e.type}`)));
      await journal.operations.accept({ ...request("key-1", [intent("op_a", 1n)]), scope: "0xabc" });
      await journal.operations.accept(request("key-2", [issue("op_1", 1n)]));
      const failure = { name: "PointsLedgerClaimUsed", message: "used", args: { claimId: "1" } };
      await journal.operations.fail([{ id: "op_a", error: failure }, { id: "op_1", error: failure }]);
      await journal.operations.fail([{ id: "op_1", error: failure }]);
      expect(types).to.deep.equal(["op_1 operation.failed"]);
      expect((await journal.operations.get("op_1"))!.error).to.deep.equal(failure);
      expect((await journal.operations.get("op_a"))!.status).to.equal("failed");
    });

    it("moves a webhook cursor forward only", async function () {
      const journal = await fresh();
      expect(await journal.events.webhookCursor("volunteer")).to.equal(0);
      await journal.events.setWebhookCursor("volunteer", 5);
      await journal.events.setWebhookCursor("volunteer", 3);
      expect(await journal.events.webhookCursor("volunteer")).to.equal(5);
      expect(await journal.events.webhookCursor("transport")).to.equal(0);
    });
  });

  describe("transactions", function () {
    it("records a signed transaction with its operations, the signer's next nonce and every carrier, and settles it", async function () {
      const journal = await fresh();
      await journal.operations.accept(request("key-1", [issue("op_1", 1n), issue("op_2", 2n)]));
      const tx = await journal.transactions.record({ signer: SIGNER, nonce: 3, hash: "0xa1", raw: "0xr1", kind: "issueBatch", operationIds: ["op_1", "op_2"] });
      expect(tx).to.include({ signer: SIGNER, nonce: 3, hash: "0xa1", raw: "0xr1", kind: "issueBatch", status: "signed", blockNumber: null, sentAt: null });
      expect(await journal.transactions.nextNonce(SIGNER)).to.equal(4);
      expect((await journal.operations.get("op_1"))!.transaction).to.deep.equal({ id: tx.id, hash: "0xa1", nonce: 3, blockNumber: null });
      expect((await journal.transactions.operationsOf(tx.id)).map((o) => [o.id, o.status])).to.deep.equal([
        ["op_1", "submitted"],
        ["op_2", "submitted"],
      ]);
      await journal.transactions.markSent(tx.id, 1234);
      expect((await journal.transactions.live(SIGNER)).map((t) => [t.id, t.status, t.sentAt])).to.deep.equal([[tx.id, "sent", 1234]]);
      expect([...(await journal.transactions.usedNonces(SIGNER, 0))]).to.deep.equal([3]);
      // Mined but reverted: the operations go back to the queue, with an attempt counted.
      await journal.transactions.revert(tx.id, 20, 5);
      expect((await journal.operations.get("op_1"))!).to.include({ status: "queued", attempts: 1, transaction: null });
      const again1 = await journal.transactions.record({ signer: SIGNER, nonce: 4, hash: "0xa2", raw: "0xr2", kind: "issueBatch", operationIds: ["op_1", "op_2"] });
      await journal.transactions.confirm(again1.id, 21);
      expect((await journal.operations.get("op_2"))!).to.include({ status: "confirmed" });
      expect((await journal.operations.get("op_2"))!.transaction).to.deep.equal({ id: again1.id, hash: "0xa2", nonce: 4, blockNumber: 21 });
      expect((await journal.transactions.pastTransactions("op_1")).map((t) => [t.hash, t.status])).to.deep.equal([
        ["0xa1", "reverted"],
        ["0xa2", "confirmed"],
      ]);
      expect((await journal.transactions.minedFromNonce(SIGNER, 4)).map((t) => t.hash)).to.deep.equal(["0xa2"]);
      expect((await journal.transactions.minedFromNonce(SIGNER, 0)).map((t) => t.hash)).to.deep.equal(["0xa1", "0xa2"]);
      // A chain that lost its last block: submitted again, and live again.
      await journal.transactions.unconfirm(again1.id);
      expect((await journal.operations.get("op_2"))!.status).to.equal("submitted");
      expect((await journal.transactions.live(SIGNER)).map((t) => t.hash)).to.deep.equal(["0xa2"]);
      expect(await journal.operations.countUnfinished()).to.equal(2);
    });

    it("requeues a dropped transaction's operations until they are out of attempts, then fails them with an event", async function () {
      const journal = await fresh();
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      const failed: string[] = [];
      journal.events.onEvents((events) => failed.push(...events.filter((e) => e.type === "operation.failed").map((e) => e.operationId)));
      for (let nonce = 0; nonce < 2; nonce += 1) {
        const tx = await journal.transactions.record({ signer: SIGNER, nonce, hash: `0xd${nonce}`, raw: "0x", kind: "issue", operationIds: ["op_1"] });
        await journal.transactions.drop(tx.id, 2);
      }
      expect(failed).to.deep.equal(["op_1"]);
      const op = await journal.operations.get("op_1");
      expect(op!.status).to.equal("failed");
      expect(op!.error!.name).to.equal("TransactionDropped");
      // A dropped transaction frees its nonce.
      expect([...(await journal.transactions.usedNonces(SIGNER, 0))]).to.deep.equal([]);
      await journal.transactions.raiseNextNonce(SIGNER, 10);
      await journal.transactions.raiseNextNonce(SIGNER, 7);
      expect(await journal.transactions.nextNonce(SIGNER)).to.equal(10);
    });

    it("confirms operations with an earlier transaction that took effect, dropping the other one live at its nonce", async function () {
      const journal = await fresh();
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      const first = await journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0xe1", raw: "0x", kind: "issue", operationIds: ["op_1"] });
      await journal.transactions.drop(first.id, 5);
      const second = await journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0xe2", raw: "0x", kind: "issue", operationIds: ["op_1"] });
      await journal.transactions.confirmWith(first.id, 30, ["op_1"]);
      const op = await journal.operations.get("op_1");
      expect(op!.status).to.equal("confirmed");
      expect(op!.transaction).to.deep.equal({ id: first.id, hash: "0xe1", nonce: 0, blockNumber: 30 });
      expect((await journal.transactions.live(SIGNER)).map((t) => t.id)).to.not.include(second.id);
      expect((await journal.events.after("volunteer", 0, 10)).map((e) => e.type)).to.deep.equal(["operation.submitted", "operation.submitted", "operation.confirmed"]);
    });
  });

  describe("the partner directory", function () {
    const shop = "0x00000000000000000000000000000000000000B1";
    const bikes = "0x00000000000000000000000000000000000000b2";

    it("keeps one name per domain and partner, the last one set, durably, and lists them by domain then name", async function () {
      const journal = await fresh();
      expect(await journal.partners.list()).to.deep.equal([]);
      expect(await journal.partners.byAddress(shop)).to.deep.equal([]);
      await journal.partners.setName({ domainId: 2, address: bikes, name: "公共自行车服务点", updatedAt: 100 });
      await journal.partners.setName({ domainId: 1, address: shop, name: "社区超市", updatedAt: 100 });
      await journal.partners.setName({ domainId: 1, address: shop, name: "社区便民超市", updatedAt: 160 });
      await journal.partners.setName({ domainId: 2, address: shop, name: "便民超市（交通积分）", updatedAt: 170 });
      const lowerShop = shop.toLowerCase();
      const reopened = await again();
      // By domain, then name in code-point order (便 U+4FBF before 公 U+516C), in both stores.
      expect(await reopened.partners.list()).to.deep.equal([
        { domainId: 1, address: lowerShop, name: "社区便民超市", updatedAt: 160 },
        { domainId: 2, address: lowerShop, name: "便民超市（交通积分）", updatedAt: 170 },
        { domainId: 2, address: bikes, name: "公共自行车服务点", updatedAt: 100 },
      ]);
      expect(await reopened.partners.list(1)).to.deep.equal([{ domainId: 1, address: lowerShop, name: "社区便民超市", updatedAt: 160 }]);
      expect(await reopened.partners.list(3)).to.deep.equal([]);
      expect((await reopened.partners.byAddress(shop)).map((e) => [e.domainId, e.name])).to.deep.equal([
        [1, "社区便民超市"],
        [2, "便民超市（交通积分）"],
      ]);
      expect((await committed("SELECT name FROM partner_names")).sort()).to.deep.equal(["便民超市（交通积分）", "公共自行车服务点", "社区便民超市"].sort());
    });
  });

  describe("leases", function () {
    it("grants a lease to one holder at a time, with a larger token at each new holding, and fences the writes of an old one", async function () {
      const journal = await fresh();
      const leases = journal.leases;
      const first = await leases.acquire("signer:0xa1", "holder-a", 60_000);
      expect(first).to.be.a("number");
      if (!leases.shared) {
        // One process per journal: every lease is granted, for good; nothing is ever fenced.
        expect(await leases.acquire("signer:0xa1", "holder-b", 60_000)).to.be.a("number");
        expect(await leases.renew({ lease: "signer:0xa1", holder: "holder-a", token: first! }, 60_000)).to.equal(true);
        return;
      }
      const fenceA: Fence = { lease: "signer:0xa1", holder: "holder-a", token: first! };
      expect(await leases.acquire("signer:0xa1", "holder-b", 60_000)).to.equal(undefined);
      expect(await leases.renew(fenceA, 60_000)).to.equal(true);
      expect(await leases.acquire("signer:0xb2", "holder-b", 60_000)).to.be.a("number"); // another lease
      await journal.operations.accept(request("key-1", [issue("op_1", 1n)]));
      const tx = await journal.transactions.record({ signer: SIGNER, nonce: 0, hash: "0xf1", raw: "0x", kind: "issue", operationIds: ["op_1"] }, fenceA);
      expect(tx.status).to.equal("signed");

      await leases.release(fenceA);
      const second = await leases.acquire("signer:0xa1", "holder-b", 60_000);
      expect(second).to.equal(first! + 1);
      const fenceB: Fence = { lease: "signer:0xa1", holder: "holder-b", token: second! };
      expect(await leases.renew(fenceA, 60_000)).to.equal(false);
      // Every write under the old holding is refused, and writes nothing.
      await journal.operations.accept(request("key-2", [issue("op_2", 2n)]));
      const writes: [string, () => Promise<unknown>][] = [
        ["record", () => journal.transactions.record({ signer: SIGNER, nonce: 1, hash: "0xf2", raw: "0x", kind: "issue", operationIds: ["op_2"] }, fenceA)],
        ["markSent", () => journal.transactions.markSent(tx.id, 1, fenceA)],
        ["confirm", () => journal.transactions.confirm(tx.id, 5, fenceA)],
        ["drop", () => journal.transactions.drop(tx.id, 5, fenceA)],
        ["revert", () => journal.transactions.revert(tx.id, 5, 5, fenceA)],
        ["unconfirm", () => journal.transactions.unconfirm(tx.id, fenceA)],
        ["confirmWith", () => journal.transactions.confirmWith(tx.id, 5, ["op_1"], fenceA)],
        ["raiseNextNonce", () => journal.transactions.raiseNextNonce(SIGNER, 50, fenceA)],
        ["fail", () => journal.operations.fail([{ id: "op_2", error: { name: "X", message: "x" } }], fenceA)],
        ["defer", () => journal.operations.defer("op_2", fenceA)],
        ["setWebhookCursor", () => journal.events.setWebhookCursor("volunteer", 9, fenceA)],
      ];
      for (const [name, write] of writes) expect(await rejection(write()), name).to.be.instanceOf(FencedError);
      expect((await journal.transactions.live(SIGNER)).map((t) => [t.hash, t.status])).to.deep.equal([["0xf1", "signed"]]);
      expect(await journal.transactions.nextNonce(SIGNER)).to.equal(1);
      expect((await journal.operations.get("op_2"))!).to.include({ status: "queued", attempts: 0 });
      expect(await journal.events.webhookCursor("volunteer")).to.equal(0);
      // The new holding writes.
      await journal.transactions.markSent(tx.id, 2, fenceB);
      await journal.transactions.confirm(tx.id, 6, fenceB);
      expect((await journal.operations.get("op_1"))!.status).to.equal("confirmed");
    });

    it("lets another holder take a lease only once it has expired", async function () {
      const journal = await fresh();
      if (!journal.leases.shared) return;
      const token = await journal.leases.acquire("webhooks:volunteer", "holder-a", 300);
      expect(await journal.leases.acquire("webhooks:volunteer", "holder-b", 300)).to.equal(undefined);
      await new Promise((r) => setTimeout(r, 400));
      expect(await journal.leases.renew({ lease: "webhooks:volunteer", holder: "holder-a", token: token! }, 300)).to.equal(false);
      expect(await journal.leases.acquire("webhooks:volunteer", "holder-b", 300)).to.equal(token! + 1);
      // Even its old holder gets a new token: whatever it knew is to be learned again.
      await new Promise((r) => setTimeout(r, 400));
      expect(await journal.leases.acquire("webhooks:volunteer", "holder-a", 300)).to.equal(token! + 2);
    });
  });
}
