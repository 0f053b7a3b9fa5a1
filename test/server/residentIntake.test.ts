/**
 * Residents' signed intents at the relay's intake: a high-s (malleable) twin of a resident's
 * signature is refused, as the ledger refuses it, so it cannot take the resident's nonce; signed
 * intents are rate limited per resident once the signature is checked; the per-address limit lets
 * a city app's backend send for 1,000 residents a minute; and behind a reverse proxy the client
 * address is the one TRUST_PROXY says to believe.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { referenceHash } from "../../sdk/src/claims";
import type { RedeemIntent } from "../../sdk/src/eip712";
import { intentToWire } from "../../sdk/src/wire/intents";
import { parseRelayConfig } from "../../server/config";
import { ConfigError } from "../../server/errors";
import {
  FAR_DEADLINE,
  publicRequest,
  randomAddress,
  randomResident,
  signIntentAs,
  signed,
  startRelay,
  waitFinal,
  type RelayFixture,
} from "./helpers/relayFixture";

const SALT = `0x${"22".repeat(32)}` as const;
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The other valid signature of the same message: s' = n - s with the other parity. */
function malleableTwin(signature: Hex): Hex {
  const r = signature.slice(2, 66);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  return `0x${r}${(CURVE_ORDER - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}`;
}

function redemption(resident: string, partner: string, nonce: bigint, amount = 10n, domainId = 1): RedeemIntent {
  return { resident: resident as Hex, domainId, amount, partner: partner as Hex, orderRef: referenceHash(SALT, `order-${resident}-${domainId}-${nonce}`), nonce, deadline: FAR_DEADLINE };
}

function postRedemption(fx: RelayFixture, intent: RedeemIntent, signature: Hex, forwardedFor?: string) {
  let req = publicRequest(fx).post("/v1/resident/redemptions").set("Idempotency-Key", `r-${Math.random()}`);
  if (forwardedFor) req = req.set("X-Forwarded-For", forwardedFor);
  return req.send({ intent: intentToWire(intent), signature });
}

describe("relay: residents' intents at intake", function () {
  this.timeout(180_000);

  describe("with a high-s signature", () => {
    let fx: RelayFixture;
    const resident = randomResident();
    const partner = randomAddress();
    before(async () => {
      fx = await startRelay();
      const issue = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: resident.address, amount: "100", claimId: "1" });
      expect((await waitFinal(fx, issue.body.operation.id)).status).to.equal("confirmed");
      const allow = await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true });
      expect((await waitFinal(fx, allow.body.operation.id)).status).to.equal("confirmed");
    });
    after(async () => fx.stop());

    it("refuses the malleable twin with 401, journals nothing, and the resident's own signature then goes through", async () => {
      const intent = redemption(resident.address, partner, 0n);
      const signature = await signIntentAs(fx, resident, "RedeemIntent", intent);
      expect(BigInt(`0x${signature.slice(66, 130)}`) <= CURVE_ORDER / 2n).to.equal(true);
      const twin = malleableTwin(signature);

      const refused = await postRedemption(fx, intent, twin);
      expect(refused.status).to.equal(401);
      expect(refused.body.error.code).to.equal("unauthenticated");
      expect(refused.body.error.message).to.equal("the intent's signature has a high s value (malleable); the ledger accepts only low-s signatures");
      expect(refused.body.error.details).to.deep.equal([{ path: "body.signature", message: "high s" }]);

      const accepted = await postRedemption(fx, intent, signature);
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
      expect((await waitFinal(fx, accepted.body.operation.id)).status).to.equal("confirmed");
      expect(await fx.ledger.balanceOf(resident.address, 1)).to.equal(90n);
    });
  });

  describe("rate limits", () => {
    let fx: RelayFixture;
    const partner = randomAddress();
    before(async () => {
      fx = await startRelay({ env: { RESIDENT_RATE_LIMIT_PER_MINUTE: "3" } });
    });
    after(async () => fx.stop());

    it("limit each resident's signed intents, counted only once the signature is the resident's", async () => {
      const a = randomResident();
      const b = randomResident();
      const forger = randomResident();
      // Intents for a, signed by someone else: refused as unsigned, and they spend nothing of a's allowance.
      for (let i = 0; i < 5; i += 1) {
        const forged = redemption(a.address, partner, 0n);
        const res = await postRedemption(fx, forged, await signIntentAs(fx, forger, "RedeemIntent", forged));
        expect(res.status).to.equal(401);
      }
      // One intent in each of three domains (each domain has its own nonces), then a fourth.
      for (const domainId of [1, 2, 3]) {
        const intent = redemption(a.address, partner, 0n, 10n, domainId);
        const res = await postRedemption(fx, intent, await signIntentAs(fx, a, "RedeemIntent", intent));
        expect(res.status, JSON.stringify(res.body)).to.equal(202);
      }
      const fourth = redemption(a.address, partner, 0n, 10n, 4);
      const limited = await postRedemption(fx, fourth, await signIntentAs(fx, a, "RedeemIntent", fourth));
      expect(limited.status).to.equal(429);
      expect(limited.body.error).to.deep.include({ code: "rate_limited", message: "too many intents from this resident: at most 3 per minute" });
      expect(Number(limited.headers["retry-after"])).to.be.within(1, 60);
      // Another resident, from the same address, is not held back.
      const other = redemption(b.address, partner, 0n);
      expect((await postRedemption(fx, other, await signIntentAs(fx, b, "RedeemIntent", other))).status).to.equal(202);
    });
  });

  describe("from one address with the default limits (a city app's backend)", () => {
    let fx: RelayFixture;
    const partner = randomAddress();
    const residents = Array.from({ length: 1_000 }, () => randomResident());
    before(async () => {
      fx = await startRelay();
      for (let at = 0; at < residents.length; at += 250) {
        const items = residents.slice(at, at + 250).map((r, i) => ({ resident: r.address, amount: "5", claimId: String(at + i + 1) }));
        const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances/batch", { items });
        expect(res.status).to.equal(202);
        for (const op of res.body.operations) expect((await waitFinal(fx, op.id)).status).to.equal("confirmed");
      }
      const allow = await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true });
      expect((await waitFinal(fx, allow.body.operation.id)).status).to.equal("confirmed");
    });
    after(async () => fx.stop());

    it("accepts an intent from each of 1,000 residents within a minute, each after reading its balance", async () => {
      const started = Date.now();
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // Ten residents at a time, as a backend serving many at once sends them.
      for (let at = 0; at < residents.length; at += 10) {
        await Promise.all(
          residents.slice(at, at + 10).map(async (resident) => {
            count((await publicRequest(fx).get(`/v1/residents/${resident.address}/balances`)).status);
            const intent = redemption(resident.address, partner, 0n, 1n);
            count((await postRedemption(fx, intent, await signIntentAs(fx, resident, "RedeemIntent", intent))).status);
          }),
        );
      }
      expect(Date.now() - started, "the run must fit in one rate-limit window to show anything").to.be.below(60_000);
      expect(Object.fromEntries(statuses)).to.deep.equal({ 200: 1_000, 202: 1_000 });
    });
  });

  describe("behind a reverse proxy", () => {
    const read = (fx: RelayFixture, forwardedFor: string) => publicRequest(fx).get("/v1/domains").set("X-Forwarded-For", forwardedFor);

    it("with TRUST_PROXY=1, counts each client by the address the proxy appended", async () => {
      const fx = await startRelay({ env: { TRUST_PROXY: "1", PUBLIC_RATE_LIMIT_PER_MINUTE: "5" } });
      try {
        for (let i = 0; i < 5; i += 1) expect((await read(fx, "198.51.100.9, 203.0.113.1")).status).to.equal(200);
        const limited = await read(fx, "198.51.100.10, 203.0.113.1");
        expect(limited.status, "what the client wrote before the proxy's entry is not believed").to.equal(429);
        expect((await read(fx, "203.0.113.2")).status).to.equal(200);
      } finally {
        await fx.stop();
      }
    });

    it("with TRUST_PROXY=loopback, believes X-Forwarded-For from a proxy on this machine", async () => {
      const fx = await startRelay({ env: { TRUST_PROXY: "loopback", PUBLIC_RATE_LIMIT_PER_MINUTE: "2" } });
      try {
        expect((await read(fx, "203.0.113.7")).status).to.equal(200);
        expect((await read(fx, "203.0.113.7")).status).to.equal(200);
        expect((await read(fx, "203.0.113.7")).status).to.equal(429);
        expect((await read(fx, "203.0.113.8")).status).to.equal(200);
      } finally {
        await fx.stop();
      }
    });

    it("without TRUST_PROXY (the default), ignores X-Forwarded-For: a client cannot name a fresh address per request", async () => {
      const fx = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "3" } });
      try {
        const statuses = [];
        for (let i = 0; i < 5; i += 1) statuses.push((await read(fx, `203.0.113.${i + 1}`)).status);
        expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      } finally {
        await fx.stop();
      }
    });

    it("refuses TRUST_PROXY=true and what is not an address, naming the variable", () => {
      const base = { RPC_URL: "http://127.0.0.1:1", DEPLOYMENT_FILE: "d", KEYSTORE_FILE: "k", RELAY_MASTER_KEY: "00".repeat(32), JOURNAL_PATH: "j" };
      for (const value of ["true", "10.0.0.0/8, proxy.example", "10.0.0.0/33"]) {
        let error: unknown;
        try {
          parseRelayConfig({ ...base, TRUST_PROXY: value });
        } catch (e) {
          error = e;
        }
        expect(error, value).to.be.instanceOf(ConfigError);
        expect((error as Error).message, value).to.match(/TRUST_PROXY: must be off, a hop count/);
      }
      expect(parseRelayConfig({ ...base, TRUST_PROXY: "10.0.0.0/8, loopback" }).TRUST_PROXY).to.deep.equal(["10.0.0.0/8", "loopback"]);
      expect(parseRelayConfig({ ...base, TRUST_PROXY: "2" }).TRUST_PROXY).to.equal(2);
      expect(parseRelayConfig(base).TRUST_PROXY).to.equal(false);
    });
  });
});
