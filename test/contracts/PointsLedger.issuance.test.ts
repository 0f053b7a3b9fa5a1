import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityLedger, nextPeriod } from "../helpers/fixtures";
import { deployLedger, DOMAIN, type LedgerSetup } from "../helpers/deploy";
import { shouldBehaveLikePausable } from "./behaviors/pausable.behavior";

/** A distinct resident address per number, cheaper than generating keys. */
function addressNo(n: number): string {
  return ethers.getAddress(ethers.toBeHex(0xc17e0000n + BigInt(n), 20));
}

async function cappedLedger(): Promise<LedgerSetup> {
  return deployLedger({ residentCap: 100n, quota: 1_000n });
}

describe("PointsLedger issuance", function () {
  describe("issue", function () {
    it("credits the resident, grows the supply, uses the claim id, quota and cap, and emits PointsIssued", async function () {
      const { ledger, agencies, residents } = await loadFixture(cappedLedger);
      const resident = await residents[0].getAddress();
      const issuer = await agencies[0].getAddress();
      await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 40, 7))
        .to.emit(ledger, "PointsIssued")
        .withArgs(DOMAIN.volunteer, resident, 7, issuer, 40, 0);
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(40);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(40);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 7)).to.equal(true);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 6)).to.equal(false);
      expect((await ledger.issuerState(DOMAIN.volunteer, issuer)).usedThisPeriod).to.equal(40);
      expect(await ledger.residentIssuedThisPeriod(DOMAIN.volunteer, resident)).to.equal(40);
      // Other domains are untouched.
      expect(await ledger.balanceOf(resident, DOMAIN.transport)).to.equal(0);
    });

    it("scopes claim ids per domain: the same id may be used once in each domain", async function () {
      const { ledger, agencies, residents } = await loadFixture(cityLedger);
      const resident = await residents[0].getAddress();
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 1, 99);
      await ledger.connect(agencies[1]).issue(DOMAIN.transport, resident, 1, 99);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 99)).to.equal(true);
      expect(await ledger.isClaimUsed(DOMAIN.transport, 99)).to.equal(true);
      expect(await ledger.isClaimUsed(DOMAIN.culture, 99)).to.equal(false);
    });

    it("never credits twice for a claim id, even in a later period", async function () {
      const setup = await loadFixture(cityLedger);
      const { ledger, agencies, residents } = setup;
      const resident = await residents[0].getAddress();
      const claimId = (1n << 255n) | 3n; // the highest word of the bitmap works like any other
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 5, claimId);
      await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 5, claimId))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed")
        .withArgs(DOMAIN.volunteer, claimId);
      await nextPeriod(setup);
      await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[1].getAddress(), 5, claimId))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed")
        .withArgs(DOMAIN.volunteer, claimId);
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(5);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(5);
    });

    it("rejects an issuer of another domain, a stranger and a suspended issuer", async function () {
      const { ledger, agencies, residents, stranger, pauser } = await loadFixture(cityLedger);
      const resident = await residents[0].getAddress();
      await expect(ledger.connect(agencies[1]).issue(DOMAIN.volunteer, resident, 1, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotIssuer")
        .withArgs(DOMAIN.volunteer, await agencies[1].getAddress());
      await expect(ledger.connect(stranger).issue(DOMAIN.volunteer, resident, 1, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotIssuer")
        .withArgs(DOMAIN.volunteer, await stranger.getAddress());
      await ledger.connect(pauser).suspendIssuer(DOMAIN.volunteer, await agencies[0].getAddress());
      await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 1, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerIssuerSuspended")
        .withArgs(DOMAIN.volunteer, await agencies[0].getAddress());
    });

    it("rejects bad input: unknown domain, zero or oversized amount, zero resident", async function () {
      const { ledger, agencies, residents } = await loadFixture(cityLedger);
      const resident = await residents[0].getAddress();
      const issuer = ledger.connect(agencies[0]);
      await expect(issuer.issue(9, resident, 1, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain").withArgs(9);
      await expect(issuer.issue(0, resident, 1, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain").withArgs(0);
      await expect(issuer.issue(DOMAIN.volunteer, resident, 0, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerZeroAmount");
      const tooMuch = 2n ** 64n;
      await expect(issuer.issue(DOMAIN.volunteer, resident, tooMuch, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAmountTooLarge")
        .withArgs(tooMuch);
      await expect(issuer.issue(DOMAIN.volunteer, ethers.ZeroAddress, 1, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidAddress")
        .withArgs(ethers.ZeroAddress);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 1)).to.equal(false);
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: cityLedger,
        send: async ({ ledger, agencies, residents }) => ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[0].getAddress(), 1, 1),
        event: "PointsIssued",
        state: async ({ ledger, residents }) => [
          await ledger.balanceOf(await residents[0].getAddress(), DOMAIN.volunteer),
          (await ledger.domain(DOMAIN.volunteer)).supply,
          await ledger.isClaimUsed(DOMAIN.volunteer, 1),
        ],
        stoppedBy: [DOMAIN.volunteer],
      });
    });

    describe("when limits are reached", function () {
      it("enforces the issuer's quota per period, naming what remains", async function () {
        const setup = await loadFixture(cappedLedger);
        const { ledger, agencies, residents } = setup;
        const issuer = ledger.connect(agencies[0]);
        const issuerAddress = await agencies[0].getAddress();
        for (let i = 0; i < 9; i++) await issuer.issue(DOMAIN.volunteer, addressNo(i + 1), 100, 100 + i);
        await expect(issuer.issue(DOMAIN.volunteer, await residents[1].getAddress(), 101, 200))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerQuotaExceeded")
          .withArgs(DOMAIN.volunteer, issuerAddress, 101, 100);
        await nextPeriod(setup);
        expect((await ledger.issuerState(DOMAIN.volunteer, issuerAddress)).usedThisPeriod).to.equal(0);
        await issuer.issue(DOMAIN.volunteer, await residents[1].getAddress(), 100, 201);
        expect((await ledger.issuerState(DOMAIN.volunteer, issuerAddress)).usedThisPeriod).to.equal(100);
      });

      it("treats a quota lowered below this period's use as exhausted", async function () {
        const { ledger, agencies, residents, asCouncil } = await loadFixture(cappedLedger);
        const issuerAddress = await agencies[0].getAddress();
        await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[0].getAddress(), 80, 1);
        await asCouncil("setIssuerQuota", [DOMAIN.volunteer, issuerAddress, 50]);
        await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[1].getAddress(), 1, 2))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerQuotaExceeded")
          .withArgs(DOMAIN.volunteer, issuerAddress, 1, 0);
      });

      it("enforces the resident's cap per domain per period", async function () {
        const setup = await loadFixture(cappedLedger);
        const { ledger, agencies, residents } = setup;
        const resident = await residents[0].getAddress();
        await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 70, 1);
        await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 31, 2))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerResidentCapExceeded")
          .withArgs(DOMAIN.volunteer, resident, 31, 30);
        // The cap is per domain.
        await ledger.connect(agencies[1]).issue(DOMAIN.transport, resident, 100, 1);
        await nextPeriod(setup);
        await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 100, 3);
        expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(170);
      });

      it("counts uncapped issuance, so a cap set later in the period already applies", async function () {
        const { ledger, agencies, residents, asCouncil } = await loadFixture(cityLedger);
        const resident = await residents[0].getAddress();
        await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 60, 1);
        await asCouncil("setResidentCap", [DOMAIN.volunteer, 50]);
        await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 1, 2))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerResidentCapExceeded")
          .withArgs(DOMAIN.volunteer, resident, 1, 0);
      });
    });
  });

  describe("issueBatch", function () {
    it("issues every item, using each claim id, and the quota for the total", async function () {
      const { ledger, agencies, residents } = await loadFixture(cappedLedger);
      const items = await Promise.all(
        residents.slice(0, 5).map(async (r, i) => ({ resident: await r.getAddress(), amount: 10 + i, claimId: 254 + i })),
      );
      const tx = ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, items);
      for (const item of items) {
        await expect(tx)
          .to.emit(ledger, "PointsIssued")
          .withArgs(DOMAIN.volunteer, item.resident, item.claimId, await agencies[0].getAddress(), item.amount, 0);
      }
      for (const item of items) {
        expect(await ledger.balanceOf(item.resident, DOMAIN.volunteer)).to.equal(item.amount);
        // Ids 254..258 span two bitmap words; each bit is set.
        expect(await ledger.isClaimUsed(DOMAIN.volunteer, item.claimId)).to.equal(true);
      }
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 253)).to.equal(false);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 259)).to.equal(false);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(60);
      expect((await ledger.issuerState(DOMAIN.volunteer, await agencies[0].getAddress())).usedThisPeriod).to.equal(60);
    });

    it("keeps claim bits of words visited twice in one batch", async function () {
      const { ledger, agencies, residents } = await loadFixture(cityLedger);
      const r = await residents[0].getAddress();
      const ids = [1n, 300n, 2n, 301n];
      await ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, ids.map((claimId) => ({ resident: r, amount: 1, claimId })));
      for (const id of ids) expect(await ledger.isClaimUsed(DOMAIN.volunteer, id)).to.equal(true);
      await expect(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, r, 1, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed");
    });

    it("is all or nothing: a claim id repeated inside the batch, or already used, reverts it whole", async function () {
      const { ledger, agencies, residents } = await loadFixture(cityLedger);
      const r = await residents[0].getAddress();
      await expect(
        ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [
          { resident: r, amount: 1, claimId: 5 },
          { resident: r, amount: 1, claimId: 5 },
        ]),
      )
        .to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed")
        .withArgs(DOMAIN.volunteer, 5);
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, r, 1, 6);
      await expect(
        ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [
          { resident: r, amount: 1, claimId: 7 },
          { resident: r, amount: 1, claimId: 6 },
        ]),
      )
        .to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed")
        .withArgs(DOMAIN.volunteer, 6);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 5)).to.equal(false);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, 7)).to.equal(false);
      expect(await ledger.balanceOf(r, DOMAIN.volunteer)).to.equal(1);
    });

    it("checks the cap across items for the same resident and the quota against the total", async function () {
      const { ledger, agencies, residents } = await loadFixture(cappedLedger);
      const r = await residents[0].getAddress();
      await expect(
        ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [
          { resident: r, amount: 60, claimId: 1 },
          { resident: r, amount: 60, claimId: 2 },
        ]),
      )
        .to.be.revertedWithCustomError(ledger, "PointsLedgerResidentCapExceeded")
        .withArgs(DOMAIN.volunteer, r, 60, 40);
      const items = await Promise.all(residents.map(async (x, i) => ({ resident: await x.getAddress(), amount: 100, claimId: 10 + i })));
      // 8 residents x 100 = 800 fits the quota of 1,000; 3 more do not.
      await ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, items);
      const more = [0, 1, 2].map((i) => ({ resident: addressNo(i + 1), amount: 100, claimId: 50 + i }));
      await expect(ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, more))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerQuotaExceeded")
        .withArgs(DOMAIN.volunteer, await agencies[0].getAddress(), 300, 200);
    });

    it("rejects an empty or oversized batch, bad items, and callers who are not issuers", async function () {
      const { ledger, agencies, residents, stranger } = await loadFixture(cityLedger);
      const r = await residents[0].getAddress();
      await expect(ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, []))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidBatchSize")
        .withArgs(0);
      const big = Array.from({ length: 501 }, (_, i) => ({ resident: r, amount: 1, claimId: i }));
      await expect(ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, big))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidBatchSize")
        .withArgs(501);
      await expect(ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [{ resident: r, amount: 0, claimId: 1 }])).to.be.revertedWithCustomError(
        ledger,
        "PointsLedgerZeroAmount",
      );
      await expect(ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [{ resident: ethers.ZeroAddress, amount: 1, claimId: 1 }]))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidAddress")
        .withArgs(ethers.ZeroAddress);
      await expect(ledger.connect(stranger).issueBatch(DOMAIN.volunteer, [{ resident: r, amount: 1, claimId: 1 }]))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotIssuer")
        .withArgs(DOMAIN.volunteer, await stranger.getAddress());
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: cityLedger,
        send: async ({ ledger, agencies, residents }) =>
          ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [
            { resident: await residents[0].getAddress(), amount: 1, claimId: 1 },
            { resident: await residents[1].getAddress(), amount: 2, claimId: 2 },
          ]),
        event: "PointsIssued",
        state: async ({ ledger, residents }) => [
          await ledger.balanceOf(await residents[0].getAddress(), DOMAIN.volunteer),
          await ledger.balanceOf(await residents[1].getAddress(), DOMAIN.volunteer),
          (await ledger.domain(DOMAIN.volunteer)).supply,
          await ledger.isClaimUsed(DOMAIN.volunteer, 1),
        ],
        stoppedBy: [DOMAIN.volunteer],
      });
    });

    it("accepts the largest batch", async function () {
      const { ledger, agencies } = await loadFixture(cityLedger);
      const items = Array.from({ length: 500 }, (_, i) => ({ resident: addressNo(i + 1), amount: 2, claimId: 1000 + i }));
      await ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, items);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(1000);
      expect(await ledger.balanceOf(items[499].resident, DOMAIN.volunteer)).to.equal(2);
    });
  });
});
