import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { Hex } from "viem";
import { cityLedgerWithAgreement } from "../helpers/fixtures";
import { DAY, DOMAIN } from "../helpers/deploy";
import { chainId, newPasskey, registerPasskey } from "../helpers/passkeys";
import { assistedEnrolment, assistedExchange, assistedRedemption, chainDay, deployStations, redemptionOf, stamp, stationWithStaff } from "../helpers/stations";
import { ASSISTED_KINDS, enrolmentHash, stationStampDigest } from "../../sdk/src/stations/stamp";

const KIND = { enrolment: 0, exchange: 1, redemption: 2 } as const;

/** A ledger, its stations (limit 2 at 东门, 5 at 西门), a card-holding resident with 1,000 volunteer points, a partner. */
async function stationsSetup() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, passkeys, agencies, partner } = setup;
  // Keep clear of midnight, so that a stamp's day is the block's day.
  await time.increaseTo((BigInt(await time.latest()) / BigInt(DAY) + 1n) * BigInt(DAY) + 3_600n);
  const stations = await deployStations(setup);
  const east = await stationWithStaff(setup, stations, "市民驿站 · 东门", 2);
  const west = await stationWithStaff(setup, stations, "市民驿站 · 西门", 5);
  const card = await newPasskey();
  const resident = await registerPasskey(passkeys, card);
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 1_000, 1);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true);
  return { ...setup, stations, east, west, card, resident, partnerAddress: await partner.getAddress() };
}

describe("CommunityStations", function () {
  it("stamps the same digest as the SDK, over the EIP-712 type the SDK names", async function () {
    const { stations } = await loadFixture(stationsSetup);
    const operation = ethers.id("operation") as Hex;
    const local = stationStampDigest({ stationId: 7, kind: "redemption", operation, day: 20_000n }, { chainId: await chainId(), address: (await stations.getAddress()) as Hex });
    expect(await stations.stampDigest(7, KIND.redemption, operation, 20_000n)).to.equal(local);
    expect(ASSISTED_KINDS.indexOf("enrolment")).to.equal(KIND.enrolment);
    const card = await newPasskey();
    expect(await stations.enrolmentHash(card.publicKey.x, card.publicKey.y, card.rawId)).to.equal(enrolmentHash(card.publicKey, card.rawId));
  });

  it("redeems for a resident with their card's assertion and the staff's stamp, and records both on chain", async function () {
    const { ledger, stations, passkeys, east, card, resident, partnerAddress, stranger } = await loadFixture(stationsSetup);
    const intent = redemptionOf(resident, partnerAddress);
    const { digest, args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, intent);
    const day = await chainDay();
    const stampDigest = await stations.stampDigest(east.stationId, KIND.redemption, digest, day);
    await expect(stations.connect(stranger).redeemAssisted(...args))
      .to.emit(stations, "StationAssisted")
      .withArgs(east.stationId, east.staff.account, resident, KIND.redemption, day, 1)
      .and.to.emit(ledger, "PointsRedeemed")
      .withArgs(DOMAIN.volunteer, resident, partnerAddress, 40, intent.orderRef, 0)
      .and.to.emit(passkeys, "PasskeyAssertionVerified")
      .withArgs(east.staff.account, east.staff.keyId, await stations.getAddress(), stampDigest, anyValue, anyValue, anyValue, anyValue);
    expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(960);
    const view = await stations.station(east.stationId);
    expect([view.name, view.dailyLimit, view.active, view.day, view.countToday]).to.deep.equal(["市民驿站 · 东门", 2n, true, day, 1n]);
  });

  it("exchanges for a resident, counted at the station", async function () {
    const { ledger, stations, west, card, resident, agreementId } = await loadFixture(stationsSetup);
    const intent = { resident: resident as Hex, fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 100n, minAmountOut: 40n, nonce: 0n, deadline: 2n ** 40n };
    const { args } = await assistedExchange(ledger, stations, west.stationId, card, west.staff, intent);
    await expect(stations.exchangeAssisted(...args))
      .to.emit(ledger, "PointsExchanged")
      .withArgs(resident, agreementId, 1, 100, 40, 0, 0)
      .and.to.emit(stations, "StationAssisted")
      .withArgs(west.stationId, west.staff.account, resident, KIND.exchange, await chainDay(), 1);
    expect(await ledger.balanceOf(resident, DOMAIN.transport)).to.equal(40);
  });

  it("enrols a new card as a new account, counted against the station's day", async function () {
    const { stations, passkeys, east } = await loadFixture(stationsSetup);
    const card = await newPasskey();
    await expect(stations.enrolAssisted(...(await assistedEnrolment(stations, east.stationId, card, east.staff))))
      .to.emit(passkeys, "CredentialAdded")
      .withArgs(card.account, card.keyId, card.publicKey.x, card.publicKey.y, card.rawId, ethers.ZeroHash)
      .and.to.emit(stations, "StationAssisted")
      .withArgs(east.stationId, east.staff.account, card.account, KIND.enrolment, await chainDay(), 1);
    expect(await passkeys.credentialsOf(card.account)).to.deep.equal([card.keyId]);
    expect((await stations.station(east.stationId)).countToday).to.equal(1);
  });

  describe("who may stamp", function () {
    it("refuses staff of another station, and a stamp made for another station", async function () {
      const { ledger, stations, east, west, card, resident, partnerAddress, passkeys } = await loadFixture(stationsSetup);
      const intent = redemptionOf(resident, partnerAddress);
      const { args } = await assistedRedemption(ledger, stations, west.stationId, card, west.staff, intent);
      await expect(stations.redeemAssisted(east.stationId, args[1], args[2], args[3], args[4])).to.be.revertedWithCustomError(stations, "StationsNotStaff").withArgs(east.stationId, west.staff.account);
      // West's staff appointed at East too still cannot use a stamp signed for West there.
      await (await stations.setStaff(east.stationId, west.staff.account, true)).wait();
      await expect(stations.redeemAssisted(east.stationId, args[1], args[2], args[3], args[4])).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge");
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(1_000);
      expect((await stations.station(east.stationId)).countToday).to.equal(0);
    });

    it("refuses removed staff", async function () {
      const { ledger, stations, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      await expect(stations.setStaff(east.stationId, east.staff.account, false)).to.emit(stations, "StationStaffSet").withArgs(east.stationId, east.staff.account, false);
      const { args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress));
      await expect(stations.redeemAssisted(...args)).to.be.revertedWithCustomError(stations, "StationsNotStaff").withArgs(east.stationId, east.staff.account);
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(1_000);
    });

    it("refuses a stamp signed by someone else's passkey for the staff member's account", async function () {
      const { ledger, stations, passkeys, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      const intent = redemptionOf(resident, partnerAddress);
      const { digest, args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, intent);
      const forged = await stamp(stations, card, east.stationId, "redemption", digest);
      await expect(stations.redeemAssisted(args[0], args[1], args[2], east.staff.account, forged)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(card.keyId, resident, east.staff.account);
    });

    it("refuses yesterday's stamp", async function () {
      const { ledger, stations, passkeys, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      const { args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress), { day: (await chainDay()) - 1n });
      await expect(stations.redeemAssisted(...args)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge");
    });

    it("does not move a resident's points on the staff's assertions alone", async function () {
      const { ledger, stations, passkeys, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      const intent = redemptionOf(resident, partnerAddress);
      const { args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, intent, { residentSigner: east.staff });
      await expect(stations.redeemAssisted(...args)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(east.staff.keyId, east.staff.account, resident);
      // The staff stamp cannot stand in for the resident's assertion either.
      const real = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, intent);
      await expect(stations.redeemAssisted(args[0], args[1], real.args[4], args[3], real.args[4])).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount");
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(1_000);
      expect((await stations.station(east.stationId)).countToday).to.equal(0);
    });

    it("refuses operations at a closed station", async function () {
      const { ledger, stations, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      await (await stations.setStationActive(east.stationId, false)).wait();
      const { args } = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress));
      await expect(stations.redeemAssisted(...args)).to.be.revertedWithCustomError(stations, "StationsStationClosed").withArgs(east.stationId);
      await expect(stations.redeemAssisted(99, args[1], args[2], args[3], args[4])).to.be.revertedWithCustomError(stations, "StationsUnknownStation").withArgs(99);
    });
  });

  describe("the daily limit", function () {
    it("holds for every kind of operation, and restarts the next day", async function () {
      const { ledger, stations, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      await (await stations.redeemAssisted(...(await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress))).args)).wait();
      await (await stations.enrolAssisted(...(await assistedEnrolment(stations, east.stationId, await newPasskey(), east.staff)))).wait();
      const day = await chainDay();
      const third = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress, { nonce: 1n }));
      await expect(stations.redeemAssisted(...third.args)).to.be.revertedWithCustomError(stations, "StationsDailyLimitReached").withArgs(east.stationId, day, 2);
      const newCard = await newPasskey();
      await expect(stations.enrolAssisted(...(await assistedEnrolment(stations, east.stationId, newCard, east.staff)))).to.be.revertedWithCustomError(stations, "StationsDailyLimitReached");
      expect(await ledger.balanceOf(resident, DOMAIN.volunteer)).to.equal(960);

      await time.increaseTo((day + 1n) * BigInt(DAY) + 60n);
      expect((await stations.station(east.stationId)).countToday).to.equal(0);
      const nextDay = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress, { nonce: 1n }));
      await expect(stations.redeemAssisted(...nextDay.args)).to.emit(stations, "StationAssisted").withArgs(east.stationId, east.staff.account, resident, KIND.redemption, day + 1n, 1);
    });

    it("is the station's, not the staff member's: two staff share it", async function () {
      const { ledger, passkeys, stations, east, card, resident, partnerAddress } = await loadFixture(stationsSetup);
      const second = await newPasskey();
      await registerPasskey(passkeys, second);
      await (await stations.setStaff(east.stationId, second.account, true)).wait();
      for (const [nonce, staff] of [[0n, east.staff], [1n, second]] as const) {
        await (await stations.redeemAssisted(...(await assistedRedemption(ledger, stations, east.stationId, card, staff, redemptionOf(resident, partnerAddress, { nonce }))).args)).wait();
      }
      const third = await assistedRedemption(ledger, stations, east.stationId, card, second, redemptionOf(resident, partnerAddress, { nonce: 2n }));
      await expect(stations.redeemAssisted(...third.args)).to.be.revertedWithCustomError(stations, "StationsDailyLimitReached");
    });

    it("changes only by the registrar, and a raised limit applies at once", async function () {
      const { ledger, stations, east, card, resident, partnerAddress, stranger } = await loadFixture(stationsSetup);
      await expect(stations.connect(stranger).setStationLimit(east.stationId, 100)).to.be.revertedWithCustomError(stations, "StationsNotRegistrar").withArgs(await stranger.getAddress());
      await expect(stations.setStationLimit(east.stationId, 0)).to.be.revertedWithCustomError(stations, "StationsInvalidLimit");
      await expect(stations.setStationLimit(east.stationId, 1)).to.emit(stations, "StationLimitSet").withArgs(east.stationId, 1);
      await (await stations.redeemAssisted(...(await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress))).args)).wait();
      const second = await assistedRedemption(ledger, stations, east.stationId, card, east.staff, redemptionOf(resident, partnerAddress, { nonce: 1n }));
      await expect(stations.redeemAssisted(...second.args)).to.be.revertedWithCustomError(stations, "StationsDailyLimitReached").withArgs(east.stationId, await chainDay(), 1);
      await (await stations.setStationLimit(east.stationId, 2)).wait();
      await expect(stations.redeemAssisted(...second.args)).to.emit(stations, "StationAssisted").withArgs(east.stationId, east.staff.account, resident, KIND.redemption, await chainDay(), 2);
    });
  });

  describe("governance", function () {
    it("lets only the registrar add stations and staff, and only passkey accounts as staff", async function () {
      const { stations, stranger, residents } = await loadFixture(stationsSetup);
      await expect(stations.connect(stranger).addStation("x", 1)).to.be.revertedWithCustomError(stations, "StationsNotRegistrar");
      await expect(stations.connect(stranger).setStaff(1, await stranger.getAddress(), true)).to.be.revertedWithCustomError(stations, "StationsNotRegistrar");
      await expect(stations.connect(stranger).setStationActive(1, false)).to.be.revertedWithCustomError(stations, "StationsNotRegistrar");
      await expect(stations.addStation("", 1)).to.be.revertedWithCustomError(stations, "StationsInvalidName").withArgs(0);
      await expect(stations.addStation("x".repeat(97), 1)).to.be.revertedWithCustomError(stations, "StationsInvalidName").withArgs(97);
      await expect(stations.addStation("x", 0)).to.be.revertedWithCustomError(stations, "StationsInvalidLimit");
      await expect(stations.setStaff(1, await residents[0].getAddress(), true)).to.be.revertedWithCustomError(stations, "StationsNotPasskeyAccount");
      await expect(stations.setStaff(9, await residents[0].getAddress(), true)).to.be.revertedWithCustomError(stations, "StationsUnknownStation").withArgs(9);
      await expect(stations.addStation("市民驿站 · 南门", 3)).to.emit(stations, "StationAdded").withArgs(3, "市民驿站 · 南门", 3);
    });

    it("has the council, and only the council, replace the registrar", async function () {
      const { stations, council, members, stranger } = await loadFixture(stationsSetup);
      const [deployer] = await ethers.getSigners();
      await expect(stations.connect(deployer).setRegistrar(await stranger.getAddress())).to.be.revertedWithCustomError(stations, "StationsNotCouncil").withArgs(await deployer.getAddress());
      const data = stations.interface.encodeFunctionData("setRegistrar", [await stranger.getAddress()]);
      await council.connect(members[0]).propose(await stations.getAddress(), data, ethers.ZeroHash);
      const id = await council.proposalCount();
      await council.connect(members[1]).approve(id);
      await expect(council.connect(members[0]).execute(id)).to.emit(stations, "StationRegistrarSet").withArgs(await deployer.getAddress(), await stranger.getAddress());
      expect(await stations.registrar()).to.equal(await stranger.getAddress());
      await expect(stations.connect(deployer).addStation("x", 1)).to.be.revertedWithCustomError(stations, "StationsNotRegistrar");
      await expect(stations.connect(stranger).addStation("x", 1)).to.emit(stations, "StationAdded");
    });
  });
});
