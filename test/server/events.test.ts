import { expect } from "chai";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { signRequest, verifyWebhook, HEADER_WEBHOOK_SIGNATURE } from "../../sdk/src/auth";
import type { OperationEvent } from "../../sdk/src/wire/operations";
import { randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

interface SseEvent {
  id: string;
  event: string;
  data: OperationEvent;
}

/** Opens the agency's SSE stream on a real socket and collects events until `count` arrived. */
function collectSse(baseUrl: string, fx: RelayFixture, agencyIndex: number, count: number, lastEventId?: string): Promise<SseEvent[]> {
  const agency = fx.agencies[agencyIndex];
  const headers = signRequest({ keyId: agency.keyId, secret: agency.secret }, { method: "GET", host: new URL(baseUrl).host, path: "/v1/events", body: "" });
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = httpRequest(`${baseUrl}/v1/events`, { headers: { ...headers, ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE answered ${res.statusCode}`));
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
          );
          if (!fields.id) continue;
          events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          if (events.length === count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on("error", (e) => (events.length >= count ? undefined : reject(e)));
    req.end();
    setTimeout(() => {
      req.destroy();
      reject(new Error(`only ${events.length} of ${count} events arrived`));
    }, 20_000).unref();
  });
}

describe("relay: following operations (SSE and webhooks)", function () {
  let fx: RelayFixture;
  let hook: Server;
  let hookUrl: string;
  const received: { body: string; signature?: string }[] = [];
  let failNext = 1;
  let relayUrl: string;
  let relayServer: Server;

  before(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (failNext > 0) {
          failNext -= 1;
          res.writeHead(500).end();
          return;
        }
        received.push({ body, signature: req.headers[HEADER_WEBHOOK_SIGNATURE] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    fx = await startRelay({ webhooks: { volunteer: hookUrl } });
    relayServer = await new Promise<Server>((r) => {
      const s = fx.relay.app.listen(0, "127.0.0.1", () => r(s));
    });
    relayUrl = `http://127.0.0.1:${(relayServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    relayServer.closeAllConnections();
    await new Promise((r) => relayServer.close(r));
    await fx.stop();
    await new Promise((r) => hook.close(r));
  });

  it("streams submitted and confirmed events, and resumes after the last event id", async () => {
    const live = collectSse(relayUrl, fx, 0, 4);
    const a = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
    await waitFinal(fx, a.body.operation.id);
    const b = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "2" });
    await waitFinal(fx, b.body.operation.id);
    const events = await live;
    expect(events.map((e) => [e.event, e.data.operation.id])).to.deep.equal([
      ["operation.submitted", a.body.operation.id],
      ["operation.confirmed", a.body.operation.id],
      ["operation.submitted", b.body.operation.id],
      ["operation.confirmed", b.body.operation.id],
    ]);
    expect(events[1].data.operation.transaction!.blockNumber).to.be.a("number");
    const resumed = await collectSse(relayUrl, fx, 0, 2, events[1].id);
    expect(resumed.map((e) => e.id)).to.deep.equal([events[2].id, events[3].id]);
  });

  it("shows an agency only its own operations", async () => {
    const other = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
    await waitFinal(fx, other.body.operation.id);
    const mine = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "3" });
    await waitFinal(fx, mine.body.operation.id);
    const events = await collectSse(relayUrl, fx, 0, 6);
    expect(events.every((e) => e.data.operation.id !== other.body.operation.id)).to.equal(true);
  });

  it("refuses an unsigned stream (401)", async () => {
    const status = await new Promise<number>((resolve) => httpRequest(`${relayUrl}/v1/events`, (res) => resolve(res.statusCode!)).end());
    expect(status).to.equal(401);
  });

  it("delivers webhooks signed with HMAC and a timestamp, retrying after a failure, in order", async () => {
    const deadline = Date.now() + 20_000;
    while (received.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(received.length).to.be.at.least(6);
    const secret = fx.agencies[0].webhook!.secret;
    for (const delivery of received) expect(verifyWebhook(secret, delivery.body, delivery.signature)).to.deep.include({ ok: true });
    expect(verifyWebhook("another-secret", received[0].body, received[0].signature)).to.deep.equal({ ok: false, reason: "mismatch" });
    const ids = received.map((d) => Number(JSON.parse(d.body).id));
    expect(ids).to.deep.equal([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).to.equal(ids.length);
    expect(JSON.parse(received[0].body).type).to.equal("operation.submitted");
  });
});

describe("relay: webhook redirects", function () {
  this.timeout(60_000);

  it("are not followed: the receiver redirected to gets nothing, and the delivery counts as failed", async () => {
    const redirected: string[] = [];
    const target = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        redirected.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", () => r()));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/elsewhere`;
    let asked = 0;
    const redirector = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        asked += 1;
        // 307 keeps the method and body: a client that followed it would POST the signed event there.
        res.writeHead(asked % 2 === 0 ? 302 : 307, { Location: targetUrl }).end();
      });
    });
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", () => r()));
    const fx = await startRelay({ webhooks: { volunteer: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook` } });
    try {
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
      expect((await waitFinal(fx, res.body.operation.id)).status).to.equal("confirmed");
      for (let i = 0; i < 100 && asked < 2; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(asked).to.be.at.least(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(redirected).to.deep.equal([]);
      const text = await request(fx.relay.app).get("/metrics");
      expect(text.text).to.match(/relay_webhook_deliveries_total\{outcome="failed"\} [1-9]/);
      expect(text.text).to.not.match(/relay_webhook_deliveries_total\{outcome="delivered"\}/);
    } finally {
      await fx.stop();
      await new Promise((r) => redirector.close(r));
      await new Promise((r) => target.close(r));
    }
  });
});
