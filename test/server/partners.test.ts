/**
 * The partner directory and a partner's redemptions through the relay: only the domain's agency
 * names a partner, and only one the ledger lists; the names come back by domain and by address; the
 * SDK's agency client sets them; a partner's redemptions come from the ledger index by time window
 * and by order; and a second payment of an order fails on chain with PointsLedgerOrderAlreadyPaid,
 * which the operation states in words.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { createAgencyClient } from "../../sdk/src/agency";
import { referenceHash } from "../../sdk/src/claims";
import type { RedeemIntent } from "../../sdk/src/eip712";
import { intentToWire } from "../../sdk/src/wire/intents";
import type { PartnerRedemptions } from "../../sdk/src/wire/ledger";
import { FAR_DEADLINE, publicRequest, randomAddress, randomResident, signIntentAs, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const SALT = `0x${"5a".repeat(32)}` as const;

describe("relay: the partner directory and partners' redemptions", function () {
  let fx: RelayFixture;
  const shop = randomAddress().toLowerCase() as `0x${string}`;
  const stranger = randomAddress().toLowerCase() as `0x${string}`;
  const bob = randomResident();

  async function confirmed(res: { status: number; body: { operation: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    return op;
  }

  async function indexed(): Promise<void> {
    const head = await ethers.provider.getBlockNumber();
    const deadline = Date.now() + 20_000;
    while (fx.relay.ledgerIndex.status().block < head) {
      if (Date.now() > deadline) throw new Error(`the index did not reach block ${head}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  function pay(orderRef: `0x${string}`, nonce: bigint, amount = 7n) {
    const intent: RedeemIntent = { resident: bob.address, domainId: 1, amount, partner: shop, orderRef, nonce, deadline: FAR_DEADLINE };
    return signIntentAs(fx, bob, "RedeemIntent", intent).then((signature) =>
      publicRequest(fx).post("/v1/resident/redemptions").set("Idempotency-Key", `pay-${nonce}`).send({ intent: intentToWire(intent), signature }),
    );
  }

  before(async () => {
    fx = await startRelay({ listen: true, env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "100000", LEDGER_INDEX_POLL_MS: "20" } });
    await confirmed(await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${shop}`, { allowed: true }));
    await confirmed(await signed(fx, fx.agencies[1], "PUT", `/v1/partners/${shop}`, { allowed: true }));
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: bob.address, amount: "100", claimId: "1" }));
  });
  after(async () => fx.stop());

  describe("naming partners", () => {
    it("refuses to name an address the ledger does not list as a partner of the agency's domain, storing nothing", async () => {
      const res = await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${stranger}/name`, { name: "无名小店" });
      expect(res.status, JSON.stringify(res.body)).to.equal(409);
      expect(res.body.error.message).to.equal(`${stranger} is not a partner of domain 1 on the ledger: register it (PUT /v1/partners/${stranger}) before naming it`);
      expect(await fx.relay.journal.partners.byAddress(stranger)).to.deep.equal([]);
      // The culture agency has not registered the shop: its domain is its own.
      const other = await signed(fx, fx.agencies[2], "PUT", `/v1/partners/${shop}/name`, { name: "冒名" });
      expect(other.status).to.equal(409);
      expect(await fx.relay.journal.partners.byAddress(shop)).to.deep.equal([]);
    });

    it("needs the agency's signature and a valid name", async () => {
      const unsigned = await publicRequest(fx).put(`/v1/partners/${shop}/name`).send({ name: "社区便民超市" });
      expect(unsigned.status).to.equal(401);
      for (const [body, message] of [
        [{ name: "   " }, "a partner's name must not be empty"],
        [{ name: "x".repeat(81) }, "a partner's name is at most 80 characters"],
        [{ name: "a\u0007b" }, "a partner's name must not contain control characters"],
      ] as const) {
        const res = await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${shop}/name`, body);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(JSON.stringify(res.body.error)).to.contain(message);
      }
      expect(await fx.relay.journal.partners.byAddress(shop)).to.deep.equal([]);
    });

    it("stores the name of the agency's partner, replaces it, and lists it by domain and by address", async () => {
      const first = await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${shop}/name`, { name: "社区超市" });
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.partner).to.include({ domainId: 1, address: shop, name: "社区超市" });
      const client = createAgencyClient({ url: fx.url!, keyId: fx.agencies[0].keyId, secret: fx.agencies[0].secret });
      const entry = await client.setPartnerName({ partner: shop, name: " 社区便民超市 " });
      expect(entry).to.include({ domainId: 1, address: shop, name: "社区便民超市" });
      const transport = createAgencyClient({ url: fx.url!, keyId: fx.agencies[1].keyId, secret: fx.agencies[1].secret });
      await transport.setPartnerName({ partner: shop, name: "便民超市（交通积分）" });
      await expect(client.setPartnerName({ partner: stranger, name: "无名小店" })).to.be.rejectedWith(/is not a partner of domain 1 on the ledger/);

      const all = await publicRequest(fx).get("/v1/partners");
      expect(all.status).to.equal(200);
      expect(all.body.partners.map((p: { domainId: number; name: string }) => [p.domainId, p.name])).to.deep.equal([
        [1, "社区便民超市"],
        [2, "便民超市（交通积分）"],
      ]);
      const inDomain = await publicRequest(fx).get("/v1/partners?domain=2");
      expect(inDomain.body.partners.map((p: { name: string }) => p.name)).to.deep.equal(["便民超市（交通积分）"]);
      const byAddress = await publicRequest(fx).get(`/v1/partners/${shop}`);
      expect(byAddress.body.partners.map((p: { domainId: number }) => p.domainId)).to.deep.equal([1, 2]);
      expect(byAddress.body.partners[0].updatedAt).to.be.closeTo(Math.floor(Date.now() / 1000), 60);
    });

    it("answers 404 for an address no agency named, and 400 for a bad address or domain", async () => {
      const missing = await publicRequest(fx).get(`/v1/partners/${stranger}`);
      expect(missing.status).to.equal(404);
      expect(missing.body.error.message).to.equal(`no agency has named partner ${stranger} in the directory`);
      expect((await publicRequest(fx).get("/v1/partners/0x1234")).status).to.equal(400);
      expect((await publicRequest(fx).get("/v1/partners?domain=0")).status).to.equal(400);
    });

    it("is in the OpenAPI document", async () => {
      const doc = (await publicRequest(fx).get("/openapi.json")).body;
      expect(Object.keys(doc.paths)).to.include.members(["/v1/partners", "/v1/partners/{address}", "/v1/partners/{address}/name", "/v1/ledger/partners/{address}/redemptions"]);
    });
  });

  describe("a partner's redemptions and orders paid twice", () => {
    const order = referenceHash(SALT, "till-3/receipt-0042");
    let paidTx = "";

    before(async () => {
      paidTx = (await confirmed(await pay(order, 0n))).transaction!.hash;
      await confirmed(await pay(referenceHash(SALT, "till-3/receipt-0043"), 1n, 3n));
      await indexed();
    });

    it("fails a second payment of the order on chain with PointsLedgerOrderAlreadyPaid, in words, spending nothing", async () => {
      const again = await pay(order, 2n);
      expect(again.status, JSON.stringify(again.body)).to.equal(202);
      const op = await waitFinal(fx, again.body.operation.id);
      expect(op.status).to.equal("failed");
      expect(op.error).to.deep.equal({
        name: "PointsLedgerOrderAlreadyPaid",
        message: `the ledger rejected it: PointsLedgerOrderAlreadyPaid (order ${order} was already paid to partner ${ethers.getAddress(shop)}; a payment request is paid once, so nothing was spent)`,
        args: { partner: ethers.getAddress(shop), orderRef: order },
      });
      expect(await fx.ledger.balanceOf(bob.address, 1)).to.equal(90n);
    });

    it("lists the partner's redemptions of a time window from the index, and finds one order", async () => {
      await indexed();
      const res = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const body = res.body as PartnerRedemptions;
      const logs = await fx.ledger.queryFilter(fx.ledger.filters.PointsRedeemed(undefined, undefined, shop));
      expect(body.redemptions.map((r) => [r.domainId, r.resident, r.amount, r.orderRef, r.transactionHash])).to.deep.equal(
        logs.map((l) => [Number(l.args.domainId), l.args.resident.toLowerCase(), l.args.amount.toString(), l.args.orderRef, l.transactionHash]),
      );
      expect(body.redemptions).to.have.length(2);
      const time = body.redemptions[0].time;
      expect(time).to.equal((await ethers.provider.getBlock(logs[0].blockNumber))!.timestamp);

      const one = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions?orderRef=${order}`);
      expect(one.body.redemptions.map((r: { transactionHash: string }) => r.transactionHash)).to.deep.equal([paidTx]);
      const none = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions?orderRef=${referenceHash(SALT, "never")}`);
      expect(none.body.redemptions).to.deep.equal([]);
      const before = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions?from=${time - 100}&to=${time}`);
      expect(before.body.redemptions).to.deep.equal([]);
      const window = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions?from=${time}&to=${time + 3_600}`);
      expect(window.body.redemptions.length).to.equal(2);
      expect((await publicRequest(fx).get(`/v1/ledger/partners/${stranger}/redemptions`)).body.redemptions).to.deep.equal([]);
    });

    it("refuses a reversed or too long window and a malformed order reference with 400", async () => {
      for (const query of ["from=200&to=100", `from=0&to=${32 * 86_400}`, "orderRef=0x12", "from=-1", "to=soon"]) {
        const res = await publicRequest(fx).get(`/v1/ledger/partners/${shop}/redemptions?${query}`);
        expect(res.status, query).to.equal(400);
      }
    });
  });
});
