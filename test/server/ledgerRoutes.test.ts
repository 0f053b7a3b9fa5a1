/**
 * The public ledger's read routes (`/v1/ledger/...`) through the relay, after issuing, agreeing,
 * exchanging, redeeming and settling through its API: the figures equal what the chain says, the
 * drill-down pages through every event once, a transaction comes back decoded, every wrong request
 * is a 4xx naming what is wrong, and an unreachable chain leaves the figures readable.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import request from "supertest";
import { agreementIdOf } from "../../sdk/src/agreementId";
import { referenceHash } from "../../sdk/src/claims";
import { parseDeployment } from "../../sdk/src/deployment";
import type { ExchangeIntent, RedeemIntent } from "../../sdk/src/eip712";
import { intentToWire } from "../../sdk/src/wire/intents";
import type { LedgerEventsPage, LedgerOverview } from "../../sdk/src/wire/ledger";
import { FAR_DEADLINE, publicRequest, randomAddress, randomResident, signIntentAs, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const SALT = `0x${"22".repeat(32)}` as const;
const PERIOD_SECONDS = 3_600;

describe("relay: the public ledger's routes", function () {
  let fx: RelayFixture;
  const alice = randomResident();
  const bob = randomResident();
  const partner = randomAddress();
  const agreementId = agreementIdOf(1, 2).toString();
  let period = 0;
  let exchangeTx = "";
  let redeemTx = "";

  async function confirmed(res: { status: number; body: { operation: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    return op;
  }

  /** Waits until the relay's index has read the chain's latest block. */
  async function indexed(): Promise<number> {
    const head = await ethers.provider.getBlockNumber();
    const deadline = Date.now() + 20_000;
    while (fx.relay.ledgerIndex.status().block < head) {
      if (Date.now() > deadline) throw new Error(`the index did not reach block ${head}: ${JSON.stringify(fx.relay.ledgerIndex.status())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return head;
  }

  const get = (path: string) => publicRequest(fx).get(path);

  before(async () => {
    fx = await startRelay({ periodSeconds: PERIOD_SECONDS, env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "100000", LEDGER_INDEX_POLL_MS: "20" } });
    period = Number(await fx.ledger.currentPeriod());
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: alice.address, amount: "1000", claimId: "1" }));
    await confirmed(await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: bob.address, amount: "300", claimId: "1" }));
    await confirmed(
      await signed(fx, fx.agencies[0], "POST", "/v1/agreements", { fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: "5000", validFromPeriod: 0, validUntilPeriod: 1_000_000 }),
    );
    await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${agreementId}/approvals`, { version: 1 }));
    const intent: ExchangeIntent = { resident: alice.address, fromDomain: 1, toDomain: 2, amountIn: 101n, minAmountOut: 50n, nonce: 0n, deadline: FAR_DEADLINE };
    const exchange = await publicRequest(fx)
      .post("/v1/exchanges")
      .set("Idempotency-Key", "x-1")
      .send({ intent: intentToWire(intent), signature: await signIntentAs(fx, alice, "ExchangeIntent", intent) });
    exchangeTx = (await confirmed(exchange)).transaction!.hash;
    await confirmed(await signed(fx, fx.agencies[1], "PUT", `/v1/partners/${partner}`, { allowed: true }));
    const redeem: RedeemIntent = { resident: bob.address, domainId: 2, amount: 40n, partner, orderRef: referenceHash(SALT, "order-1"), nonce: 0n, deadline: FAR_DEADLINE };
    const redemption = await publicRequest(fx)
      .post("/v1/resident/redemptions")
      .set("Idempotency-Key", "r-1")
      .send({ intent: intentToWire(redeem), signature: await signIntentAs(fx, bob, "RedeemIntent", redeem) });
    redeemTx = (await confirmed(redemption)).transaction!.hash;
    await indexed();
  });
  after(async () => fx.stop());

  it("serves the deployment record it runs on, which an auditor in a browser audits", async () => {
    const res = await get("/v1/ledger/deployment");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal(JSON.parse(JSON.stringify(fx.deployment)));
    expect(parseDeployment(res.body)).to.deep.equal(fx.deployment);
  });

  describe("the overview", () => {
    let overview: LedgerOverview;
    before(async () => {
      const res = await get("/v1/ledger/overview");
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      overview = res.body;
    });

    it("spans the current period and the 11 before it (none before period 0), at the block the index read", async () => {
      expect(overview.clock).to.deep.equal({ currentPeriod: period, periodSeconds: PERIOD_SECONDS, genesisTime: fx.deployment.genesisTime });
      expect([overview.fromPeriod, overview.toPeriod]).to.deep.equal([Math.max(0, period - 11), period]);
      expect(overview.periods.map((p) => p.period)).to.deep.equal(Array.from({ length: period - overview.fromPeriod + 1 }, (_, i) => overview.fromPeriod + i));
      expect(overview.periods.at(-1)!.startsAt).to.equal(fx.deployment.genesisTime + period * PERIOD_SECONDS);
      expect(overview.index).to.deep.include({ block: await ethers.provider.getBlockNumber(), upToDate: true, chainReachable: true });
    });

    it("gives each domain's figures of the period, and supplies equal to the contract's at that block", async () => {
      const now = overview.periods.find((p) => p.period === period)!;
      const byDomain = Object.fromEntries(now.domains.map((d) => [d.domainId, d]));
      expect(byDomain[1]).to.deep.include({ issued: "1000", exchangedOut: "101", exchangedIn: "0", redeemed: "0" });
      expect(byDomain[2]).to.deep.include({ issued: "300", exchangedIn: "50", redeemed: "40" });
      for (const d of overview.domains) {
        const onChain = await fx.ledger.domain(d.id, { blockTag: overview.index.block });
        expect(d.supply, `domain ${d.id}`).to.equal(onChain.supply.toString());
        expect(byDomain[d.id].supply).to.equal(onChain.supply.toString());
        expect([d.name, d.pointValue]).to.deep.equal([onChain.name, Number(onChain.pointValue)]);
      }
    });

    it("gives each issuer's issuance against its quota, and each agreement's exchanges, per period", async () => {
      const volunteer = overview.issuers.find((i) => i.domainId === 1)!;
      const state = await fx.ledger.issuerState(1, fx.agencies[0].account.address);
      expect(volunteer.issuer).to.equal(fx.agencies[0].account.address.toLowerCase());
      expect(volunteer.periods.find((p) => p.period === period)).to.deep.equal({ period, issued: state.usedThisPeriod.toString(), quota: state.quota.toString() });
      const flow = overview.agreements.find((a) => a.agreementId === agreementId)!;
      expect(flow.periods.find((p) => p.period === period)).to.deep.equal({ period, exchanges: 1, amountIn: "101", amountOut: "50" });
      expect(overview.settlements).to.deep.equal([{ period, exchanges: 1, closed: false, completed: false, positions: 2, confirmed: 0 }]);
    });

    it("refuses windows it cannot answer, naming the field (400)", async () => {
      for (const [query, field] of [
        [`fromPeriod=${period + 1}&toPeriod=${period}`, "query.fromPeriod"],
        [`toPeriod=${period + 1}`, "query.toPeriod"],
        ["fromPeriod=0&toPeriod=100", "query.fromPeriod"],
        ["fromPeriod=-1", "query.fromPeriod"],
        ["toPeriod=x", "query.toPeriod"],
        ["extra=1", ""],
      ] as const) {
        const res = await get(`/v1/ledger/overview?${query}`);
        expect(res.status, query).to.equal(400);
        expect(res.body.error.code).to.equal("invalid_request");
        if (field && query !== "fromPeriod=0&toPeriod=100") expect(JSON.stringify(res.body.error.details), query).to.include(field);
      }
    });
  });

  it("lists the agreements in force with their rate, cap and use this period, as the chain has them", async () => {
    const res = await get("/v1/ledger/agreements");
    expect(res.status).to.equal(200);
    const [a] = res.body.agreements;
    const usage = await fx.ledger.agreementUsage(BigInt(agreementId), period);
    expect(a).to.deep.include({ agreementId, fromDomain: 1, toDomain: 2, inForce: true, usedThisPeriod: usage.amountIn.toString(), exchanges: 1, amountIn: "101", amountOut: "50" });
    expect(a.current).to.deep.equal({ version: 1, rateNum: 1, rateDen: 2, periodCap: "5000", validFromPeriod: 0, validUntilPeriod: 1_000_000 });
  });

  describe("a domain's period", () => {
    it("gives its figures per issuer, per partner and per agreement", async () => {
      const res = await get(`/v1/ledger/domains/2/periods/${period}`);
      expect(res.status).to.equal(200);
      expect(res.body.domain).to.deep.include({ id: 2, name: "transport" });
      expect(res.body.partners).to.deep.equal([{ partner: partner.toLowerCase(), redemptions: 1, redeemed: "40" }]);
      expect(res.body.agreements).to.deep.equal([{ agreementId, fromDomain: 1, toDomain: 2, exchanges: 1, amountIn: "101", amountOut: "50" }]);
      expect(res.body.issuers.find((i: { issuer: string }) => i.issuer === fx.agencies[1].account.address.toLowerCase())).to.deep.include({ issuances: 1, issued: "300" });
    });

    it("pages through its events in chain order, each once, and the last page says there is no next", async () => {
      const all: LedgerEventsPage["events"] = [];
      let after: string | null = null;
      let pages = 0;
      let total = 0;
      do {
        const res = await get(`/v1/ledger/domains/2/periods/${period}/events?limit=2${after ? `&after=${after}` : ""}`);
        expect(res.status).to.equal(200);
        expect(res.body.events.length).to.be.at.most(2);
        all.push(...res.body.events);
        total = res.body.total;
        after = res.body.next;
        pages++;
      } while (after && pages < 50);
      expect(all).to.have.length(total);
      expect(pages).to.equal(Math.ceil(total / 2));
      const keys = all.map((e) => `${e.blockNumber}-${e.logIndex}`);
      expect(new Set(keys).size).to.equal(total);
      const sorted = [...all].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
      expect(all).to.deep.equal(sorted);
      const names = all.map((e) => e.name);
      for (const name of ["PointsIssued", "AgreementProposed", "AgreementActivated", "PointsExchanged", "PartnerSet", "PointsRedeemed"]) expect(names).to.include(name);
      const redeemed = all.find((e) => e.name === "PointsRedeemed")!;
      expect(redeemed).to.deep.include({ transactionHash: redeemTx });
      expect(redeemed.args).to.deep.include({ amount: "40", partner: partner.toLowerCase(), resident: bob.address.toLowerCase() });
    });

    it("answers an unknown domain or a period not yet begun with 404, and a wrong page request with 400", async () => {
      expect((await get(`/v1/ledger/domains/9/periods/${period}`)).status).to.equal(404);
      expect((await get(`/v1/ledger/domains/1/periods/${period + 1}/events`)).status).to.equal(404);
      for (const q of ["limit=0", "limit=201", "after=12", "after=a-b", "limit=1.5"]) {
        const res = await get(`/v1/ledger/domains/1/periods/${period}/events?${q}`);
        expect(res.status, q).to.equal(400);
        expect(res.body.error.code).to.equal("invalid_request");
      }
      expect((await get(`/v1/ledger/domains/0/periods/${period}`)).status).to.equal(400);
    });
  });

  describe("a transaction", () => {
    it("comes back decoded: the exchange called, with its intent, and the event it emitted", async () => {
      const res = await get(`/v1/ledger/transactions/${exchangeTx}`);
      expect(res.status).to.equal(200);
      const receipt = (await ethers.provider.getTransactionReceipt(exchangeTx))!;
      const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
      expect(res.body).to.deep.include({ hash: exchangeTx, status: "success", blockNumber: receipt.blockNumber, time: block.timestamp, period, contract: "ledger" });
      expect(res.body.from).to.equal(receipt.from.toLowerCase());
      expect(res.body.call.function).to.equal("exchange");
      expect(res.body.call.args.intent).to.deep.include({ resident: alice.address, fromDomain: 1, toDomain: 2, amountIn: "101", minAmountOut: "50" });
      const exchanged = res.body.events.find((e: { name: string }) => e.name === "PointsExchanged");
      expect(exchanged.args).to.deep.include({ agreementId, amountIn: "101", amountOut: "50", resident: alice.address.toLowerCase(), period });
    });

    it("answers a malformed hash with 400, an unknown one with 404, and one that is not the ledger's with 404", async () => {
      expect((await get("/v1/ledger/transactions/0x1234")).status).to.equal(400);
      const unknown = await get(`/v1/ledger/transactions/0x${"ab".repeat(32)}`);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.message).to.match(/knows no transaction/);
      const [someone] = await ethers.getSigners();
      const payment = await someone.sendTransaction({ to: randomAddress(), value: 1n });
      const other = await get(`/v1/ledger/transactions/${payment.hash}`);
      expect(other.status).to.equal(404);
      expect(other.body.error.message).to.match(/not a call to the ledger or the council/);
    });
  });

  describe("settlement", () => {
    it("before closing, shows what the period's exchanges net to; after, the positions published and confirmed", async () => {
      const open = await get(`/v1/ledger/settlements/${period}`);
      expect(open.status).to.equal(200);
      // 50 transport points at point value 20: volunteer owes transport 1,000 value units.
      expect(open.body).to.deep.include({ period, closed: false, completed: false, exchanges: 1 });
      expect(open.body.positions.map((p: { domainId: number; expected: string; published: string | null }) => [p.domainId, p.expected, p.published])).to.deep.equal([
        [1, "-1000", null],
        [2, "1000", null],
      ]);
      expect(open.body.obligations).to.deep.equal([{ agreementId, fromDomain: 1, toDomain: 2, exchanges: 1, amountOut: "50", value: "1000" }]);

      await ethers.provider.send("evm_increaseTime", [PERIOD_SECONDS]);
      await ethers.provider.send("evm_mine", []);
      const close = await confirmed(await signed(fx, fx.agencies[0], "POST", `/v1/settlements/${period}/close`));
      const paymentRef = referenceHash(SALT, "payment-1");
      await confirmed(await signed(fx, fx.agencies[0], "POST", `/v1/settlements/${period}/confirmation`, { paymentRef }));
      await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/settlements/${period}/confirmation`, { paymentRef }));
      await indexed();
      const done = await get(`/v1/ledger/settlements/${period}`);
      expect(done.body).to.deep.include({ closed: true, completed: true, closedIn: close.transaction!.hash });
      for (const p of done.body.positions) {
        const onChain = await fx.ledger.settlementPosition(period, p.domainId);
        expect([p.published, p.confirmed, p.paymentRef]).to.deep.equal([onChain.net.toString(), true, onChain.paymentRef]);
      }
      const list = await get(`/v1/ledger/settlements?fromPeriod=${period}`);
      expect(list.body.settlements).to.deep.equal([{ period, exchanges: 1, closed: true, completed: true, positions: 2, confirmed: 2 }]);
    });

    it("answers a period not yet begun with 404", async () => {
      const res = await get(`/v1/ledger/settlements/${period + 5}`);
      expect(res.status).to.equal(404);
      expect(res.body.error.message).to.match(/has not begun/);
    });
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await get("/openapi.json")).body;
    for (const p of ["/v1/ledger/overview", "/v1/ledger/agreements", "/v1/ledger/settlements", "/v1/ledger/settlements/{period}", "/v1/ledger/domains/{id}/periods/{period}", "/v1/ledger/domains/{id}/periods/{period}/events", "/v1/ledger/transactions/{hash}"]) {
      expect(doc.paths, p).to.have.property(p);
      expect(doc.paths[p].get.security, p).to.equal(undefined);
    }
  });

  it("keeps answering from the index while the chain is unreachable; a transaction read is 503", async () => {
    const before = (await get("/v1/ledger/overview")).body as LedgerOverview;
    fx.outage.down = true;
    try {
      const deadline = Date.now() + 10_000;
      while (fx.relay.ledgerIndex.status().chainReachable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const during = await get("/v1/ledger/overview");
      expect(during.status).to.equal(200);
      expect(during.body.index).to.deep.include({ block: before.index.block, chainReachable: false, upToDate: false });
      expect(during.body.domains).to.deep.equal(before.domains);
      const tx = await get(`/v1/ledger/transactions/${exchangeTx}`);
      expect(tx.status).to.equal(503);
      expect(tx.body.error.code).to.equal("chain_unavailable");
      expect(tx.headers["retry-after"]).to.equal("5");
    } finally {
      fx.outage.down = false;
    }
  });

  it("is rate-limited as every public read (429 with Retry-After)", async () => {
    const limited = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "3" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(limited.relay.app).get("/v1/ledger/overview")).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
    } finally {
      await limited.stop();
    }
  });
});
