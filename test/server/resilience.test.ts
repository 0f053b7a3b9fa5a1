import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { publicRequest, randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

async function issuedEvents(fx: RelayFixture, claimId: bigint): Promise<number> {
  const logs = await fx.ledger.queryFilter(fx.ledger.filters.PointsIssued(undefined, undefined, claimId));
  return logs.length;
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("relay: resilience", function () {
  describe("when the chain is down and writes are accepted (the default)", () => {
    let fx: RelayFixture;
    before(async () => {
      fx = await startRelay({ env: { QUEUE_LIMIT: "4", RECONCILE_INTERVAL_MS: "100" } });
    });
    after(async () => {
      fx.outage.down = false;
      await fx.stop();
    });

    it("journals writes (202), reports not ready, and sends them when the chain returns", async () => {
      fx.outage.down = true;
      const residents = [randomAddress(), randomAddress(), randomAddress()];
      const responses = [];
      for (const [i, resident] of residents.entries()) {
        responses.push(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident, amount: "9", claimId: String(70 + i) }));
      }
      expect(responses.map((r) => r.status)).to.deep.equal([202, 202, 202]);
      const ready = await publicRequest(fx).get("/ready");
      expect(ready.status).to.equal(503);
      expect(ready.body.checks.chain.ok).to.equal(false);
      expect(ready.body.checks.journal.ok).to.equal(true);
      const read = await publicRequest(fx).get("/v1/domains");
      expect(read.status).to.equal(503);
      expect(read.body.error.code).to.equal("chain_unavailable");
      expect((await fx.relay.journal.operations.get(responses[0].body.operation.id))!.status).to.equal("queued");

      fx.outage.down = false;
      const ops = await Promise.all(responses.map((r) => waitFinal(fx, r.body.operation.id)));
      expect(ops.map((o) => o.status)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
      for (const resident of residents) expect(await fx.ledger.balanceOf(resident, 1)).to.equal(9n);
      // /ready probes the chain at most once a second: it says ready again within that.
      let again = await publicRequest(fx).get("/ready");
      for (let i = 0; i < 20 && again.status !== 200; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        again = await publicRequest(fx).get("/ready");
      }
      expect(again.status).to.equal(200);
    });

    it("answers 503 with Retry-After once the queue bound is reached", async () => {
      fx.outage.down = true;
      const statuses: number[] = [];
      let full;
      for (let i = 0; i < 6; i += 1) {
        const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: String(200 + i) });
        statuses.push(res.status);
        if (res.status === 503) full = res;
        await new Promise((r) => setTimeout(r, 550)); // past the queue count's refresh
      }
      expect(statuses.slice(0, 4)).to.deep.equal([202, 202, 202, 202]);
      expect(full, `statuses ${statuses}`).to.not.equal(undefined);
      expect(full!.body.error.code).to.equal("queue_full");
      expect(Number(full!.headers["retry-after"])).to.be.greaterThan(0);
      fx.outage.down = false;
    });
  });

  describe("when configured to refuse writes while the chain is down", () => {
    let fx: RelayFixture;
    before(async () => {
      fx = await startRelay({ env: { CHAIN_DOWN_WRITES: "refuse", RECONCILE_INTERVAL_MS: "50" } });
    });
    after(async () => {
      fx.outage.down = false;
      await fx.stop();
    });

    it("answers 503 chain_unavailable and journals nothing", async () => {
      fx.outage.down = true;
      await publicRequest(fx).get("/ready");
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal("chain_unavailable");
      expect(await fx.relay.journal.operations.countUnfinished()).to.equal(0);
      fx.outage.down = false;
      await publicRequest(fx).get("/ready");
      const ok = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" });
      expect(ok.status).to.equal(202);
    });
  });

  describe("when the chain loses or drops transactions", () => {
    let fx: RelayFixture;
    before(async () => {
      fx = await startRelay({ env: { RECONCILE_INTERVAL_MS: "100", REBROADCAST_AFTER_MS: "300" } });
    });
    after(async () => {
      await hre.network.provider.request({ method: "evm_setAutomine", params: [true] });
      await fx.stop();
    });

    it("resends a confirmed transaction the chain no longer has, and it lands exactly once", async () => {
      const snapshot = await hre.network.provider.request({ method: "evm_snapshot", params: [] });
      const resident = randomAddress();
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident, amount: "11", claimId: "4242" });
      const first = await waitFinal(fx, res.body.operation.id);
      expect(first.status).to.equal("confirmed");
      await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
      expect(await fx.ledger.balanceOf(resident, 1)).to.equal(0n);
      await until(async () => (await fx.ledger.balanceOf(resident, 1)) === 11n);
      expect(await issuedEvents(fx, 4242n)).to.equal(1);
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("confirmed");
      expect(op.transaction!.hash).to.equal(first.transaction!.hash);
    });

    it("rebroadcasts the same signed bytes when a sent transaction is dropped from the pool", async () => {
      await hre.network.provider.request({ method: "evm_setAutomine", params: [false] });
      const resident = randomAddress();
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident, amount: "12", claimId: "77" });
      let hash = "";
      await until(async () => {
        const op = await fx.relay.journal.operations.get(res.body.operation.id);
        hash = op?.transaction?.hash ?? "";
        return op?.status === "submitted";
      });
      await hre.network.provider.request({ method: "hardhat_dropTransaction", params: [hash] });
      await hre.network.provider.request({ method: "evm_mine", params: [] });
      expect(await fx.ledger.balanceOf(resident, 2)).to.equal(0n);
      await hre.network.provider.request({ method: "evm_setAutomine", params: [true] });
      await until(async () => (await ethers.provider.getTransaction(hash)) !== null);
      await hre.network.provider.request({ method: "evm_mine", params: [] });
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("confirmed");
      expect(op.transaction!.hash).to.equal(hash);
      expect(await fx.ledger.balanceOf(resident, 2)).to.equal(12n);
    });

    it("requeues work whose nonce was taken by another transaction from the same key, then confirms it", async () => {
      const agency = fx.agencies[2];
      // Another process uses the agency's key behind the relay's back.
      const outsider = await agency.account.signTransaction({
        type: "legacy",
        to: agency.account.address,
        nonce: await ethers.provider.getTransactionCount(agency.account.address),
        gas: 21_000n,
        gasPrice: 10n ** 10n,
        chainId: fx.deployment.chainId,
      });
      await ethers.provider.send("eth_sendRawTransaction", [outsider]);
      const resident = randomAddress();
      const res = await signed(fx, agency, "POST", "/v1/issuances", { resident, amount: "13", claimId: "1" });
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("confirmed");
      expect(await fx.ledger.balanceOf(resident, 3)).to.equal(13n);
    });
  });
});
