import { expect } from "chai";
import { ethers } from "hardhat";
import { signRequest } from "../../sdk/src/auth";
import { publicRequest, randomAddress, signed, startRelay, TEST_HOST, waitFinal, type RelayFixture } from "./helpers/relayFixture";

describe("relay: issuance", function () {
  let fx: RelayFixture;
  let claim = 1000n;
  const nextClaim = () => (claim += 1n).toString();

  before(async () => {
    fx = await startRelay({ residentCap: 1_000n });
  });
  after(async () => fx.stop());

  describe("when an agency issues to one resident", () => {
    it("answers 202 with a queued operation, then confirms it with block and transaction", async () => {
      const resident = randomAddress();
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident, amount: "25", claimId: nextClaim() });
      expect(res.status).to.equal(202);
      expect(res.body.operation).to.include({ kind: "issue", domainId: 1 });
      expect(res.body.operation.status).to.be.oneOf(["queued", "submitted"]);
      const op = await waitFinal(fx, res.body.operation.id);
      expect(op.status).to.equal("confirmed");
      expect(op.transaction!.hash).to.match(/^0x[0-9a-f]{64}$/);
      expect(op.transaction!.blockNumber).to.be.a("number");
      const receipt = await ethers.provider.getTransactionReceipt(op.transaction!.hash);
      expect(receipt!.blockNumber).to.equal(op.transaction!.blockNumber);
      expect(await fx.ledger.balanceOf(resident, 1)).to.equal(25n);
    });

    it("reads the operation back for the agency that owns it", async () => {
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: nextClaim() });
      await waitFinal(fx, res.body.operation.id);
      const read = await signed(fx, fx.agencies[0], "GET", `/v1/operations/${res.body.operation.id}`);
      expect(read.status).to.equal(200);
      expect(read.body.operation.status).to.equal("confirmed");
    });

    it("refuses another agency reading it (403) and an unsigned read (401)", async () => {
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: nextClaim() });
      const other = await signed(fx, fx.agencies[1], "GET", `/v1/operations/${res.body.operation.id}`);
      expect(other.status).to.equal(403);
      expect(other.body.error.code).to.equal("forbidden");
      const anon = await publicRequest(fx).get(`/v1/operations/${res.body.operation.id}`);
      expect(anon.status).to.equal(401);
    });

    it("answers 404 for an unknown operation", async () => {
      const res = await signed(fx, fx.agencies[0], "GET", `/v1/operations/op_${"0".repeat(32)}`);
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal("not_found");
    });
  });

  describe("when the same Idempotency-Key comes back", () => {
    it("with the same body, returns the same operation and issues once", async () => {
      const resident = randomAddress();
      const body = { resident, amount: "7", claimId: nextClaim() };
      const first = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body, { idempotencyKey: "same-key-1" });
      const second = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body, { idempotencyKey: "same-key-1" });
      expect(first.status).to.equal(202);
      expect(second.status).to.equal(202);
      expect(second.body.operation.id).to.equal(first.body.operation.id);
      await waitFinal(fx, first.body.operation.id);
      expect(await fx.ledger.balanceOf(resident, 1)).to.equal(7n);
    });

    it("with the same body after it took effect, still returns the same operation (not a claim conflict)", async () => {
      const body = { resident: randomAddress(), amount: "4", claimId: nextClaim() };
      const first = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body, { idempotencyKey: "same-key-3" });
      await waitFinal(fx, first.body.operation.id);
      const retry = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", body, { idempotencyKey: "same-key-3" });
      expect(retry.status).to.equal(202);
      expect(retry.body.operation).to.include({ id: first.body.operation.id, status: "confirmed" });
    });

    it("with a different body, answers 409", async () => {
      await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: nextClaim() }, { idempotencyKey: "same-key-2" });
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "2", claimId: nextClaim() }, { idempotencyKey: "same-key-2" });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("conflict");
      expect(res.body.error.message).to.match(/Idempotency-Key/);
    });

    it("is scoped per agency: another agency may use the same key", async () => {
      const a = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: nextClaim() }, { idempotencyKey: "shared-key" });
      const b = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "1" }, { idempotencyKey: "shared-key" });
      expect(a.status).to.equal(202);
      expect(b.status).to.equal(202);
      expect(b.body.operation.id).to.not.equal(a.body.operation.id);
    });

    it("requires the key on every write (400)", async () => {
      // Signed without one (the key is part of what a v2 signature covers), so the signature holds.
      const raw = JSON.stringify({ resident: randomAddress(), amount: "1", claimId: nextClaim() });
      const headers = signRequest({ keyId: fx.agencies[0].keyId, secret: fx.agencies[0].secret }, { method: "POST", host: TEST_HOST, path: "/v1/issuances", body: raw });
      expect(Object.keys(headers).map((h) => h.toLowerCase())).to.not.include("idempotency-key");
      const res = await publicRequest(fx).post("/v1/issuances").set("Host", TEST_HOST).set(headers).set("Content-Type", "application/json").send(raw);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal("missing_idempotency_key");
    });
  });

  describe("when a claim id is taken", () => {
    it("in the journal under another key, answers 409", async () => {
      const claimId = nextClaim();
      const first = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId });
      expect(first.status).to.equal(202);
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId });
      expect(res.status).to.equal(409);
      expect(res.body.error.details.claimIds).to.deep.equal([claimId]);
    });

    it("on chain already, answers 409 naming it", async () => {
      const claimId = nextClaim();
      const first = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId });
      await waitFinal(fx, first.body.operation.id);
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances/batch", {
        items: [
          { resident: randomAddress(), amount: "1", claimId: nextClaim() },
          { resident: randomAddress(), amount: "1", claimId },
        ],
      });
      expect(res.status).to.equal(409);
      expect(res.body.error.details.claimIds).to.include(claimId);
    });

    it("lets the same claim id be used in another domain", async () => {
      const res = await signed(fx, fx.agencies[2], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: claim.toString() });
      expect(res.status).to.equal(202);
      expect((await waitFinal(fx, res.body.operation.id)).status).to.equal("confirmed");
    });
  });

  describe("when a batch is issued", () => {
    it("gives each item its own operation, all confirmed", async () => {
      const items = Array.from({ length: 20 }, () => ({ resident: randomAddress(), amount: "3", claimId: nextClaim() }));
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances/batch", { items });
      expect(res.status).to.equal(202);
      expect(res.body.operations).to.have.length(20);
      const ops = await Promise.all(res.body.operations.map((o: { id: string }) => waitFinal(fx, o.id)));
      expect(ops.map((o) => o.status)).to.deep.equal(Array(20).fill("confirmed"));
      for (const item of items) expect(await fx.ledger.balanceOf(item.resident, 2)).to.equal(3n);
    });

    it("fails only the item over the resident cap, with its contract error, and confirms the others", async () => {
      const capped = randomAddress();
      const items = [
        { resident: randomAddress(), amount: "10", claimId: nextClaim() },
        { resident: capped, amount: "1001", claimId: nextClaim() },
        { resident: randomAddress(), amount: "10", claimId: nextClaim() },
      ];
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances/batch", { items });
      const ops = await Promise.all(res.body.operations.map((o: { id: string }) => waitFinal(fx, o.id)));
      expect(ops.map((o) => o.status)).to.deep.equal(["confirmed", "failed", "confirmed"]);
      expect(ops[1].error!.name).to.equal("PointsLedgerResidentCapExceeded");
      expect(ops[1].error!.args!.requested).to.equal("1001");
      expect(await fx.ledger.balanceOf(capped, 2)).to.equal(0n);
      expect(await fx.ledger.balanceOf(items[0].resident, 2)).to.equal(10n);
    });

    it("coalesces single requests sent together into fewer transactions", async () => {
      const sends = Array.from({ length: 30 }, () =>
        signed(fx, fx.agencies[3], "POST", "/v1/issuances", { resident: randomAddress(), amount: "2", claimId: nextClaim() }),
      );
      const responses = await Promise.all(sends);
      expect(responses.every((r) => r.status === 202)).to.equal(true);
      const ops = await Promise.all(responses.map((r) => waitFinal(fx, r.body.operation.id)));
      expect(ops.every((o) => o.status === "confirmed")).to.equal(true);
      const hashes = new Set(ops.map((o) => o.transaction!.hash));
      expect(hashes.size).to.be.lessThan(30);
    });

    it("refuses repeated claim ids within one batch (400 naming the item)", async () => {
      const claimId = nextClaim();
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances/batch", {
        items: [
          { resident: randomAddress(), amount: "1", claimId },
          { resident: randomAddress(), amount: "1", claimId },
        ],
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal("body.items[1].claimId");
    });

    it("refuses a mixed-case address whose EIP-55 checksum is wrong (400), accepts lowercase", async () => {
      const bad = "0x5B38Da6a701c568545dCfcB03FcB875f56beddc4";
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: bad, amount: "1", claimId: nextClaim() });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0]).to.deep.equal({ path: "body.resident", message: "mixed-case address with a wrong EIP-55 checksum" });
      const ok = await signed(fx, fx.agencies[1], "POST", "/v1/issuances", { resident: bad.toLowerCase(), amount: "1", claimId: nextClaim() });
      expect(ok.status).to.equal(202);
    });

    it("refuses more than 500 items (400)", async () => {
      const items = Array.from({ length: 501 }, (_, i) => ({ resident: randomAddress(), amount: "1", claimId: String(900_000 + i) }));
      const res = await signed(fx, fx.agencies[1], "POST", "/v1/issuances/batch", { items });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].path).to.equal("body.items");
    });
  });

  describe("when the agency reaches beyond its domain", () => {
    it("answers 403 for another domain's issuance", async () => {
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { domainId: 2, resident: randomAddress(), amount: "1", claimId: nextClaim() });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal("forbidden");
    });
  });

  describe("when the ledger refuses an issuance", () => {
    it("fails the operation with the named contract error (domain paused)", async () => {
      await (await fx.ledger.connect(fx.pauser).pauseDomain(4)).wait();
      try {
        const res = await signed(fx, fx.agencies[3], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: nextClaim() });
        const op = await waitFinal(fx, res.body.operation.id);
        expect(op.status).to.equal("failed");
        expect(op.error!.name).to.equal("PointsLedgerDomainPaused");
        expect(op.error!.args!.domainId).to.equal("4");
      } finally {
        await fx.asCouncil("unpauseDomain", [4]);
      }
    });

    it("reports the agency's quota use", async () => {
      const res = await signed(fx, fx.agencies[1], "GET", "/v1/quota");
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ domainId: 2, admitted: true, suspended: false });
      expect(BigInt(res.body.usedThisPeriod)).to.be.greaterThan(0n);
      expect(BigInt(res.body.remaining)).to.equal(BigInt(res.body.quota) - BigInt(res.body.usedThisPeriod));
    });
  });
});
