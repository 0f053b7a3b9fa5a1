import { expect } from "chai";
import { randomBytes } from "node:crypto";
import request from "supertest";
import { agreementIdOf } from "../../sdk/src/agreementId";
import { signRequest } from "../../sdk/src/auth";
import { publicRequest, randomAddress, signed, startRelay, type RelayFixture } from "./helpers/relayFixture";

describe("relay: agency authentication and authorisation", function () {
  let fx: RelayFixture;
  let claim = 5_000n;
  const body = () => ({ resident: randomAddress(), amount: "1", claimId: String((claim += 1n)) });

  before(async () => {
    fx = await startRelay({ env: { AGENCY_RATE_LIMIT_PER_MINUTE: "40" } });
  });
  after(async () => fx.stop());

  it("accepts a correctly signed request", async () => {
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body());
    expect(res.status).to.equal(202);
  });

  it("refuses an unsigned request (401) naming the headers needed", async () => {
    const res = await publicRequest(fx).post("/v1/issuances").set("Idempotency-Key", "k1").set("Content-Type", "application/json").send(body());
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal("unauthenticated");
    expect(res.body.error.details.required).to.include("x-cp-signature");
  });

  it("refuses a wrong signature (another secret)", async () => {
    const agency = fx.agencies[0];
    const raw = JSON.stringify(body());
    const headers = signRequest({ keyId: agency.keyId, secret: randomBytes(32).toString("hex") }, { method: "POST", path: "/v1/issuances", body: raw });
    const res = await request(fx.relay.app).post("/v1/issuances").set(headers).set("Idempotency-Key", "k2").set("Content-Type", "application/json").send(raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
  });

  it("refuses a body changed after signing", async () => {
    const agency = fx.agencies[0];
    const headers = signRequest({ keyId: agency.keyId, secret: agency.secret }, { method: "POST", path: "/v1/issuances", body: JSON.stringify(body()) });
    const res = await request(fx.relay.app).post("/v1/issuances").set(headers).set("Idempotency-Key", "k3").set("Content-Type", "application/json").send(JSON.stringify(body()));
    expect(res.status).to.equal(401);
  });

  it("refuses a signature made for another path", async () => {
    const agency = fx.agencies[0];
    const raw = JSON.stringify(body());
    const headers = signRequest({ keyId: agency.keyId, secret: agency.secret }, { method: "POST", path: "/v1/issuances/batch", body: raw });
    const res = await request(fx.relay.app).post("/v1/issuances").set(headers).set("Idempotency-Key", "k4").set("Content-Type", "application/json").send(raw);
    expect(res.status).to.equal(401);
  });

  it("refuses an unknown key id", async () => {
    const raw = JSON.stringify(body());
    const headers = signRequest({ keyId: "key-nobody-123", secret: "x" }, { method: "POST", path: "/v1/issuances", body: raw });
    const res = await request(fx.relay.app).post("/v1/issuances").set(headers).set("Idempotency-Key", "k5").set("Content-Type", "application/json").send(raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.equal("unknown key id");
  });

  it("refuses a stale timestamp (outside the replay window)", async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body(), { timestamp: stale });
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/replay window/);
  });

  it("refuses a timestamp from the future beyond the window", async () => {
    const res = await signed(fx, fx.agencies[0], "GET", "/v1/quota", undefined, { timestamp: Math.floor(Date.now() / 1000) + 400 });
    expect(res.status).to.equal(401);
  });

  it("refuses a replayed request (same nonce), even with a new Idempotency-Key", async () => {
    const nonce = randomBytes(16).toString("hex");
    const b = body();
    const first = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", b, { nonce, idempotencyKey: "replay-1" });
    expect(first.status).to.equal(202);
    const replay = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", b, { nonce, idempotencyKey: "replay-1" });
    expect(replay.status).to.equal(401);
    expect(replay.body.error.message).to.match(/replayed/);
  });

  it("does not let a forged request burn an agency's nonce", async () => {
    const agency = fx.agencies[1];
    const nonce = randomBytes(16).toString("hex");
    const forged = signRequest({ keyId: agency.keyId, secret: "wrong" }, { method: "GET", path: "/v1/quota", body: "", nonce });
    expect((await request(fx.relay.app).get("/v1/quota").set(forged)).status).to.equal(401);
    const real = await signed(fx, agency, "GET", "/v1/quota", undefined, { nonce });
    expect(real.status).to.equal(200);
  });

  it("refuses acting for another agency's domain (403), for each kind of write", async () => {
    const [volunteer] = fx.agencies;
    const cases: [string, string, unknown][] = [
      ["POST", "/v1/issuances", { ...body(), domainId: 3 }],
      ["POST", "/v1/issuances/batch", { domainId: 2, items: [body()] }],
      ["POST", "/v1/agreements", { fromDomain: 2, toDomain: 3, rateNum: 1, rateDen: 1, periodCap: "0", validFromPeriod: 0, validUntilPeriod: 100 }],
      ["POST", `/v1/agreements/${agreementIdOf(2, 3)}/approvals`, { version: 1 }],
      ["POST", `/v1/agreements/${agreementIdOf(3, 4)}/suspension`, { suspended: true }],
    ];
    for (const [method, path, b] of cases) {
      const res = await signed(fx, volunteer, method as "POST", path, b);
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(res.body.error.code).to.equal("forbidden");
    }
  });

  it("rate-limits per agency with 429 and Retry-After, without touching other agencies", async () => {
    let limited: request.Response | undefined;
    for (let i = 0; i < 60 && !limited; i += 1) {
      const res = await signed(fx, fx.agencies[2], "GET", "/v1/quota");
      if (res.status === 429) limited = res;
      else expect(res.status).to.equal(200);
    }
    expect(limited, "no 429 within 60 requests at 40/min").to.not.equal(undefined);
    expect(limited!.body.error.code).to.equal("rate_limited");
    expect(Number(limited!.headers["retry-after"])).to.be.greaterThan(0);
    const other = await signed(fx, fx.agencies[3], "GET", "/v1/quota");
    expect(other.status).to.equal(200);
  });
});
