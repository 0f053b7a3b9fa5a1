import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityLedger, cityLedgerWithAgreement, nextPeriod } from "../helpers/fixtures";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { shouldBehaveLikePausable } from "./behaviors/pausable.behavior";

const OPEN = 2 ** 32 - 1;

/** As `cityLedgerWithAgreement`, with version 2 (rate 1/2) proposed by the volunteer side and pending. */
async function pendingVersion() {
  const setup = await cityLedgerWithAgreement();
  await setup.ledger.connect(setup.agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 0, 0, OPEN);
  return setup;
}

describe("PointsLedger agreements", function () {
  it("takes effect only when both sides approved, with events for each step", async function () {
    const { ledger, agencies } = await loadFixture(cityLedger);
    const id = await ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.culture);
    expect(id).to.equal((BigInt(DOMAIN.volunteer) << 32n) | BigInt(DOMAIN.culture));
    const proposer = await agencies[0].getAddress();
    await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.culture, 1, 4, 1_000, 1, 9))
      .to.emit(ledger, "AgreementProposed")
      .withArgs(id, DOMAIN.volunteer, DOMAIN.culture, 1, 1, 4, 1_000, 1, 9, proposer)
      .and.to.emit(ledger, "AgreementApproved")
      .withArgs(id, 1, DOMAIN.volunteer, proposer);
    let view = await ledger.agreement(id);
    expect(view.current.version).to.equal(0);
    expect(view.pending.version).to.equal(1);
    expect([view.pendingApprovedByFrom, view.pendingApprovedByTo]).to.deep.equal([true, false]);
    await expect(ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.culture, 10)).to.be.revertedWithCustomError(ledger, "PointsLedgerNoAgreement");
    expect(await ledger.agreementCount()).to.equal(1);
    expect(await ledger.agreementAt(0)).to.equal(id);

    const approver = await agencies[2].getAddress();
    await expect(ledger.connect(agencies[2]).approveAgreement(id, 1))
      .to.emit(ledger, "AgreementApproved")
      .withArgs(id, 1, DOMAIN.culture, approver)
      .and.to.emit(ledger, "AgreementActivated")
      .withArgs(id, 1);
    view = await ledger.agreement(id);
    expect(view.fromDomain).to.equal(DOMAIN.volunteer);
    expect(view.toDomain).to.equal(DOMAIN.culture);
    expect([view.current.rateNum, view.current.rateDen, view.current.periodCap]).to.deep.equal([1n, 4n, 1_000n]);
    expect([view.current.validFromPeriod, view.current.validUntilPeriod, view.current.version]).to.deep.equal([1n, 9n, 1n]);
    expect(view.pending.version).to.equal(0);
  });

  it("keeps the version in force until a new rate is approved by both sides", async function () {
    const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
    await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 3, 0, 0, OPEN);
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 100))[0]).to.equal(40);
    // A counter-proposal replaces the pending version and takes the next number.
    await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 3, 7, 0, 0, OPEN))
      .to.emit(ledger, "AgreementProposed")
      .withArgs(agreementId, DOMAIN.volunteer, DOMAIN.transport, 3, 3, 7, 0, 0, OPEN, await agencies[0].getAddress());
    await expect(ledger.connect(agencies[1]).approveAgreement(agreementId, 2))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNotPending")
      .withArgs(agreementId, 2);
    await ledger.connect(agencies[1]).approveAgreement(agreementId, 3);
    const [out, , version] = await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 100);
    expect([out, version]).to.deep.equal([42n, 3n]);
  });

  it("lets each side suspend, and lift only its own suspension", async function () {
    const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
    await expect(ledger.connect(agencies[0]).setAgreementSuspended(agreementId, true))
      .to.emit(ledger, "AgreementSuspensionChanged")
      .withArgs(agreementId, DOMAIN.volunteer, true, await agencies[0].getAddress());
    await ledger.connect(agencies[1]).setAgreementSuspended(agreementId, true);
    await ledger.connect(agencies[1]).setAgreementSuspended(agreementId, false);
    // Still suspended by the volunteer side.
    await expect(ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementNotInForce")
      .withArgs(agreementId, 0);
    await expect(ledger.connect(agencies[1]).setAgreementSuspended(agreementId, false))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerSuspensionUnchanged")
      .withArgs(agreementId, DOMAIN.transport);
    await ledger.connect(agencies[0]).setAgreementSuspended(agreementId, false);
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))[0]).to.equal(4);
  });

  it("lets a newly approved version lift earlier suspensions", async function () {
    const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
    await ledger.connect(agencies[0]).setAgreementSuspended(agreementId, true);
    await ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 0, 0, OPEN);
    await ledger.connect(agencies[1]).approveAgreement(agreementId, 2);
    const view = await ledger.agreement(agreementId);
    expect([view.suspendedByFrom, view.suspendedByTo]).to.deep.equal([false, false]);
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))[0]).to.equal(5);
  });

  it("activates at once when one agency runs both domains", async function () {
    const { ledger, agencies, asCouncil } = await loadFixture(cityLedger);
    await asCouncil("setDomainAgency", [DOMAIN.environment, await agencies[2].getAddress()]);
    const id = await ledger.agreementIdOf(DOMAIN.culture, DOMAIN.environment);
    await expect(ledger.connect(agencies[2]).proposeAgreement(DOMAIN.culture, DOMAIN.environment, 3, 4, 0, 0, OPEN))
      .to.emit(ledger, "AgreementActivated")
      .withArgs(id, 1);
  });

  it("rejects bad proposals and approvals", async function () {
    const { ledger, agencies, stranger } = await loadFixture(cityLedger);
    const a = ledger.connect(agencies[0]);
    await expect(a.proposeAgreement(1, 1, 1, 1, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerSameDomain").withArgs(1);
    await expect(a.proposeAgreement(1, 7, 1, 1, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain").withArgs(7);
    await expect(a.proposeAgreement(1, 2, 0, 1, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidRate").withArgs(0, 1);
    await expect(a.proposeAgreement(1, 2, 1, 0, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidRate").withArgs(1, 0);
    await expect(a.proposeAgreement(1, 2, 1, 1, 0, 5, 4)).to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidWindow").withArgs(5, 4);
    // Only the agencies of the two domains.
    await expect(ledger.connect(agencies[2]).proposeAgreement(1, 2, 1, 1, 0, 0, OPEN))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNotDomainAgency")
      .withArgs(1, await agencies[2].getAddress());
    await a.proposeAgreement(1, 2, 1, 2, 0, 0, OPEN);
    const id = await ledger.agreementIdOf(1, 2);
    await expect(a.approveAgreement(id, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerAlreadyApproved").withArgs(id, 1);
    await expect(ledger.connect(stranger).approveAgreement(id, 1))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNotDomainAgency")
      .withArgs(1, await stranger.getAddress());
    await expect(ledger.connect(agencies[1]).approveAgreement(id, 0)).to.be.revertedWithCustomError(ledger, "PointsLedgerNotPending").withArgs(id, 0);
    await expect(ledger.connect(agencies[1]).setAgreementSuspended(id, true))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNoAgreement")
      .withArgs(1, 2);
  });

  describe("proposeAgreement: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: cityLedgerWithAgreement,
      send: async ({ ledger, agencies }) => ledger.connect(agencies[0]).proposeAgreement(1, 3, 1, 3, 0, 0, OPEN),
      event: "AgreementProposed",
      state: async ({ ledger }) => {
        const view = await ledger.agreement(await ledger.agreementIdOf(1, 3));
        return [view.pending.version, view.pendingApprovedByFrom, await ledger.agreementCount()];
      },
      stoppedBy: [DOMAIN.volunteer, DOMAIN.culture],
    });
  });

  describe("approveAgreement: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: pendingVersion,
      send: async ({ ledger, agencies, agreementId }) => ledger.connect(agencies[1]).approveAgreement(agreementId, 2),
      event: "AgreementApproved",
      state: async ({ ledger, agreementId }) => {
        const view = await ledger.agreement(agreementId);
        return [view.current.version, view.pending.version, view.pendingApprovedByTo];
      },
      stoppedBy: [DOMAIN.volunteer, DOMAIN.transport],
    });
  });

  describe("setAgreementSuspended: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: cityLedgerWithAgreement,
      send: async ({ ledger, agencies, agreementId }) => ledger.connect(agencies[0]).setAgreementSuspended(agreementId, true),
      event: "AgreementSuspensionChanged",
      state: async ({ ledger, agreementId }) => (await ledger.agreement(agreementId)).suspendedByFrom,
      stoppedBy: [DOMAIN.volunteer, DOMAIN.transport],
    });
  });

  describe("the value rule", function () {
    // Point values: volunteer 10, transport 20, culture 30, environment 40.
    it("refuses a rate that credits more value than it burns, naming both values", async function () {
      const { ledger, agencies } = await loadFixture(cityLedger);
      const id = await ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.transport);
      // 1 volunteer point (10) for 1 transport point (20) would double the value exchanged.
      await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 1, 0, 0, OPEN))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementCreatesValue")
        .withArgs(id, 1, 1, 10, 20);
      // Just above the limit: 1,000,001 × 20 > 2,000,000 × 10.
      await expect(ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1_000_001, 2_000_000, 0, 0, OPEN))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementCreatesValue")
        .withArgs(id, 1_000_001, 2_000_000, 10, 20);
      expect(await ledger.agreementCount()).to.equal(0);
    });

    it("accepts a rate that keeps the value exactly, and one that loses some", async function () {
      const { ledger, agencies } = await loadFixture(cityLedger);
      await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 0, 0, OPEN)).to.emit(ledger, "AgreementProposed");
      await expect(ledger.connect(agencies[3]).proposeAgreement(DOMAIN.environment, DOMAIN.volunteer, 4, 1, 0, 0, OPEN)).to.emit(ledger, "AgreementProposed");
      await expect(ledger.connect(agencies[1]).proposeAgreement(DOMAIN.transport, DOMAIN.volunteer, 3, 2, 0, 0, OPEN)).to.emit(ledger, "AgreementProposed");
    });
  });

  describe("what one agency can take alone", function () {
    it("lets a side propose eight versions before one comes into force, then stops it, not the other side", async function () {
      const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
      const volunteer = ledger.connect(agencies[0]);
      for (let i = 0; i < 8; i++) await volunteer.proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 3 + i, 0, 0, OPEN);
      expect((await ledger.agreement(agreementId)).pending.version).to.equal(9);
      await expect(volunteer.proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 20, 0, 0, OPEN))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerTooManyProposals")
        .withArgs(agreementId, DOMAIN.volunteer);
      // The other side still may propose, and the pair still agree.
      await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 4, 0, 0, OPEN);
      await volunteer.approveAgreement(agreementId, 10);
      expect((await ledger.agreement(agreementId)).current.version).to.equal(10);
      // A version in force starts the count again.
      await expect(volunteer.proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 5, 0, 0, OPEN))
        .to.emit(ledger, "AgreementProposed")
        .withArgs(agreementId, DOMAIN.volunteer, DOMAIN.transport, 11, 1, 5, 0, 0, OPEN, await agencies[0].getAddress());
    });

    it("numbers versions after 65535 from 1 again, so a pair can always agree", async function () {
      const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
      // _activeAgreements is the ledger's storage slot 7 (after AccessControl's 0, LedgerDomains' 1..4 and
      // the two agreement lists at 5 and 6); the version sits in bits 208..223 of the word.
      const slot = BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint64", "uint256"], [agreementId, 7])));
      const address = await ledger.getAddress();
      const word = BigInt(await ethers.provider.getStorage(address, slot));
      expect((word >> 208n) & 0xffffn).to.equal((await ledger.agreement(agreementId)).current.version);
      const last = (word & ~(0xffffn << 208n)) | (65_535n << 208n);
      await network.provider.send("hardhat_setStorageAt", [address, ethers.toBeHex(slot), ethers.toBeHex(last, 32)]);
      expect((await ledger.agreement(agreementId)).current.version).to.equal(65_535);

      await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 3, 0, 0, OPEN))
        .to.emit(ledger, "AgreementProposed")
        .withArgs(agreementId, DOMAIN.volunteer, DOMAIN.transport, 1, 1, 3, 0, 0, OPEN, await agencies[0].getAddress());
      await ledger.connect(agencies[1]).approveAgreement(agreementId, 1);
      expect((await ledger.agreement(agreementId)).current.version).to.equal(1);
      await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 4, 0, 0, OPEN);
      expect((await ledger.agreement(agreementId)).pending.version).to.equal(2);
    });

    it("gives an agreement a settlement place only once both sides agreed, so proposals alone fill nothing", async function () {
      const setup = await deployLedger();
      const { ledger, asCouncil, agencies } = setup;
      const many = await agencies[0].getAddress();
      // Volunteer's agency runs 17 domains (1, 3, 4 and 14 new ones): 272 ordered pairs, more than the
      // 256 places. Transport (2) stays another agency's.
      for (let i = 0; i < 14; i++) await asCouncil("createDomain", [{ name: `d${i}`, agency: many, pointValue: 1, residentCap: 0, transferable: false }]);
      for (const d of [3, 4]) await asCouncil("setDomainAgency", [d, many]);
      const own = [1, 3, 4, ...Array.from({ length: 14 }, (_, i) => 5 + i)];
      // 1/40 obeys the value rule between any two of these domains (values 1 to 40).
      const transport = ledger.connect(agencies[1]);
      for (const d of own) await transport.proposeAgreement(DOMAIN.transport, d, 1, 40, 0, 0, OPEN);
      expect(await ledger.agreementCount()).to.equal(17); // proposed, but not one in force

      const a = ledger.connect(agencies[0]);
      let inForce = 0;
      outer: for (const from of own) {
        for (const to of own) {
          if (from === to) continue;
          if (inForce === 256) break outer;
          await a.proposeAgreement(from, to, 1, 40, 0, 0, OPEN); // one agency on both sides: in force at once
          inForce++;
        }
      }
      expect(await ledger.agreementCount()).to.equal(17 + 256);
      // The 257th agreement in force would be one too many, whoever completes it.
      await expect(a.approveAgreement(await ledger.agreementIdOf(DOMAIN.transport, 1), 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerTooManyAgreements")
        .withArgs(256);
      await expect(a.proposeAgreement(18, 17, 1, 40, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerTooManyAgreements").withArgs(256);
      // A new version of an agreement already in force needs no new place.
      await a.proposeAgreement(1, 3, 1, 20, 0, 0, OPEN);
      expect((await ledger.agreement(await ledger.agreementIdOf(1, 3))).current.version).to.equal(2);
      // Closing a period nets only the 256 in force.
      await nextPeriod(setup);
      await expect(ledger.closePeriod(0)).to.emit(ledger, "PeriodClosed").withArgs(0, 0);
    });
  });
});
