import { expect } from "chai";
import { ethers } from "hardhat";
import { referenceHash } from "../../sdk/src/claims";
import { intentToWire } from "../../sdk/src/wire/intents";
import type { ExchangeIntent, RedeemIntent } from "../../sdk/src/eip712";
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

const SALT = `0x${"11".repeat(32)}` as const;
const AGREEMENT_1_2 = ((1n << 32n) | 2n).toString();

describe("relay: agreements, exchanges, redemptions, settlement and reads", function () {
  let fx: RelayFixture;
  const resident = randomResident();
  const partner = randomAddress();
  let period = 0;

  async function confirmed(res: { status: number; body: { operation: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    return op;
  }

  function exchange(fields: Partial<ExchangeIntent> = {}): ExchangeIntent {
    return { resident: resident.address, fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut: 0n, nonce: 0n, deadline: FAR_DEADLINE, ...fields };
  }
  function redemption(fields: Partial<RedeemIntent> = {}): RedeemIntent {
    // One order per nonce: the ledger refuses an order reference paid twice to the partner.
    return { resident: resident.address, domainId: 1, amount: 10n, partner, orderRef: referenceHash(SALT, `order-${fields.nonce ?? 0n}`), nonce: 0n, deadline: FAR_DEADLINE, ...fields };
  }
  async function nonce(domainId: number): Promise<bigint> {
    return fx.ledger.nonces(resident.address, domainId);
  }
  async function postExchange(intent: ExchangeIntent, signer = resident) {
    const signature = await signIntentAs(fx, signer, "ExchangeIntent", intent);
    return publicRequest(fx).post("/v1/exchanges").set("Idempotency-Key", `x-${Math.random()}`).send({ intent: intentToWire(intent), signature });
  }

  before(async () => {
    fx = await startRelay({ periodSeconds: 3_600, env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "10000" } });
    const issue = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: resident.address, amount: "1000", claimId: "1" });
    await confirmed(issue);
    period = Number(await fx.ledger.currentPeriod());
  });
  after(async () => fx.stop());

  describe("agreements", () => {
    it("are proposed by one side and come into force when the other approves", async () => {
      await confirmed(
        await signed(fx, fx.agencies[0], "POST", "/v1/agreements", {
          fromDomain: 1,
          toDomain: 2,
          rateNum: 1,
          rateDen: 2,
          periodCap: "0",
          validFromPeriod: 0,
          validUntilPeriod: 1_000_000,
        }),
      );
      let list = await publicRequest(fx).get("/v1/agreements");
      expect(list.body.agreements).to.deep.equal([]);
      await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${AGREEMENT_1_2}/approvals`, { version: 1 }));
      list = await publicRequest(fx).get("/v1/agreements");
      expect(list.status).to.equal(200);
      expect(list.body.agreements).to.have.length(1);
      expect(list.body.agreements[0]).to.deep.include({ agreementId: AGREEMENT_1_2, fromDomain: 1, toDomain: 2, inForce: true });
      expect(list.body.agreements[0].current).to.deep.include({ version: 1, rateNum: 1, rateDen: 2 });
    });

    it("fail with the contract error when the version is not pending", async () => {
      const res = await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${AGREEMENT_1_2}/approvals`, { version: 7 });
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("failed");
      expect(op.error!.name).to.equal("PointsLedgerNotPending");
    });

    it("quote what an exchange gives", async () => {
      const res = await publicRequest(fx).get("/v1/quotes?fromDomain=1&toDomain=2&amountIn=100");
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ amountIn: "100", amountOut: "50", agreementId: AGREEMENT_1_2, version: 1 });
    });
  });

  describe("exchanges from the resident's app", () => {
    it("are confirmed and move points at the agreed rate", async () => {
      await confirmed(await postExchange(exchange({ nonce: await nonce(1) })));
      expect(await fx.ledger.balanceOf(resident.address, 1)).to.equal(900n);
      expect(await fx.ledger.balanceOf(resident.address, 2)).to.equal(50n);
    });

    it("accept consecutive nonces before the first is mined, and confirm both", async () => {
      const n = await nonce(1);
      const [a, b] = [await postExchange(exchange({ nonce: n, amountIn: 10n })), await postExchange(exchange({ nonce: n + 1n, amountIn: 10n }))];
      await confirmed(a);
      await confirmed(b);
      expect(await nonce(1)).to.equal(n + 2n);
    });

    it("refuse a signature by someone else (401)", async () => {
      const res = await postExchange(exchange({ nonce: await nonce(1) }), randomResident());
      expect(res.status).to.equal(401);
      expect(res.body.error.details[0].path).to.equal("body.signature");
    });

    it("refuse a used nonce and a nonce ahead (409 with the expected one)", async () => {
      const n = await nonce(1);
      const used = await postExchange(exchange({ nonce: n - 1n }));
      expect(used.status).to.equal(409);
      expect(used.body.error.details.expected).to.equal(n.toString());
      const ahead = await postExchange(exchange({ nonce: n + 5n }));
      expect(ahead.status).to.equal(409);
    });

    it("refuse an expired deadline (400)", async () => {
      const res = await postExchange(exchange({ nonce: await nonce(1), deadline: 1n }));
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal("body.intent.deadline");
    });

    it("fail with the contract error when the ledger refuses (slippage)", async () => {
      const res = await postExchange(exchange({ nonce: await nonce(1), amountIn: 10n, minAmountOut: 6n }));
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("failed");
      expect(op.error!.name).to.equal("PointsLedgerSlippage");
      expect(op.error!.args).to.deep.equal({ amountOut: "5", minAmountOut: "6" });
    });

    it("can be read back by their operation id without credentials", async () => {
      const res = await postExchange(exchange({ nonce: await nonce(1), amountIn: 2n }));
      await waitFinal(fx, res.body.operation.id);
      const read = await publicRequest(fx).get(`/v1/operations/${res.body.operation.id}`);
      expect(read.status).to.equal(200);
      expect(read.body.operation).to.include({ kind: "exchange", status: "confirmed" });
    });
  });

  describe("redemptions", () => {
    it("need the partner registered by the domain's agency", async () => {
      const before = await signed(fx, fx.agencies[0], "POST", "/v1/redemptions", {
        intent: intentToWire(redemption({ nonce: await nonce(1) })),
        signature: await signIntentAs(fx, resident, "RedeemIntent", redemption({ nonce: await nonce(1) })),
      });
      const failed = await waitFinal(fx, before.body.operation.id);
      expect(failed.status).to.equal("failed");
      expect(failed.error!.name).to.equal("PointsLedgerUnknownPartner");
      await confirmed(await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true }));
      expect(await fx.ledger.isPartner(1, partner)).to.equal(true);
    });

    it("submitted by the domain's agency burn the resident's points", async () => {
      const balance = await fx.ledger.balanceOf(resident.address, 1);
      const intent = redemption({ nonce: await nonce(1), amount: 30n });
      await confirmed(
        await signed(fx, fx.agencies[0], "POST", "/v1/redemptions", { intent: intentToWire(intent), signature: await signIntentAs(fx, resident, "RedeemIntent", intent) }),
      );
      expect(await fx.ledger.balanceOf(resident.address, 1)).to.equal(balance - 30n);
    });

    it("submitted by another domain's agency are refused (403)", async () => {
      const intent = redemption({ nonce: await nonce(1) });
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/redemptions", { intent: intentToWire(intent), signature: await signIntentAs(fx, resident, "RedeemIntent", intent) });
      expect(res.status).to.equal(403);
    });

    it("submitted by the resident's app are confirmed too", async () => {
      const intent = redemption({ nonce: await nonce(1), amount: 5n });
      const signature = await signIntentAs(fx, resident, "RedeemIntent", intent);
      const res = await publicRequest(fx).post("/v1/resident/redemptions").set("Idempotency-Key", "r-1").send({ intent: intentToWire(intent), signature });
      await confirmed(res);
    });
  });

  describe("reads", () => {
    it("balances per domain with the next nonce", async () => {
      const res = await publicRequest(fx).get(`/v1/residents/${resident.address.toLowerCase()}/balances`);
      expect(res.status).to.equal(200);
      const d1 = res.body.balances.find((b: { domainId: number }) => b.domainId === 1);
      expect(d1.balance).to.equal((await fx.ledger.balanceOf(resident.address, 1)).toString());
      expect(d1.nextNonce).to.equal((await nonce(1)).toString());
      expect(res.body.balances).to.have.length(4);
    });

    it("history from the chain, oldest first", async () => {
      const res = await publicRequest(fx).get(`/v1/residents/${resident.address}/history`);
      expect(res.status).to.equal(200);
      const types = res.body.entries.map((e: { type: string }) => e.type);
      expect(types[0]).to.equal("issued");
      expect(types).to.include("exchanged");
      expect(types).to.include("redeemed");
      expect(res.body.entries[0]).to.include({ domainId: 1, amount: "1000" });
      // Who issued, where it was spent, under which agreement: what a resident's history shows.
      expect(res.body.entries[0].issuer.toLowerCase()).to.equal(fx.agencies[0].account.address.toLowerCase());
      const redeemed = res.body.entries.find((e: { type: string }) => e.type === "redeemed");
      expect(redeemed.partner.toLowerCase()).to.equal(partner.toLowerCase());
      expect(redeemed.orderRef).to.match(/^0x[0-9a-f]{64}$/);
      const exchanged = res.body.entries.find((e: { type: string }) => e.type === "exchanged");
      expect(exchanged).to.include({ agreementId: ((1n << 32n) | 2n).toString(), version: 1 });
    });

    it("domains and supply", async () => {
      const domains = await publicRequest(fx).get("/v1/domains");
      expect(domains.status).to.equal(200);
      expect(domains.body.domains.map((d: { name: string }) => d.name)).to.deep.equal(["volunteer", "transport", "culture", "environment"]);
      expect(domains.body.periodSeconds).to.equal(3_600);
      const supply = await publicRequest(fx).get("/v1/supply");
      const s1 = supply.body.supply.find((s: { domainId: number }) => s.domainId === 1);
      const view = await fx.ledger.domain(1);
      expect(s1.supply).to.equal(view.supply.toString());
    });
  });

  describe("suspension and settlement", () => {
    it("a suspended agreement is no longer listed as in force", async () => {
      await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${AGREEMENT_1_2}/suspension`, { suspended: true }));
      expect((await publicRequest(fx).get("/v1/agreements")).body.agreements).to.deep.equal([]);
      const all = await publicRequest(fx).get("/v1/agreements?all=true");
      expect(all.body.agreements[0]).to.deep.include({ inForce: false, suspendedByTo: true, suspendedByFrom: false });
    });

    it("closes an ended period, shows the statement, and records an agency's confirmation", async () => {
      await ethers.provider.send("evm_increaseTime", [3_600]);
      await ethers.provider.send("evm_mine", []);
      const early = await signed(fx, fx.agencies[0], "GET", `/v1/settlements/${period}`);
      expect(early.body).to.deep.include({ period, closed: false, positions: [] });
      await confirmed(await signed(fx, fx.agencies[0], "POST", `/v1/settlements/${period}/close`));
      const statement = await signed(fx, fx.agencies[1], "GET", `/v1/settlements/${period}`);
      expect(statement.status).to.equal(200);
      expect(statement.body.closed).to.equal(true);
      const net = Object.fromEntries(statement.body.positions.map((p: { domainId: number; net: string }) => [p.domainId, BigInt(p.net)]));
      expect(net[1] + net[2]).to.equal(0n);
      expect(net[2] > 0n).to.equal(true);
      const paymentRef = referenceHash(SALT, "payment-1");
      await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/settlements/${period}/confirmation`, { paymentRef }));
      const after = await signed(fx, fx.agencies[1], "GET", `/v1/settlements/${period}`);
      const mine = after.body.positions.find((p: { domainId: number }) => p.domainId === 2);
      expect(mine).to.deep.include({ confirmed: true, paymentRef });
    });

    it("refuses a zero payment reference (400) and closing a period twice fails with the contract error", async () => {
      const zero = await signed(fx, fx.agencies[0], "POST", `/v1/settlements/${period}/confirmation`, { paymentRef: `0x${"0".repeat(64)}` });
      expect(zero.status).to.equal(400);
      const again = await signed(fx, fx.agencies[0], "POST", `/v1/settlements/${period}/close`);
      const op = await waitFinal(fx, again.body.operation.id);
      expect(op.status).to.equal("failed");
      expect(op.error!.name).to.equal("PointsLedgerPeriodClosed");
    });
  });
});
