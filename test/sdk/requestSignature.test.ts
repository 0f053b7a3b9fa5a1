/**
 * Request signature version 2 against fixed test vectors: the SDK's signature, the same computed
 * here from the documented recipe with node:crypto alone (as another language would), and the
 * vectors as docs/relay.md publishes them, so the three cannot drift apart.
 */
import { expect } from "chai";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkRequestSignature, requestSignature, signRequest, type RequestToSign } from "../../sdk/src/auth";

const SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const KEY_ID = "volunteer-0a1b2c3d4e5f";

const VECTORS: { name: string; request: RequestToSign; signature: string }[] = [
  {
    name: "a write: POST with a body and an Idempotency-Key",
    request: {
      method: "POST",
      host: "relay.example.city",
      path: "/v1/issuances",
      timestamp: 1767225600,
      nonce: "4f1c2a9e7b3d8c6a5e0f1d2c3b4a5968",
      idempotencyKey: "issue-shift-2024-1042",
      body: '{"resident":"0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5","amount":"50","claimId":"1042"}',
    },
    signature: "fad646c0f83c370c77e38832a99ce30a3b211834b99407f53afd3008d970982f",
  },
  {
    name: "a read: GET with a query, no body and no Idempotency-Key",
    request: { method: "GET", host: "127.0.0.1:8080", path: "/v1/quotes?fromDomain=1&toDomain=2&amountIn=100", timestamp: 1767225601, nonce: "nonce-0000000001", body: "" },
    signature: "bd8c3debb0dae7798bc2ca4c3be08d26b7cf0c870092cb377892c4f313d8c11c",
  },
  {
    name: "a lower-case method and a mixed-case host with a port (both normalised)",
    request: {
      method: "put",
      host: "Relay.Example.City:8443",
      path: "/v1/partners/0x00000000000000000000000000000000000000aa",
      timestamp: 1767225602,
      nonce: "n_-ABCDEFGH",
      idempotencyKey: "partner:aa.1",
      body: '{"allowed":true}',
    },
    signature: "b808570803311e65d3b088d93da63dd7651c5b362fdf95933cbfe51dc8020276",
  },
];

/** The recipe of docs/relay.md, written out with nothing but node:crypto. */
function independently(secret: string, r: RequestToSign): string {
  const bodyHash = createHash("sha256").update(Buffer.from(r.body as string, "utf8")).digest("hex");
  const text = ["CP-HMAC-SHA256-2", r.method.toUpperCase(), r.host.toLowerCase(), r.path, String(r.timestamp), r.nonce, r.idempotencyKey ?? "", bodyHash].join("\n");
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(text, "utf8")).digest("hex");
}

describe("request signature v2: test vectors", function () {
  const docs = readFileSync(join(__dirname, "..", "..", "docs", "relay.md"), "utf8");

  for (const v of VECTORS) {
    it(`${v.name}: the SDK, the written-out recipe and the docs give ${v.signature.slice(0, 12)}…`, function () {
      expect(requestSignature(SECRET, v.request)).to.equal(v.signature);
      expect(independently(SECRET, v.request)).to.equal(v.signature);
      const headers = signRequest({ keyId: KEY_ID, secret: SECRET }, v.request);
      expect(headers["x-cp-signature"]).to.equal(`v2=${v.signature}`);
      expect(headers["idempotency-key"]).to.equal(v.request.idempotencyKey);
      expect(docs).to.include(v.signature);
      expect(docs).to.include(v.request.nonce);
    });
  }

  it("checks a signature only against the exact request: any field changed, or version 1, fails", function () {
    const [v] = VECTORS;
    expect(checkRequestSignature(SECRET, v.request, `v2=${v.signature}`)).to.deep.equal({ ok: true });
    const changed: Partial<RequestToSign>[] = [
      { method: "PUT" },
      { host: "relay.example.city:443" },
      { path: "/v1/issuances/batch" },
      { timestamp: v.request.timestamp + 1 },
      { nonce: "4f1c2a9e7b3d8c6a5e0f1d2c3b4a5969" },
      { idempotencyKey: "issue-shift-2024-1043" },
      { idempotencyKey: undefined },
      { body: (v.request.body as string).replace('"50"', '"51"') },
    ];
    for (const change of changed) {
      expect(checkRequestSignature(SECRET, { ...v.request, ...change }, `v2=${v.signature}`), JSON.stringify(change)).to.deep.equal({ ok: false, reason: "mismatch" });
    }
    expect(checkRequestSignature("another-secret", v.request, `v2=${v.signature}`)).to.deep.equal({ ok: false, reason: "mismatch" });
    expect(checkRequestSignature(SECRET, v.request, `v1=${v.signature}`)).to.deep.equal({ ok: false, reason: "version" });
    expect(checkRequestSignature(SECRET, v.request, `v2=${v.signature.toUpperCase()}`)).to.deep.equal({ ok: false, reason: "malformed" });
  });
});
