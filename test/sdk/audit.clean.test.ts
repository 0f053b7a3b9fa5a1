import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { audit } from "../../sdk/src/auditor/audit";
import { deploymentOf, hardhatTransport } from "./helpers/chain";
import { runScenario } from "./helpers/scenario";

describe("audit of a clean ledger", function () {
  async function audited() {
    const scenario = await runScenario();
    const deployment = await deploymentOf(scenario.setup);
    const report = await audit({ transport: hardhatTransport(), deployment });
    return { scenario, deployment, report };
  }

  it("reports no violation", async function () {
    const { report } = await loadFixture(audited);
    expect(report.violations).to.deep.equal([]);
    expect(report.ok).to.equal(true);
  });

  it("rebuilds each domain's flows and matches the chain's supply", async function () {
    const { report, scenario } = await loadFixture(audited);
    for (const d of report.domains) {
      const e = scenario.expected[d.id];
      expect({ issued: d.issued, redeemed: d.redeemed, exchangedIn: d.exchangedIn, exchangedOut: d.exchangedOut }).to.deep.equal({
        issued: e.issued.toString(),
        redeemed: e.redeemed.toString(),
        exchangedIn: e.exchangedIn.toString(),
        exchangedOut: e.exchangedOut.toString(),
      });
      const supply = e.issued - e.redeemed - e.exchangedOut + e.exchangedIn;
      expect(d.supply).to.equal(supply.toString());
      expect(d.chainSupply).to.equal(supply.toString());
      expect(d.chainBalanceSum).to.equal(supply.toString());
    }
  });

  it("rebuilds the settled period: volunteer owed transport 50 points at 20 each, both confirmed", async function () {
    const { report, scenario } = await loadFixture(audited);
    const period = report.periods.find((p) => p.period === scenario.settledPeriod)!;
    expect(period.closed).to.equal(true);
    expect(period.completed).to.equal(true);
    expect(period.obligations).to.deep.equal({ "1": "-1000", "2": "1000" });
    expect(period.published["1"].net).to.equal("-1000");
    expect(period.published["2"].confirmed).to.equal(true);
    expect(period.exchanges).to.equal(3);
  });

  it("counts every event kind the scenario emitted and reads balances in one override call", async function () {
    const { report } = await loadFixture(audited);
    expect(report.events.unknown).to.equal(0);
    expect(report.events.byName.PointsIssued).to.equal(7);
    expect(report.events.byName.PointsExchanged).to.equal(3);
    expect(report.events.byName.AgreementActivated).to.equal(2);
    expect(report.events.byName.ProposalExecuted).to.equal(3);
    expect(report.balanceReads.method).to.equal("state-override");
    expect(report.intents).to.deep.equal({ exchanges: 3, redemptions: 1, transfers: 1 });
    const agreement = report.agreements[0];
    expect([agreement.version, agreement.rateNum, agreement.rateDen, agreement.versionsProposed]).to.deep.equal([2, "1", "2", 2]);
  });
});
