/**
 * The relay serving the web app (server/http/webApp.ts) on its own port: hashed assets cached for a
 * year, index.html never from a cache unasked, the app's routes answered with index.html, and none
 * of it shadowing the relay's own paths; the security policy lets the app run only its own scripts.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { startRelay, type RelayFixture } from "./helpers/relayFixture";

const INDEX = '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = "console.log('the app');";
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "web-dist-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), INDEX);
  writeFileSync(join(dir, "assets", "index-Ab12Cd34.js"), SCRIPT);
  writeFileSync(join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  return dir;
}

describe("relay: the web app on the relay's port", function () {
  let fx: RelayFixture;
  const page = (path: string) => request(fx.relay.app).get(path).set("Accept", HTML);

  before(async () => {
    fx = await startRelay({ env: { WEB_DIR: builtApp(), PUBLIC_RATE_LIMIT_PER_MINUTE: "100000" } });
  });
  after(async () => fx.stop());

  it("answers / and every route of the app with index.html, never from a cache unasked", async () => {
    for (const path of ["/", "/ledger", "/ledger/tx/0x" + "ab".repeat(32), "/ledger/domains/2/periods/7", "/no-such-page"]) {
      const res = await page(path);
      expect(res.status, path).to.equal(200);
      expect(res.headers["content-type"], path).to.match(/^text\/html/);
      expect(res.headers["cache-control"], path).to.equal("no-cache");
      expect(res.text, path).to.equal(INDEX);
    }
  });

  it("serves hashed assets for a year, immutable, and other files revalidated", async () => {
    const asset = await request(fx.relay.app).get("/assets/index-Ab12Cd34.js");
    expect(asset.status).to.equal(200);
    expect(asset.headers["content-type"]).to.match(/javascript/);
    expect(asset.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(asset.text).to.equal(SCRIPT);
    const icon = await request(fx.relay.app).get("/favicon.svg");
    expect(icon.status).to.equal(200);
    expect(icon.headers["cache-control"]).to.equal("no-cache");
  });

  it("never shadows the relay's own paths, even when a browser asks for HTML", async () => {
    expect((await page("/health")).body).to.deep.equal({ status: "ok" });
    expect((await page("/ready")).body.status).to.equal("ready");
    expect((await page("/metrics")).text).to.match(/relay_http_requests_total/);
    expect((await page("/openapi.json")).body.openapi).to.equal("3.1.0");
    expect((await page("/v1/ledger/overview")).body.index.block).to.be.a("number");
    for (const path of ["/v1", "/v1/nowhere", "/rpc", "/rpc/x"]) {
      const res = await page(path);
      expect(res.status, path).to.equal(404);
      expect(res.body.error.code, path).to.equal("not_found");
    }
  });

  it("answers a missing asset, a file outside the app and a non-GET with the API's 404, not the app", async () => {
    for (const path of ["/assets/index-00000000.js", "/missing.png", "/assets/..%2f..%2fpackage.json", "/%2e%2e/package.json"]) {
      const res = await page(path);
      expect(res.status, path).to.be.oneOf([400, 404]);
      expect(res.text, path).to.not.include("city-points-exchange");
      expect(res.text, path).to.not.equal(INDEX);
    }
    const post = await request(fx.relay.app).post("/ledger").set("Accept", HTML).set("Content-Type", "application/json").send("{}");
    expect(post.status).to.equal(404);
    expect(post.body.error.code).to.equal("not_found");
  });

  it("answers a client that does not ask for HTML (an API client) with the 404 envelope", async () => {
    const res = await request(fx.relay.app).get("/ledger");
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal("not_found");
  });

  it("sends a content security policy that allows only the app's own scripts, styles and API", async () => {
    const res = await page("/");
    const policy = Object.fromEntries(
      String(res.headers["content-security-policy"])
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(" ")]),
    );
    expect(policy).to.deep.equal({
      "default-src": "'self'",
      "script-src": "'self'",
      "script-src-attr": "'none'",
      "style-src": "'self'",
      "img-src": "'self' data:",
      "font-src": "'self'",
      "connect-src": "'self'",
      "object-src": "'none'",
      "base-uri": "'self'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
    });
    expect(res.headers["x-content-type-options"]).to.equal("nosniff");
  });

  it("says how to build the app where it is not built", async () => {
    const bare = await startRelay({ env: { WEB_DIR: mkdtempSync(join(tmpdir(), "web-none-")) } });
    try {
      const res = await request(bare.relay.app).get("/").set("Accept", HTML);
      expect(res.status).to.equal(404);
      expect(res.body.error.message).to.match(/the web app is not built in .*: run `npm run build:web`/);
      expect((await request(bare.relay.app).get("/health")).status).to.equal(200);
    } finally {
      await bare.stop();
    }
  });
});
