/**
 * Two relay instances of the same agency keystore (child processes of server/index.ts) on one
 * PostgreSQL journal (a real server, scripts/lib/postgres.ts) against one anvil chain:
 * - both accept, one signs and sends (the holder of the signer's lease); the same Idempotency-Key
 *   sent to both at the same moment is one operation;
 * - the sender SIGKILLed under load: the other takes the lease within 10 s (measured from the kill
 *   to its holding), every accepted issuance ends on chain exactly once (PointsIssued counted per
 *   claim id), no nonce is used twice, nothing accepted is lost;
 * - an agency's SSE stream on one instance sees the operations the other instance sends, each
 *   event once, across a reconnect with Last-Event-ID;
 * - its webhooks are delivered by one instance (the holder of its webhook lease): each event once,
 *   in order, and after the holder is killed the other delivers what is left, none skipped.
 */
import { expect } from "chai";
import { signRequest } from "../../sdk/src/auth";
import { SseParser } from "../../sdk/src/agency/sse";
import { call, waitOperation } from "./helpers/httpClient";
import { killGroup } from "../../scripts/lib/processes";
import {
  expectIssuedOnce,
  expectNoncesConsistent,
  expectPasswordNeverShown,
  Load,
  signerLease,
  startCluster,
  type Cluster,
  type Instance,
} from "./helpers/pgCluster";
import { randomAddress } from "./helpers/relayFixture";

describe("relay on PostgreSQL: two instances of one agency, failover", function () {
  this.timeout(170_000);
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  let lease: string;

  before(async function () {
    cluster = await startCluster("pg-failover");
    lease = signerLease(cluster.volunteer.signer);
    a = await cluster.startInstance("a");
    await cluster.waitForHolder(lease, a);
    b = await cluster.startInstance("b");
  });

  after(async function () {
    await cluster?.stop();
  });

  it("accepts on both instances, sends from the lease holder only, and makes one operation of one key sent to both at once", async function () {
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    const creds = cluster.volunteer;
    const items = Array.from({ length: 30 }, (_, i) => ({ key: `spread-${i}`, body: { resident: randomAddress(), amount: "5", claimId: String(500_000 + i) } }));
    // Each request to both instances at the same moment.
    const answers = await Promise.all(
      items.map((item) => Promise.all([a, b].map((instance) => call(instance.url, creds, "POST", "/v1/issuances", item.body, item.key)))),
    );
    for (const [i, [x, y]] of answers.entries()) {
      expect([x.status, y.status], items[i].key).to.deep.equal([202, 202]);
      expect(x.body.operation.id, `one operation for ${items[i].key}`).to.equal(y.body.operation.id);
    }
    const ops = await Promise.all(answers.map(([x], i) => waitOperation(i % 2 ? a.url : b.url, creds, x.body.operation.id)));
    expect(ops.map((o) => o.status).filter((s) => s !== "confirmed")).to.deep.equal([]);
    const [{ n }] = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM operations WHERE claim_id = ANY($1::text[])", [items.map((i) => i.body.claimId)]);
    expect(n).to.equal(items.length);
    await expectIssuedOnce(cluster, items.map((i) => ({ ...i, body: i.body as never, claimId: BigInt(i.body.claimId) })), fromBlock);
    // Only the lease holder signed.
    const tokens = await expectNoncesConsistent(cluster, creds.signer, fromBlock);
    expect(new Set(tokens).size).to.equal(1);
    expect((await cluster.lease(lease))!.holder).to.match(new RegExp(`:${a.pid}:`));
    // Webhooks: one instance delivers, each event exactly once and in order.
    const events = await cluster.query<{ seq: number }>("SELECT seq::int AS seq FROM events WHERE agency = 'volunteer' ORDER BY seq");
    const deadline = Date.now() + 20_000;
    while (cluster.webhooks.length < events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(cluster.webhooks.map((w) => w.id), "webhook deliveries").to.deep.equal(events.map((e) => e.seq));
    expect((await cluster.lease("webhooks:volunteer"))!.holder).to.match(new RegExp(`:(${a.pid}|${b.pid}):`));
  });

  it("SIGKILLs the sending instance under load: the other takes over within 10 s and every accepted issuance lands exactly once", async function () {
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    const before = (await cluster.lease(lease))!;
    expect(before.holder).to.match(new RegExp(`:${a.pid}:`));
    const load = new Load(() => [a, b], cluster.volunteer, 1_000_000n);
    load.start(8);
    await new Promise((r) => setTimeout(r, 4_000));
    const sentBefore = (await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM transactions WHERE signer = $1", [cluster.volunteer.signer]))[0].n;
    expect(load.accepted, "load accepted before the kill").to.be.greaterThan(20);

    const killedAt = Date.now();
    killGroup(a.process, "SIGKILL");
    await a.process.exited;
    const takeoverMs = await cluster.waitForHolder(lease, b, 20_000);
    const gapSeconds = (Date.now() - killedAt) / 1000;
    // The first transaction the new holder signs: the lane is working again.
    const after = (await cluster.lease(lease))!;
    expect(after.token).to.be.greaterThan(before.token);
    let firstSentMs: number | undefined;
    while (firstSentMs === undefined && Date.now() - killedAt < 30_000) {
      const [{ n }] = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM transactions WHERE signer = $1 AND lease_token = $2", [
        cluster.volunteer.signer,
        after.token,
      ]);
      if (n > 0) firstSentMs = Date.now() - killedAt;
      else await new Promise((r) => setTimeout(r, 50));
    }
    process.stdout.write(
      `      failover: lease taken by the other instance ${gapSeconds.toFixed(2)} s after the SIGKILL (polled every 50 ms; ${takeoverMs} ms of polling), ` +
        `its first transaction signed ${((firstSentMs ?? NaN) / 1000).toFixed(2)} s after; ${sentBefore} transactions before the kill\n`,
    );
    expect(gapSeconds, "takeover gap (s)").to.be.lessThan(10);
    expect(firstSentMs, "first transaction of the new holder").to.not.equal(undefined);
    expect(firstSentMs!, "first transaction of the new holder (ms)").to.be.lessThan(10_000);

    await new Promise((r) => setTimeout(r, 3_000));
    await load.stop();
    const finals = await load.settle(b);
    expect(finals.filter((f) => f.status !== "confirmed"), "operations not confirmed").to.deep.equal([]);
    expect(finals.length).to.equal(load.items.length);
    await expectIssuedOnce(cluster, load.items, fromBlock);
    const tokens = await expectNoncesConsistent(cluster, cluster.volunteer.signer, fromBlock);
    expect(tokens).to.include(before.token);
    expect(tokens).to.include(after.token);
    // Webhooks: every event delivered, in order, none skipped; only what the killed holder had
    // delivered without recording its cursor may come twice (at least once, as documented).
    const events = await cluster.query<{ seq: number }>("SELECT seq::int AS seq FROM events WHERE agency = 'volunteer' ORDER BY seq");
    const deadline = Date.now() + 30_000;
    while (new Set(cluster.webhooks.map((w) => w.id)).size < events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const delivered = cluster.webhooks.map((w) => w.id);
    expect([...new Set(delivered)].sort((x, y) => x - y), "every event delivered").to.deep.equal(events.map((e) => e.seq));
    const repeats = delivered.length - new Set(delivered).size;
    process.stdout.write(`      webhooks: ${events.length} events delivered, ${repeats} delivered twice across the kill\n`);
    expect(repeats, "redeliveries").to.be.lessThan(5);
    for (let i = 1; i < delivered.length; i += 1) {
      if (delivered[i] <= delivered[i - 1]) expect(new Set(delivered.slice(0, i)).has(delivered[i]), `delivery ${i} went back to an unseen event`).to.equal(true);
    }
    expectPasswordNeverShown(cluster);
  });

  it("streams to an agency on one instance the events of operations another instance sends, each once, across a reconnect with Last-Event-ID", async function () {
    const c = await cluster.startInstance("c"); // a follower: b holds the lease
    expect((await cluster.lease(lease))!.holder).to.match(new RegExp(`:${b.pid}:`));
    const creds = cluster.volunteer;
    const [{ last }] = await cluster.query<{ last: number }>("SELECT COALESCE(max(seq), 0)::int AS last FROM events WHERE agency = 'volunteer'");

    const seen: { id: number; type: string; op: string; via: string }[] = [];
    async function stream(via: string, after: number, until: (count: number) => boolean): Promise<number> {
      const path = `/v1/events?after=${after}`;
      const headers = signRequest(creds, { method: "GET", host: new URL(c.url).host, path, body: "" });
      const controller = new AbortController();
      const res = await fetch(`${c.url}${path}`, { headers: { ...headers, "last-event-id": String(after) }, signal: controller.signal });
      expect(res.status).to.equal(200);
      const parser = new SseParser();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let lastId = after;
      const deadline = setTimeout(() => controller.abort(), 60_000);
      try {
        while (!until(seen.length)) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const m of parser.push(decoder.decode(value, { stream: true }))) {
            const data = JSON.parse(m.data);
            seen.push({ id: Number(m.id), type: m.event, op: data.operation.id, via });
            lastId = Number(m.id);
          }
        }
      } finally {
        clearTimeout(deadline);
        controller.abort();
      }
      return lastId;
    }

    const ops: string[] = [];
    const issue = async (i: number) => {
      const target = i % 2 ? b : c;
      const res = await call(target.url, creds, "POST", "/v1/issuances", { resident: randomAddress(), amount: "3", claimId: String(2_000_000 + i) }, `sse-${i}`);
      expect(res.status).to.equal(202);
      ops.push(res.body.operation.id);
    };
    // First connection: until half the events of the first ten operations are in; then it drops.
    const first = stream("first", last, (count) => count >= 10);
    await Promise.all(Array.from({ length: 10 }, (_, i) => issue(i)));
    const resumeFrom = await first;
    // While nobody listens, ten more; then the agency reconnects with the last id it saw.
    await Promise.all(Array.from({ length: 10 }, (_, i) => issue(10 + i)));
    await stream("second", resumeFrom, (count) => count >= 40);

    const ids = seen.map((e) => e.id);
    expect(ids, "each event once, in order").to.deep.equal([...new Set(ids)].sort((x, y) => x - y));
    expect(ids[0]).to.equal(last + 1);
    expect(ids, "no event skipped").to.deep.equal(Array.from({ length: ids.length }, (_, i) => last + 1 + i));
    const byOp = new Map<string, string[]>();
    for (const e of seen) byOp.set(e.op, [...(byOp.get(e.op) ?? []), e.type]);
    for (const op of ops) expect(byOp.get(op), op).to.deep.equal(["operation.submitted", "operation.confirmed"]);
    expect(seen.filter((e) => e.via === "second").length).to.be.greaterThan(0);
    // Every one of them was sent by b, the lease holder: c only accepted and streamed.
    const [{ tokens }] = await cluster.query<{ tokens: number }>(
      "SELECT count(DISTINCT t.lease_token)::int AS tokens FROM operations o JOIN transactions t ON t.id = o.tx_id WHERE o.id = ANY($1::text[])",
      [ops],
    );
    expect(tokens).to.equal(1);
    expect((await cluster.lease(lease))!.holder).to.match(new RegExp(`:${b.pid}:`));
    expectPasswordNeverShown(cluster);
  });
});
