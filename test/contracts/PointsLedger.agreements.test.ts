import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityLedger, cityLedgerWithAgreement } from "../helpers/fixtures";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { shouldBehaveLikePausable } from "./behaviors/pausable.behavior";

const OPEN = 2 ** 32 - 1;

/** As `cityLedgerWithAgreement`, with version 2 (rate 1/1) proposed by the volunteer side and pending. */
async function pendingVersion() {
  const setup = await cityLedgerWithAgreement();
  await setup.ledger.connect(setup.agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 1, 0, 0, OPEN);
  return setup;
}

describe("PointsLedger agreements", function () {
  it("takes effect only when both sides approved, with events for each step", async function () {
    const { ledger, agencies } = await loadFixture(cityLedger);
    const id = await ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.culture);
    expect(id).to.equal((BigInt(DOMAIN.volunteer) << 32n) | BigInt(DOMAIN.culture));
    const proposer = await agencies[0].getAddress();
    await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.culture, 5, 4, 1_000, 1, 9))
      .to.emit(ledger, "AgreementProposed")
      .withArgs(id, DOMAIN.volunteer, DOMAIN.culture, 1, 5, 4, 1_000, 1, 9, proposer)
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
    expect([view.current.rateNum, view.current.rateDen, view.current.periodCap]).to.deep.equal([5n, 4n, 1_000n]);
    expect([view.current.validFromPeriod, view.current.validUntilPeriod, view.current.version]).to.deep.equal([1n, 9n, 1n]);
    expect(view.pending.version).to.equal(0);
  });

  it("keeps the version in force until a new rate is approved by both sides", async function () {
    const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
    await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 2, 1, 0, 0, OPEN);
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))[0]).to.equal(15);
    // A counter-proposal replaces the pending version and takes the next number.
    await expect(ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 7, 4, 0, 0, OPEN))
      .to.emit(ledger, "AgreementProposed")
      .withArgs(agreementId, DOMAIN.volunteer, DOMAIN.transport, 3, 7, 4, 0, 0, OPEN, await agencies[0].getAddress());
    await expect(ledger.connect(agencies[1]).approveAgreement(agreementId, 2))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNotPending")
      .withArgs(agreementId, 2);
    await ledger.connect(agencies[1]).approveAgreement(agreementId, 3);
    const [out, , version] = await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10);
    expect([out, version]).to.deep.equal([17n, 3n]);
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
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))[0]).to.equal(15);
  });

  it("lets a newly approved version lift earlier suspensions", async function () {
    const { ledger, agencies, agreementId } = await loadFixture(cityLedgerWithAgreement);
    await ledger.connect(agencies[0]).setAgreementSuspended(agreementId, true);
    await ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 1, 0, 0, OPEN);
    await ledger.connect(agencies[1]).approveAgreement(agreementId, 2);
    const view = await ledger.agreement(agreementId);
    expect([view.suspendedByFrom, view.suspendedByTo]).to.deep.equal([false, false]);
    expect((await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 10))[0]).to.equal(10);
  });

  it("activates at once when one agency runs both domains", async function () {
    const { ledger, agencies, asCouncil } = await loadFixture(cityLedger);
    await asCouncil("setDomainAgency", [DOMAIN.environment, await agencies[2].getAddress()]);
    const id = await ledger.agreementIdOf(DOMAIN.culture, DOMAIN.environment);
    await expect(ledger.connect(agencies[2]).proposeAgreement(DOMAIN.culture, DOMAIN.environment, 1, 1, 0, 0, OPEN))
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
    await a.proposeAgreement(1, 2, 1, 1, 0, 0, OPEN);
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
      send: async ({ ledger, agencies }) => ledger.connect(agencies[0]).proposeAgreement(1, 3, 1, 1, 0, 0, OPEN),
      event: "AgreementProposed",
      state: async ({ ledger }) => {
        const view = await ledger.agreement(await ledger.agreementIdOf(1, 3));
        return [view.pending.version, view.pendingApprovedByFrom, await ledger.agreementCount()];
      },
      stoppedBy: [],
      namedOnly: [DOMAIN.volunteer, DOMAIN.culture],
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
      stoppedBy: [],
      namedOnly: [DOMAIN.volunteer, DOMAIN.transport],
    });
  });

  describe("setAgreementSuspended: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: cityLedgerWithAgreement,
      send: async ({ ledger, agencies, agreementId }) => ledger.connect(agencies[0]).setAgreementSuspended(agreementId, true),
      event: "AgreementSuspensionChanged",
      state: async ({ ledger, agreementId }) => (await ledger.agreement(agreementId)).suspendedByFrom,
      stoppedBy: [],
      namedOnly: [DOMAIN.volunteer, DOMAIN.transport],
    });
  });

  it("bounds the number of agreements", async function () {
    const many = await deployLedger();
    const { ledger, asCouncil, agencies } = many;
    const agency = await agencies[0].getAddress();
    // 17 domains run by one agency give 17 * 16 = 272 ordered pairs, more than the 256 allowed.
    for (let i = 0; i < 13; i++) {
      await asCouncil("createDomain", [{ name: `d${i}`, agency, pointValue: 1, residentCap: 0, transferable: false }]);
    }
    for (let d = 1; d <= 4; d++) await asCouncil("setDomainAgency", [d, agency]);
    const a = ledger.connect(agencies[0]);
    let n = 0;
    outer: for (let from = 1; from <= 17; from++) {
      for (let to = 1; to <= 17; to++) {
        if (from === to) continue;
        if (n === 256) break outer;
        await a.proposeAgreement(from, to, 1, 1, 0, 0, OPEN);
        n++;
      }
    }
    expect(await ledger.agreementCount()).to.equal(256);
    await expect(a.proposeAgreement(17, 16, 1, 1, 0, 0, OPEN)).to.be.revertedWithCustomError(ledger, "PointsLedgerTooManyAgreements").withArgs(256);
    // A new version of an existing pair is still allowed.
    await a.proposeAgreement(1, 2, 2, 1, 0, 0, OPEN);
  });
});
