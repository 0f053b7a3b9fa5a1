/**
 * A seeded battery of generated malformed and hostile requests against every route: none may get a
 * 5xx or crash the relay, every refusal carries the error envelope, and the relay stays healthy.
 * Replay a failure with RELAY_HOSTILE_SEED=<seed>.
 */
import { expect } from "chai";
import fc from "fast-check";
import request from "supertest";
import { signRequest, HEADER_IDEMPOTENCY_KEY } from "../../sdk/src/auth";
import { randomAddress, signed, startRelay, TEST_HOST, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const SEED = Number(process.env.RELAY_HOSTILE_SEED ?? 20261127);
const RUNS = Number(process.env.RELAY_HOSTILE_RUNS ?? 1_200);

const ROUTES: { method: "GET" | "POST" | "PUT"; path: string; agency: boolean }[] = [
  { method: "POST", path: "/v1/issuances", agency: true },
  { method: "POST", path: "/v1/issuances/batch", agency: true },
  { method: "POST", path: "/v1/redemptions", agency: true },
  { method: "POST", path: "/v1/agreements", agency: true },
  { method: "POST", path: "/v1/agreements/{id}/approvals", agency: true },
  { method: "POST", path: "/v1/agreements/{id}/suspension", agency: true },
  { method: "POST", path: "/v1/settlements/{id}/close", agency: true },
  { method: "POST", path: "/v1/settlements/{id}/confirmation", agency: true },
  { method: "GET", path: "/v1/settlements/{id}", agency: true },
  { method: "PUT", path: "/v1/partners/{id}", agency: true },
  { method: "GET", path: "/v1/quota", agency: true },
  { method: "GET", path: "/v1/operations/{id}", agency: true },
  { method: "GET", path: "/v1/operations/{id}", agency: false },
  { method: "POST", path: "/v1/exchanges", agency: false },
  { method: "POST", path: "/v1/resident/redemptions", agency: false },
  { method: "GET", path: "/v1/quotes", agency: false },
  { method: "GET", path: "/v1/residents/{id}/balances", agency: false },
  { method: "GET", path: "/v1/residents/{id}/history", agency: false },
  { method: "GET", path: "/v1/agreements", agency: false },
  { method: "GET", path: "/v1/domains", agency: false },
  { method: "GET", path: "/v1/ledger/overview", agency: false },
  { method: "GET", path: "/v1/ledger/agreements", agency: false },
  { method: "GET", path: "/v1/ledger/settlements", agency: false },
  { method: "GET", path: "/v1/ledger/settlements/{id}", agency: false },
  { method: "GET", path: "/v1/ledger/domains/{id}/periods/0", agency: false },
  { method: "GET", path: "/v1/ledger/domains/1/periods/{id}/events", agency: false },
  { method: "GET", path: "/v1/ledger/transactions/{id}", agency: false },
  { method: "POST", path: "/v1/nowhere", agency: false },
];

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom("", " ", "-1", "1.5", "1e18", "0x", "0xZZ", "NaN", "Infinity", "18446744073709551616", "9".repeat(90), "__proto__", "constructor", "\u0000", "😀", "../../etc/passwd", "%00", "<script>"),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);
const address = fc.oneof(fc.constant(randomAddress()), fc.constant(randomAddress().toLowerCase()), hostileString);
const amount = fc.oneof(fc.constantFrom("1", "100", "18446744073709551615"), hostileValue);

/** A body that is nearly right, with one or more fields wrong, missing or extra. */
const nearlyValidObject = fc
  .record(
    {
      resident: address,
      amount,
      claimId: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), hostileValue),
      domainId: fc.oneof(fc.integer({ min: 1, max: 4 }), hostileValue),
      items: fc.oneof(fc.array(fc.record({ resident: address, amount, claimId: hostileValue }), { maxLength: 3 }), hostileValue),
      intent: fc.oneof(fc.dictionary(fc.constantFrom("resident", "fromDomain", "toDomain", "amountIn", "amount", "nonce", "deadline", "partner", "orderRef", "x"), hostileValue), hostileValue),
      signature: fc.oneof(fc.constant(`0x${"ab".repeat(65)}`), hostileString),
      fromDomain: hostileValue,
      toDomain: hostileValue,
      rateNum: hostileValue,
      version: hostileValue,
      suspended: hostileValue,
      paymentRef: hostileValue,
      allowed: hostileValue,
      extra: hostileValue,
      ["__proto__"]: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

const rawBody = fc.oneof(
  nearlyValidObject,
  fc.json(),
  fc.string(),
  fc.constantFrom("{", "{\"a\":", "[1,2", "null", "true", "\"str\"", "{\"a\":1}}", "{'a':1}", "\u0000\u0001", `{"x":${"[".repeat(5000)}`, "{\"amount\": 1e400}"),
  fc.constant(`{"big":"${"x".repeat(300_000)}"}`),
);

const pathParam = fc.oneof(
  fc.constant(`op_${"0".repeat(32)}`),
  fc.constant(randomAddress()),
  fc.constant("4294967298"),
  fc.constantFrom("", "%", "%E0%A4%A", "..%2F..%2F", "-1", "0", "1.5", "99999999999999999999999", "0x12", "%00", "a".repeat(300)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

const query = fc.oneof(
  fc.constant(""),
  fc.constant("?fromDomain=1&toDomain=2&amountIn=10"),
  fc.constantFrom("?fromDomain=-1&toDomain=x&amountIn=1.5", "?amountIn=1&amountIn=2", "?all=maybe", "?after=abc", "?%", "?__proto__[x]=1", "?fromDomain[]=1"),
  fc.constantFrom("?fromPeriod=0&toPeriod=99999999999", "?fromPeriod=5&toPeriod=1", "?toPeriod=4294967295", "?after=99-99&limit=200", "?limit=0", "?after=0-0&after=1-1"),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d).toString()}`),
);

const authMode = fc.constantFrom("valid", "valid", "valid", "none", "garbage", "stale", "wrong-secret");
const contentType = fc.constantFrom("application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-16");
const idempotencyKey = fc.oneof(fc.uuid(), fc.constantFrom("", " ", "x".repeat(500), "bad key!", "ключ"));

describe("relay: hostile input battery", function () {
  let fx: RelayFixture;
  before(async () => {
    fx = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "100000", AGENCY_RATE_LIMIT_PER_MINUTE: "100000" } });
  });
  after(async () => fx.stop());

  it(`answers ${RUNS} generated malformed or hostile requests without a 5xx, each with the error envelope`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        pathParam,
        query,
        rawBody,
        authMode,
        contentType,
        idempotencyKey,
        fc.integer({ min: 0, max: 3 }),
        async (route, param, q, body, auth, type, key, agencyIndex) => {
          const path = route.path.replace("{id}", param) + (route.method === "GET" ? q : "");
          const agency = fx.agencies[agencyIndex];
          let req = request(fx.relay.app)[route.method === "GET" ? "get" : route.method === "POST" ? "post" : "put"](path).set("Host", TEST_HOST);
          const sentBody = route.method === "GET" ? "" : body;
          const sentKey = route.method !== "GET" && key ? encodeURIComponent(key).slice(0, 600) : undefined;
          if (route.agency || auth === "garbage") {
            if (auth === "valid" || auth === "stale" || auth === "wrong-secret") {
              const headers = signRequest(
                { keyId: agency.keyId, secret: auth === "wrong-secret" ? "nope" : agency.secret },
                { method: route.method, host: TEST_HOST, path, idempotencyKey: sentKey, body: sentBody, timestamp: auth === "stale" ? 1_000 : undefined },
              );
              req = req.set(headers);
            } else if (auth === "garbage") {
              req = req.set({ "x-cp-key-id": "\u00ff".repeat(3), "x-cp-timestamp": "soon", "x-cp-nonce": "!", "x-cp-signature": "v2=zz" });
            }
          }
          if (route.method !== "GET") {
            if (sentKey) req = req.set(HEADER_IDEMPOTENCY_KEY, sentKey);
            if (type) req = req.set("Content-Type", type);
            req = req.send(sentBody);
          }
          const res = await req;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${route.method} ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).to.be.lessThan(500);
          if (res.status >= 400) {
            expect(res.body.error, `${route.method} ${path}`).to.be.an("object");
            expect(res.body.error.code).to.be.a("string");
            expect(res.body.error.message).to.be.a("string");
            expect(JSON.stringify(res.body)).to.not.match(/\n\s+at |node_modules/);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).to.equal(RUNS);
    expect([...statuses.keys()].every((s) => s < 500)).to.equal(true);
    // The battery must exercise the refusals it is about, not only one of them.
    for (const status of [400, 401, 404, 413, 415]) expect(statuses.get(status) ?? 0, `status ${status} seen`).to.be.greaterThan(0);
  });

  it("is still healthy and working afterwards", async () => {
    expect((await request(fx.relay.app).get("/health")).status).to.equal(200);
    expect((await request(fx.relay.app).get("/ready")).status).to.equal(200);
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "5", claimId: "999999999999" });
    expect(res.status).to.equal(202);
    expect((await waitFinal(fx, res.body.operation.id)).status).to.equal("confirmed");
  });
});
