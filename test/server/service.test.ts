import { expect } from "chai";
import request from "supertest";
import { freePort } from "../../scripts/lib/processes";
import { randomAddress, signed, startRelay, type RelayFixture } from "./helpers/relayFixture";

describe("relay: service endpoints", function () {
  let fx: RelayFixture;
  const calls = new Map<string, number>();
  before(async () => {
    fx = await startRelay({ onRpc: (method) => calls.set(method, (calls.get(method) ?? 0) + 1) });
  });
  after(async () => fx.stop());

  it("GET /health answers ok, /ready checks chain and journal", async () => {
    expect((await request(fx.relay.app).get("/health")).body).to.deep.equal({ status: "ok" });
    const ready = await request(fx.relay.app).get("/ready");
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ chain: { ok: true }, journal: { ok: true } });
  });

  it("/ready probes the chain at most once a second and the journal at most every five seconds, however often it is asked", async () => {
    const journal = fx.relay.journal;
    const probe = journal.checkWritable.bind(journal);
    let journalProbes = 0;
    journal.checkWritable = async () => {
      journalProbes += 1;
      return probe();
    };
    await new Promise((r) => setTimeout(r, 1_100)); // past the chain check of the test before
    calls.delete("eth_blockNumber");
    const server = fx.relay.app.listen(0, "127.0.0.1");
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 40 }, () => request(server).get("/ready")));
    while (Date.now() - started < 1_500) answers.push(await request(server).get("/ready"));
    const elapsed = Date.now() - started;
    server.close();
    expect(answers.length).to.be.greaterThan(50);
    for (const a of answers) expect(a.body).to.deep.equal({ status: "ready", checks: { chain: { ok: true }, journal: { ok: true } } });
    expect(calls.get("eth_blockNumber") ?? 0).to.be.within(1, Math.ceil(elapsed / 1_000) + 1);
    expect(journalProbes).to.be.at.most(1);
  });

  it("GET /metrics speaks Prometheus and counts accepted operations and requests", async () => {
    await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
    const res = await request(fx.relay.app).get("/metrics");
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.match(/text\/plain/);
    expect(res.text).to.match(/relay_operations_accepted_total\{kind="issue"\} 1/);
    expect(res.text).to.match(/relay_http_requests_total\{method="POST",route="\/v1\/issuances",status="202"\} 1/);
    expect(res.text).to.not.match(/0x[0-9a-fA-F]{40}/);
  });

  it("GET /openapi.json is an OpenAPI 3.1 document of every /v1 route, generated from the schemas", async () => {
    const res = await request(fx.relay.app).get("/openapi.json");
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal("3.1.0");
    const paths = Object.keys(res.body.paths);
    for (const p of ["/v1/issuances", "/v1/issuances/batch", "/v1/redemptions", "/v1/exchanges", "/v1/agreements", "/v1/agreements/{agreementId}/approvals", "/v1/settlements/{period}", "/v1/quota", "/v1/operations/{id}", "/v1/events", "/v1/residents/{address}/balances", "/v1/domains", "/v1/supply", "/v1/quotes"]) {
      expect(paths).to.include(p);
    }
    const issue = res.body.paths["/v1/issuances"].post;
    const ref: string = issue.requestBody.content["application/json"].schema.$ref;
    const body = res.body.components.schemas[ref.replace("#/components/schemas/", "")];
    expect(body.additionalProperties).to.equal(false);
    expect(body.required).to.deep.equal(["resident", "amount", "claimId"]);
    expect(body.properties.amount.pattern).to.equal("^(0|[1-9][0-9]*)$");
    const refs = JSON.stringify(res.body).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) expect(res.body.components.schemas).to.have.property(r.slice(29, -1));
    expect(issue.parameters.map((p: { name: string }) => p.name)).to.include("idempotency-key");
    expect(issue.security).to.deep.equal([{ agencySignature: [] }]);
    expect(Object.keys(issue.responses)).to.include.members(["202", "400", "401", "403", "409", "413", "429", "503"]);
    expect(res.body.paths["/v1/exchanges"].post.security).to.equal(undefined);
  });

  it("answers unknown routes with a 404 envelope and oversized bodies with 413", async () => {
    const missing = await request(fx.relay.app).get("/v2/nothing");
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal("not_found");
    const big = await request(fx.relay.app).post("/v1/exchanges").set("Content-Type", "application/json").send(`{"x":"${"a".repeat(300_000)}"}`);
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal("payload_too_large");
  });

  it("answers a quote without an agreement with 404 naming the contract error", async () => {
    const res = await request(fx.relay.app).get("/v1/quotes?fromDomain=3&toDomain=4&amountIn=5");
    expect(res.status).to.equal(404);
    expect(res.body.error.details.error).to.equal("PointsLedgerNoAgreement");
  });

  it("sets security headers", async () => {
    const res = await request(fx.relay.app).get("/health");
    expect(res.headers["x-content-type-options"]).to.equal("nosniff");
    expect(res.headers["x-powered-by"]).to.equal(undefined);
  });
});

describe("relay: /metrics kept off the public port", function () {
  it("METRICS_PORT serves /metrics on a listener of its own, and the main port answers 404", async () => {
    const fx = await startRelay({ listen: true, env: { METRICS_PORT: String(await freePort()) } });
    try {
      const main = await fetch(`${fx.url}/metrics`);
      expect(main.status).to.equal(404);
      expect(fx.metricsUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const own = await fetch(fx.metricsUrl!);
      expect(own.status).to.equal(200);
      expect(await own.text()).to.match(/relay_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
      expect((await fetch(`${fx.url}/ready`)).status).to.equal(200);
    } finally {
      await fx.stop();
    }
  });

  it("METRICS_PORT=off serves /metrics nowhere", async () => {
    const fx = await startRelay({ env: { METRICS_PORT: "off" } });
    try {
      expect((await request(fx.relay.app).get("/metrics")).status).to.equal(404);
    } finally {
      await fx.stop();
    }
  });
});
