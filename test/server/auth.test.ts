import { expect } from "chai";
import { randomBytes } from "node:crypto";
import request from "supertest";
import { agreementIdOf } from "../../sdk/src/agreementId";
import { createHmac } from "node:crypto";
import { sha256Hex, signRequest } from "../../sdk/src/auth";
import { publicRequest, randomAddress, signed, startRelay, TEST_HOST, type RelayFixture } from "./helpers/relayFixture";

describe("relay: agency authentication and authorisation", function () {
  let fx: RelayFixture;
  let claim = 5_000n;
  const body = () => ({ resident: randomAddress(), amount: "1", claimId: String((claim += 1n)) });

  before(async () => {
    fx = await startRelay({ env: { AGENCY_RATE_LIMIT_PER_MINUTE: "40" } });
  });
  after(async () => fx.stop());

  /** POSTs `raw` to /v1/issuances with these headers, to TEST_HOST unless told. */
  const post = (headers: Record<string, string>, raw: string, host = TEST_HOST) =>
    request(fx.relay.app).post("/v1/issuances").set("Host", host).set(headers).set("Content-Type", "application/json").send(raw);
  const sign = (secret: string, fields: { path?: string; host?: string; idempotencyKey?: string; body: string; keyId?: string }) =>
    signRequest(
      { keyId: fields.keyId ?? fx.agencies[0].keyId, secret },
      { method: "POST", host: fields.host ?? TEST_HOST, path: fields.path ?? "/v1/issuances", idempotencyKey: fields.idempotencyKey ?? `k-${randomBytes(6).toString("hex")}`, body: fields.body },
    );

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
    const raw = JSON.stringify(body());
    const res = await post(sign(randomBytes(32).toString("hex"), { body: raw }), raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
  });

  it("refuses a body changed after signing", async () => {
    const res = await post(sign(fx.agencies[0].secret, { body: JSON.stringify(body()) }), JSON.stringify(body()));
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
  });

  it("refuses a signature made for another path", async () => {
    const raw = JSON.stringify(body());
    const res = await post(sign(fx.agencies[0].secret, { path: "/v1/issuances/batch", body: raw }), raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
  });

  it("refuses a signature made for another host (a request replayed against another relay)", async () => {
    const raw = JSON.stringify(body());
    const headers = sign(fx.agencies[0].secret, { host: "staging.relay.test", body: raw });
    const res = await post(headers, raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
    // The same headers reach the relay they were made for.
    expect((await post(headers, raw, "staging.relay.test")).status).to.equal(202);
  });

  it("refuses a request whose Idempotency-Key was changed after signing", async () => {
    const raw = JSON.stringify(body());
    const headers = { ...sign(fx.agencies[0].secret, { idempotencyKey: "signed-key-1", body: raw }), "idempotency-key": "swapped-key-1" };
    const res = await post(headers, raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/signature does not match/);
  });

  it("refuses a version 1 signature, naming version 2", async () => {
    const agency = fx.agencies[0];
    const raw = JSON.stringify(body());
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString("hex");
    const v1 = createHmac("sha256", agency.secret).update(["POST", "/v1/issuances", String(timestamp), nonce, sha256Hex(raw)].join("\n")).digest("hex");
    const headers = { "x-cp-key-id": agency.keyId, "x-cp-timestamp": String(timestamp), "x-cp-nonce": nonce, "x-cp-signature": `v1=${v1}`, "idempotency-key": "v1-key" };
    const res = await post(headers, raw);
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/only signature version 2/);
    expect(res.body.error.details.accepted).to.deep.equal(["v2"]);
  });

  it("refuses an unknown key id", async () => {
    const raw = JSON.stringify(body());
    const res = await post(sign("x", { keyId: "key-nobody-123", body: raw }), raw);
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
    const forged = signRequest({ keyId: agency.keyId, secret: "wrong" }, { method: "GET", host: TEST_HOST, path: "/v1/quota", body: "", nonce });
    expect((await request(fx.relay.app).get("/v1/quota").set("Host", TEST_HOST).set(forged)).status).to.equal(401);
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
