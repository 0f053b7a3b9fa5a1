import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { cityLedger, nextPeriod } from "../helpers/fixtures";
import { DOMAIN, type LedgerSetup } from "../helpers/deploy";
import { exchangeIntent, signIntent } from "../helpers/intents";
import { shouldBehaveLikePausable } from "./behaviors/pausable.behavior";

const OPEN = 2 ** 32 - 1;

async function agree(setup: LedgerSetup, from: number, to: number, num: number, den: number) {
  await setup.ledger.connect(setup.agencies[from - 1]).proposeAgreement(from, to, num, den, 0, 0, OPEN);
  await setup.ledger.connect(setup.agencies[to - 1]).approveAgreement(await setup.ledger.agreementIdOf(from, to), 1);
}

async function exchange(setup: LedgerSetup, resident: Signer, from: number, to: number, amountIn: bigint) {
  const intent = await exchangeIntent(setup.ledger, resident, { fromDomain: from, toDomain: to, amountIn });
  const sig = await signIntent(resident, setup.ledger, "ExchangeIntent", intent);
  await setup.ledger.exchange(intent, sig.v, sig.r, sig.s);
}

/**
 * Period 0: volunteer → transport 100 in at 1:2 (50 out: transport owed 50 x 20 = 1,000),
 * transport → volunteer 30 in at 2:1 (volunteer owed 60 x 10 = 600),
 * culture → transport 10 in at 1:1 (transport owed 10 x 20 = 200).
 * Nets: volunteer -1,000 + 600 = -400; transport +1,000 - 600 + 200 = +600; culture -200.
 */
async function periodWithExchanges() {
  const setup = await cityLedger();
  const { ledger, agencies, residents } = setup;
  const r = residents[0];
  for (const d of [1, 2, 3]) await ledger.connect(agencies[d - 1]).issue(d, await r.getAddress(), 1_000, 1);
  await agree(setup, 1, 2, 1, 2);
  await agree(setup, 2, 1, 2, 1);
  await agree(setup, 3, 2, 1, 1);
  await exchange(setup, r, 1, 2, 60n);
  await exchange(setup, r, 1, 2, 40n);
  await exchange(setup, r, 2, 1, 30n);
  await exchange(setup, r, 3, 2, 10n);
  return setup;
}

/** `periodWithExchanges`, once period 0 has ended. */
async function endedPeriod() {
  const setup = await periodWithExchanges();
  await nextPeriod(setup);
  return setup;
}

/** `endedPeriod`, with period 0 closed: volunteer -400, transport +600, culture -200 to confirm. */
async function closedPeriod() {
  const setup = await endedPeriod();
  await setup.ledger.closePeriod(0);
  return setup;
}

describe("PointsLedger settlement", function () {
  it("nets a period's obligations per agency, summing to zero, once the period ended", async function () {
    const setup = await loadFixture(periodWithExchanges);
    const { ledger, agencies } = setup;
    await expect(ledger.closePeriod(0)).to.be.revertedWithCustomError(ledger, "PointsLedgerPeriodNotEnded").withArgs(0, 0);
    await nextPeriod(setup);
    const tx = ledger.closePeriod(0);
    await expect(tx).to.emit(ledger, "SettlementPublished").withArgs(0, DOMAIN.volunteer, await agencies[0].getAddress(), -400);
    await expect(tx).to.emit(ledger, "SettlementPublished").withArgs(0, DOMAIN.transport, await agencies[1].getAddress(), 600);
    await expect(tx).to.emit(ledger, "SettlementPublished").withArgs(0, DOMAIN.culture, await agencies[2].getAddress(), -200);
    await expect(tx).to.emit(ledger, "PeriodClosed").withArgs(0, 3);
    await expect(tx).not.to.emit(ledger, "SettlementCompleted");
    const nets = await Promise.all([1, 2, 3, 4].map(async (d) => (await ledger.settlementPosition(0, d)).net));
    expect(nets).to.deep.equal([-400n, 600n, -200n, 0n]);
    expect(nets.reduce((a, b) => a + b, 0n)).to.equal(0n);
    expect(await ledger.isPeriodClosed(0)).to.equal(true);
    await expect(ledger.closePeriod(0)).to.be.revertedWithCustomError(ledger, "PointsLedgerPeriodClosed").withArgs(0);
  });

  it("records each agency's confirmation and completes the period with the last one", async function () {
    const setup = await loadFixture(periodWithExchanges);
    const { ledger, agencies } = setup;
    await nextPeriod(setup);
    await ledger.closePeriod(0);
    const ref = ethers.id("bank transfer 2026-11-28 #1");
    await expect(ledger.connect(agencies[0]).confirmSettlement(0, DOMAIN.volunteer, ref))
      .to.emit(ledger, "SettlementConfirmed")
      .withArgs(0, DOMAIN.volunteer, await agencies[0].getAddress(), ref);
    const position = await ledger.settlementPosition(0, DOMAIN.volunteer);
    expect([position.net, position.confirmed, position.paymentRef]).to.deep.equal([-400n, true, ref]);
    await expect(ledger.connect(agencies[0]).confirmSettlement(0, DOMAIN.volunteer, ref))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerAlreadyConfirmed")
      .withArgs(0, DOMAIN.volunteer);
    await ledger.connect(agencies[1]).confirmSettlement(0, DOMAIN.transport, ref);
    await expect(ledger.connect(agencies[2]).confirmSettlement(0, DOMAIN.culture, ref)).to.emit(ledger, "SettlementCompleted").withArgs(0);
  });

  it("rejects confirmations by others, for open periods, without a position or a reference", async function () {
    const setup = await loadFixture(periodWithExchanges);
    const { ledger, agencies } = setup;
    const ref = ethers.id("ref");
    await expect(ledger.connect(agencies[0]).confirmSettlement(0, DOMAIN.volunteer, ref))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerPeriodNotClosed")
      .withArgs(0);
    await nextPeriod(setup);
    await ledger.closePeriod(0);
    await expect(ledger.connect(agencies[1]).confirmSettlement(0, DOMAIN.volunteer, ref))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNotDomainAgency")
      .withArgs(DOMAIN.volunteer, await agencies[1].getAddress());
    await expect(ledger.connect(agencies[3]).confirmSettlement(0, DOMAIN.environment, ref))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerNoPosition")
      .withArgs(0, DOMAIN.environment);
    await expect(ledger.connect(agencies[0]).confirmSettlement(0, DOMAIN.volunteer, ethers.ZeroHash))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidPaymentRef")
      .withArgs(ethers.ZeroHash);
  });

  it("closes a period without exchanges as complete at once", async function () {
    const setup = await loadFixture(cityLedger);
    await nextPeriod(setup, 3);
    await expect(setup.ledger.closePeriod(1))
      .to.emit(setup.ledger, "PeriodClosed")
      .withArgs(1, 0)
      .and.to.emit(setup.ledger, "SettlementCompleted")
      .withArgs(1);
  });

  it("keeps each period's obligations apart", async function () {
    const setup = await loadFixture(periodWithExchanges);
    await nextPeriod(setup);
    await exchange(setup, setup.residents[0], 1, 2, 5n); // 2 out, at point value 20
    await nextPeriod(setup);
    await setup.ledger.closePeriod(1);
    expect((await setup.ledger.settlementPosition(1, DOMAIN.volunteer)).net).to.equal(-40n);
    expect((await setup.ledger.settlementPosition(1, DOMAIN.transport)).net).to.equal(40n);
    expect(await setup.ledger.isPeriodClosed(0)).to.equal(false);
  });

  describe("closePeriod: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: endedPeriod,
      send: async ({ ledger }) => ledger.closePeriod(0),
      event: "PeriodClosed",
      state: async ({ ledger }) => [await ledger.isPeriodClosed(0), (await ledger.settlementPosition(0, DOMAIN.volunteer)).net],
      stoppedBy: [],
      namedOnly: [DOMAIN.volunteer, DOMAIN.transport, DOMAIN.culture],
    });
  });

  describe("confirmSettlement: pause rules", function () {
    shouldBehaveLikePausable({
      fixture: closedPeriod,
      send: async ({ ledger, agencies }) => ledger.connect(agencies[0]).confirmSettlement(0, DOMAIN.volunteer, ethers.id("ref")),
      event: "SettlementConfirmed",
      state: async ({ ledger }) => {
        const position = await ledger.settlementPosition(0, DOMAIN.volunteer);
        return [position.confirmed, position.paymentRef];
      },
      stoppedBy: [DOMAIN.volunteer],
    });
  });
});
