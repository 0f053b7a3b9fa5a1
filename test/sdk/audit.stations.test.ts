import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { audit } from "../../sdk/src/auditor/audit";
import type { AuditEvent, StationAssisted } from "../../sdk/src/auditor/events";
import { formatAuditSummary, type AuditReport } from "../../sdk/src/auditor/report";
import { cityLedgerWithAgreement } from "../helpers/fixtures";
import { DAY, DOMAIN } from "../helpers/deploy";
import { FAR_DEADLINE, newPasskey, registerPasskey } from "../helpers/passkeys";
import { assistedEnrolment, assistedExchange, assistedRedemption, deployStations, redemptionOf, stationWithStaff } from "../helpers/stations";
import { deploymentOf, hardhatTransport } from "./helpers/chain";
import { chainEvents, forgedAfter } from "./helpers/events";

const codes = (report: AuditReport) => report.violations.map((v) => v.code).sort();

/**
 * Two stations' day and the next: at 东门 a card enrolled, then a redemption and an exchange for a
 * resident (the redemption by a second staff member); the next day (the next period too) a
 * redemption at 西门, after which 东门's second staff member is removed.
 */
async function stationHistory() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, passkeys, agencies, partner } = setup;
  await time.increaseTo((BigInt(await time.latest()) / BigInt(DAY) + 1n) * BigInt(DAY) + 3_600n);
  const stations = await deployStations(setup);
  const east = await stationWithStaff(setup, stations, "市民驿站 · 东门", 3);
  const west = await stationWithStaff(setup, stations, "市民驿站 · 西门", 5);
  const second = await newPasskey();
  await registerPasskey(passkeys, second);
  await (await stations.setStaff(east.stationId, second.account, true)).wait();
  const partnerAddress = await partner.getAddress();

  const card = await newPasskey();
  await (await stations.enrolAssisted(...(await assistedEnrolment(stations, east.stationId, card, east.staff)))).wait();
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, card.account, 1_000, 1);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, partnerAddress, true);
  await (await stations.redeemAssisted(...(await assistedRedemption(ledger, stations, east.stationId, card, second, redemptionOf(card.account, partnerAddress))).args)).wait();
  const exchange = { resident: card.account as Hex, fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 100n, minAmountOut: 40n, nonce: 1n, deadline: FAR_DEADLINE };
  await (await stations.exchangeAssisted(...(await assistedExchange(ledger, stations, east.stationId, card, east.staff, exchange)).args)).wait();
  await time.increase(DAY);
  await (await stations.redeemAssisted(...(await assistedRedemption(ledger, stations, west.stationId, card, west.staff, redemptionOf(card.account, partnerAddress, { nonce: 2n }))).args)).wait();
  await (await stations.setStaff(east.stationId, second.account, false)).wait();

  const deployment = { ...(await deploymentOf(setup)), communityStations: (await stations.getAddress()) as Hex };
  return { setup, deployment, stations, east, west, second, card, events: await chainEvents(deployment) };
}

describe("audit of community stations", function () {
  it("lists each station's assisted operations per kind, period, day and staff member, and finds nothing wrong", async function () {
    const { deployment, east, west, second } = await loadFixture(stationHistory);
    const report = await audit({ transport: hardhatTransport(), deployment });
    expect(report.violations).to.deep.equal([]);
    expect(report.stations!.assisted).to.equal(4);
    const [eastReport, westReport] = report.stations!.list;
    const lower = (a: string) => a.toLowerCase();
    expect(eastReport).to.deep.include({ id: east.stationId, name: "市民驿站 · 东门", dailyLimit: 3, active: true, assisted: 3, staff: [lower(east.staff.account)] });
    expect(eastReport.byKind).to.deep.equal({ enrolment: 1, exchange: 1, redemption: 1 });
    expect(eastReport.byStaff).to.deep.equal([{ staff: lower(east.staff.account), count: 2 }, { staff: lower(second.account), count: 1 }].sort((a, b) => b.count - a.count || a.staff.localeCompare(b.staff)));
    // Daily periods: the first day's three operations in one period, 西门's the next.
    expect(eastReport.byPeriod.map((p) => p.enrolment + p.exchange + p.redemption)).to.deep.equal([3]);
    expect(westReport.byPeriod).to.have.length(1);
    expect(westReport.byPeriod[0].period).to.equal(eastReport.byPeriod[0].period + 1);
    expect(westReport.byDay[0].day).to.equal(eastReport.byDay[0].day + 1);
    expect(westReport.byStaff).to.deep.equal([{ staff: lower(west.staff.account), count: 1 }]);
    const summary = formatAuditSummary(report);
    expect(summary).to.include("station 1 市民驿站 · 东门: 3 (1, 1, 1), limit 3 a day, 1 staff");
    expect(summary).to.include(`staff ${lower(second.account)}: 1`);
  });

  it("follows the council replacing the registrar, and finds nothing wrong", async function () {
    const { setup, deployment, stations } = await loadFixture(stationHistory);
    const { council, members, stranger } = setup;
    const data = stations.interface.encodeFunctionData("setRegistrar", [await stranger.getAddress()]);
    await council.connect(members[0]).propose(await stations.getAddress(), data, ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    await (await council.connect(members[0]).execute(id)).wait();
    const report = await audit({ transport: hardhatTransport(), deployment });
    expect(report.violations).to.deep.equal([]);
    expect(report.stations!.registrar).to.equal((await stranger.getAddress()).toLowerCase());
  });

  it("leaves the stations out of the report of a deployment without them", async function () {
    const { deployment } = await loadFixture(stationHistory);
    const { communityStations: _, ...withoutStations } = deployment;
    const report = await audit({ transport: hardhatTransport(), deployment: withoutStations });
    expect(report.stations).to.equal(undefined);
    expect(report.ok).to.equal(true);
  });

  describe("finds a forged record", function () {
    const assisted = (events: AuditEvent[]) => events.filter((e): e is StationAssisted => e.name === "StationAssisted");

    it("an assisted operation without its ledger event or its staff stamp", async function () {
      const { deployment, events } = await loadFixture(stationHistory);
      const last = assisted(events).at(-1)!;
      const forged = forgedAfter(events, last, { countToday: last.args.countToday + 1 });
      const report = await audit({ transport: hardhatTransport(), deployment, events: [...events, forged] });
      expect(codes(report)).to.deep.equal(["STATION_NO_OPERATION", "STATION_NO_STAMP"]);
      expect(report.violations.every((v) => v.transactionHash === forged.transactionHash)).to.equal(true);
    });

    it("the ledger's redemption dropped from an assisted transaction", async function () {
      const { deployment, events } = await loadFixture(stationHistory);
      const tx = assisted(events).find((e) => e.args.kind === 2)!.transactionHash;
      const altered = events.filter((e) => !(e.transactionHash === tx && e.name === "PointsRedeemed"));
      const report = await audit({ transport: hardhatTransport(), deployment, events: altered });
      expect(codes(report)).to.include("STATION_NO_OPERATION");
    });

    it("a stamp by removed staff, and a count past the station's limit", async function () {
      const { deployment, events, second } = await loadFixture(stationHistory);
      const east = assisted(events).filter((e) => e.args.stationId === 1);
      const removed = forgedAfter(events, east[0], { staff: second.account.toLowerCase() as Hex, day: east[0].args.day + 5n, countToday: 1 });
      const pastLimit = { ...forgedAfter(events, east[0], { countToday: 4 }), logIndex: 1, blockNumber: removed.blockNumber };
      const report = await audit({ transport: hardhatTransport(), deployment, events: [...events, removed, pastLimit] });
      const found = codes(report);
      expect(found).to.include("STATION_NOT_STAFF");
      expect(found).to.include("STATION_DAILY_COUNT");
      const notStaff = report.violations.find((v) => v.code === "STATION_NOT_STAFF")!;
      expect(notStaff.details.staff).to.equal(second.account.toLowerCase());
    });

    it("an assisted operation at a station never added", async function () {
      const { deployment, events } = await loadFixture(stationHistory);
      const report = await audit({ transport: hardhatTransport(), deployment, events: [...events, forgedAfter(events, assisted(events)[0], { stationId: 9 })] });
      expect(codes(report)).to.include("STATION_UNKNOWN");
      expect(ethers.isHexString(report.violations[0].transactionHash)).to.equal(true);
    });
  });
});
