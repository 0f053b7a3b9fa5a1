import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityLedger } from "../helpers/fixtures";
import { DOMAIN, type LedgerSetup } from "../helpers/deploy";
import { shouldGoOnWhilePaused } from "./behaviors/pausable.behavior";

/** Runs a council proposal whose ledger call must revert with exactly `errorName(errorArgs)`. */
async function expectCouncilFailure(setup: LedgerSetup, method: string, args: unknown[], errorName: string, errorArgs: unknown[]) {
  const id = (await setup.council.proposalCount()) + 1n;
  const reason = setup.ledger.interface.encodeErrorResult(errorName, errorArgs);
  await expect(setup.asCouncil(method, args)).to.be.revertedWithCustomError(setup.council, "CityCouncilCallFailed").withArgs(id, reason);
}

describe("PointsLedger governance", function () {
  describe("through the council", function () {
    it("creates a domain", async function () {
      const { ledger, asCouncil, agencies } = await loadFixture(cityLedger);
      const agency = await agencies[3].getAddress();
      const config = { name: "sport", agency, pointValue: 7, residentCap: 500, transferable: true };
      await expect(asCouncil("createDomain", [config])).to.emit(ledger, "DomainCreated").withArgs(5, "sport", agency, 7, 500, true);
      expect(await ledger.domainCount()).to.equal(5);
      const d = await ledger.domain(5);
      expect([d.name, d.agency, d.pointValue, d.residentCap, d.transferable, d.paused]).to.deep.equal(["sport", agency, 7n, 500n, true, false]);
    });

    it("bounds the number of domains", async function () {
      const setup = await loadFixture(cityLedger);
      const agency = await setup.agencies[0].getAddress();
      for (let i = 5; i <= 64; i++) {
        await setup.asCouncil("createDomain", [{ name: `d${i}`, agency, pointValue: 1, residentCap: 0, transferable: false }]);
      }
      expect(await setup.ledger.domainCount()).to.equal(64);
      const extra = { name: "one too many", agency, pointValue: 1, residentCap: 0, transferable: false };
      await expectCouncilFailure(setup, "createDomain", [extra], "PointsLedgerTooManyDomains", [64]);
    });

    it("changes a domain's agency, cap and transfer policy", async function () {
      const { ledger, asCouncil, stranger } = await loadFixture(cityLedger);
      const agency = await stranger.getAddress();
      await expect(asCouncil("setDomainAgency", [DOMAIN.culture, agency])).to.emit(ledger, "DomainAgencyChanged").withArgs(DOMAIN.culture, agency);
      await expect(asCouncil("setResidentCap", [DOMAIN.culture, 42])).to.emit(ledger, "ResidentCapChanged").withArgs(DOMAIN.culture, 42);
      await expect(asCouncil("setTransferable", [DOMAIN.culture, false])).to.emit(ledger, "TransferPolicyChanged").withArgs(DOMAIN.culture, false);
      const d = await ledger.domain(DOMAIN.culture);
      expect([d.agency, d.residentCap, d.transferable]).to.deep.equal([agency, 42n, false]);
    });

    it("refuses changes to a missing domain and a zero agency, naming the inner error", async function () {
      const setup = await loadFixture(cityLedger);
      const someone = await setup.stranger.getAddress();
      for (const [method, args] of [
        ["setDomainAgency", [9, someone]],
        ["setResidentCap", [9, 1]],
        ["setTransferable", [9, true]],
        ["setIssuerQuota", [9, someone, 1]],
        ["unpauseDomain", [9]],
      ] as const) {
        await expectCouncilFailure(setup, method, [...args], "PointsLedgerUnknownDomain", [9]);
      }
      await expectCouncilFailure(setup, "setDomainAgency", [1, ethers.ZeroAddress], "PointsLedgerInvalidAddress", [ethers.ZeroAddress]);
    });

    it("admits an issuer, changes its quota and removes it", async function () {
      const { ledger, asCouncil, stranger, residents } = await loadFixture(cityLedger);
      const issuer = await stranger.getAddress();
      await expect(asCouncil("setIssuerQuota", [DOMAIN.environment, issuer, 50])).to.emit(ledger, "IssuerQuotaSet").withArgs(DOMAIN.environment, issuer, 50);
      await ledger.connect(stranger).issue(DOMAIN.environment, await residents[0].getAddress(), 50, 1);
      await asCouncil("setIssuerQuota", [DOMAIN.environment, issuer, 80]);
      expect((await ledger.issuerState(DOMAIN.environment, issuer)).quota).to.equal(80);
      await ledger.connect(stranger).issue(DOMAIN.environment, await residents[0].getAddress(), 30, 2);
      await expect(asCouncil("removeIssuer", [DOMAIN.environment, issuer])).to.emit(ledger, "IssuerRemoved").withArgs(DOMAIN.environment, issuer);
      await expect(ledger.connect(stranger).issue(DOMAIN.environment, await residents[0].getAddress(), 1, 3))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotIssuer")
        .withArgs(DOMAIN.environment, issuer);
      const state = await ledger.issuerState(DOMAIN.environment, issuer);
      expect([state.admitted, state.quota]).to.deep.equal([false, 0n]);
    });

    it("refuses a zero quota, a zero issuer and removing a non-issuer", async function () {
      const setup = await loadFixture(cityLedger);
      const issuer = await setup.stranger.getAddress();
      await expectCouncilFailure(setup, "setIssuerQuota", [1, issuer, 0], "PointsLedgerInvalidQuota", [0]);
      await expectCouncilFailure(setup, "setIssuerQuota", [1, ethers.ZeroAddress, 1], "PointsLedgerInvalidAddress", [ethers.ZeroAddress]);
      await expectCouncilFailure(setup, "removeIssuer", [1, issuer], "PointsLedgerNotIssuer", [1, issuer]);
    });
  });

  describe("issuer suspension", function () {
    for (const who of ["pauser", "domain agency", "council"] as const) {
      it(`can be done by the ${who}, and undone only by the council`, async function () {
        const setup = await loadFixture(cityLedger);
        const { ledger, agencies, pauser, asCouncil, residents } = setup;
        const issuer = await agencies[0].getAddress();
        if (who === "council") {
          await expect(asCouncil("suspendIssuer", [DOMAIN.volunteer, issuer]))
            .to.emit(ledger, "IssuerSuspended")
            .withArgs(DOMAIN.volunteer, issuer, await setup.council.getAddress());
        } else {
          const actor = who === "pauser" ? pauser : agencies[0];
          await expect(ledger.connect(actor).suspendIssuer(DOMAIN.volunteer, issuer))
            .to.emit(ledger, "IssuerSuspended")
            .withArgs(DOMAIN.volunteer, issuer, await actor.getAddress());
        }
        expect((await ledger.issuerState(DOMAIN.volunteer, issuer)).suspended).to.equal(true);
        await expect(ledger.connect(pauser).suspendIssuer(DOMAIN.volunteer, issuer))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerIssuerSuspended")
          .withArgs(DOMAIN.volunteer, issuer);
        await expect(asCouncil("reinstateIssuer", [DOMAIN.volunteer, issuer])).to.emit(ledger, "IssuerReinstated").withArgs(DOMAIN.volunteer, issuer);
        await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[0].getAddress(), 1, 1);
        expect(await ledger.balanceOf(await residents[0].getAddress(), DOMAIN.volunteer)).to.equal(1);
      });
    }

    it("refuses other agencies and strangers, non-issuers, and reinstating an active issuer", async function () {
      const setup = await loadFixture(cityLedger);
      const { ledger, agencies, stranger, pauser } = setup;
      const issuer = await agencies[0].getAddress();
      const someone = await stranger.getAddress();
      await expect(ledger.connect(agencies[1]).suspendIssuer(DOMAIN.volunteer, issuer))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerUnauthorized")
        .withArgs(await agencies[1].getAddress());
      await expect(ledger.connect(stranger).suspendIssuer(DOMAIN.volunteer, issuer))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerUnauthorized")
        .withArgs(someone);
      await expect(ledger.connect(pauser).suspendIssuer(DOMAIN.volunteer, someone))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotIssuer")
        .withArgs(DOMAIN.volunteer, someone);
      await expectCouncilFailure(setup, "reinstateIssuer", [DOMAIN.volunteer, issuer], "PointsLedgerIssuerNotSuspended", [DOMAIN.volunteer, issuer]);
      await expectCouncilFailure(setup, "reinstateIssuer", [DOMAIN.volunteer, someone], "PointsLedgerNotIssuer", [DOMAIN.volunteer, someone]);
    });
  });

  describe("the global pause", function () {
    async function pausedLedger() {
      const setup = await cityLedger();
      await setup.ledger.connect(setup.pauser).pause();
      return setup;
    }

    /** Paused, with domain 5 created (and an issuer admitted to it) by the council meanwhile. */
    async function pausedWithNewDomain() {
      const setup = await pausedLedger();
      const agency = await setup.agencies[0].getAddress();
      await setup.asCouncil("createDomain", [{ name: "new", agency, pointValue: 1, residentCap: 0, transferable: false }]);
      await setup.asCouncil("setIssuerQuota", [5, agency, 10]);
      return setup;
    }

    it("pause: emits LedgerPaused and paused() reads true", async function () {
      const { ledger, pauser } = await loadFixture(cityLedger);
      await expect(ledger.connect(pauser).pause()).to.emit(ledger, "LedgerPaused").withArgs(await pauser.getAddress());
      expect(await ledger.paused()).to.equal(true);
    });

    it("pause: reverts with PointsLedgerPaused when already paused", async function () {
      const { ledger, pauser } = await loadFixture(pausedLedger);
      await expect(ledger.connect(pauser).pause()).to.be.revertedWithCustomError(ledger, "PointsLedgerPaused");
    });

    it("pause: also stops a domain the council creates while paused", async function () {
      const { ledger, agencies, residents } = await loadFixture(pausedWithNewDomain);
      await expect(ledger.connect(agencies[0]).issue(5, await residents[0].getAddress(), 1, 1)).to.be.revertedWithCustomError(ledger, "PointsLedgerPaused");
    });

    it("unpause: emits LedgerUnpaused and paused() reads false", async function () {
      const { ledger, asCouncil, council } = await loadFixture(pausedWithNewDomain);
      await expect(asCouncil("unpause", [])).to.emit(ledger, "LedgerUnpaused").withArgs(await council.getAddress());
      expect(await ledger.paused()).to.equal(false);
    });

    it("unpause: lets every domain go on, those created while paused included", async function () {
      const { ledger, asCouncil, agencies, residents } = await loadFixture(pausedWithNewDomain);
      await asCouncil("unpause", []);
      for (const d of [1, 5]) await ledger.connect(agencies[0]).issue(d, await residents[0].getAddress(), 1, 1);
      expect(await ledger.balanceOf(await residents[0].getAddress(), 5)).to.equal(1);
    });

    it("unpause: reverts with PointsLedgerNotPaused when not paused", async function () {
      const setup = await loadFixture(cityLedger);
      await expectCouncilFailure(setup, "unpause", [], "PointsLedgerNotPaused", []);
    });
  });

  describe("a domain's pause", function () {
    /** Transport paused on its own during a global pause. */
    async function transportPausedDuringGlobalPause() {
      const setup = await cityLedger();
      await setup.ledger.connect(setup.pauser).pause();
      await setup.ledger.connect(setup.pauser).pauseDomain(DOMAIN.transport);
      return setup;
    }

    it("pauseDomain: emits DomainPaused and domain(id).paused reads true, also during a global pause", async function () {
      const { ledger, pauser } = await loadFixture(cityLedger);
      await ledger.connect(pauser).pause();
      await expect(ledger.connect(pauser).pauseDomain(DOMAIN.transport))
        .to.emit(ledger, "DomainPaused")
        .withArgs(DOMAIN.transport, await pauser.getAddress());
      expect((await ledger.domain(DOMAIN.transport)).paused).to.equal(true);
    });

    it("pauseDomain: reverts with PointsLedgerDomainPaused when the domain already is paused", async function () {
      const { ledger, pauser } = await loadFixture(transportPausedDuringGlobalPause);
      await expect(ledger.connect(pauser).pauseDomain(DOMAIN.transport))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerDomainPaused")
        .withArgs(DOMAIN.transport);
    });

    it("pauseDomain: reverts with PointsLedgerUnknownDomain for a missing domain", async function () {
      const { ledger, pauser } = await loadFixture(cityLedger);
      await expect(ledger.connect(pauser).pauseDomain(9)).to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain").withArgs(9);
    });

    it("stays after the global pause is lifted", async function () {
      const { ledger, asCouncil, agencies, residents } = await loadFixture(transportPausedDuringGlobalPause);
      await asCouncil("unpause", []);
      await expect(ledger.connect(agencies[1]).issue(DOMAIN.transport, await residents[0].getAddress(), 1, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerDomainPaused")
        .withArgs(DOMAIN.transport);
    });

    it("unpauseDomain: emits DomainUnpaused, and the domain goes on", async function () {
      const { ledger, asCouncil, council, agencies, residents } = await loadFixture(transportPausedDuringGlobalPause);
      await asCouncil("unpause", []);
      await expect(asCouncil("unpauseDomain", [DOMAIN.transport]))
        .to.emit(ledger, "DomainUnpaused")
        .withArgs(DOMAIN.transport, await council.getAddress());
      await ledger.connect(agencies[1]).issue(DOMAIN.transport, await residents[0].getAddress(), 1, 1);
      expect(await ledger.balanceOf(await residents[0].getAddress(), DOMAIN.transport)).to.equal(1);
    });

    it("unpauseDomain: reverts with PointsLedgerDomainNotPaused when the domain is not paused", async function () {
      const setup = await loadFixture(cityLedger);
      await expectCouncilFailure(setup, "unpauseDomain", [DOMAIN.transport], "PointsLedgerDomainNotPaused", [DOMAIN.transport]);
    });
  });

  // What stays open while a domain (or the ledger) is paused: the council's changes to its configuration.
  describe("the council's changes while paused", function () {
    const someone = "0x00000000000000000000000000000000000C0FFE";
    async function suspendedIssuer() {
      const setup = await cityLedger();
      await setup.ledger.connect(setup.pauser).suspendIssuer(DOMAIN.transport, await setup.agencies[1].getAddress());
      return setup;
    }
    const changes = [
      { method: "setResidentCap", args: async () => [DOMAIN.transport, 25], event: "ResidentCapChanged" },
      { method: "setTransferable", args: async () => [DOMAIN.transport, true], event: "TransferPolicyChanged" },
      { method: "setDomainAgency", args: async () => [DOMAIN.transport, someone], event: "DomainAgencyChanged" },
      { method: "setIssuerQuota", args: async () => [DOMAIN.transport, someone, 100], event: "IssuerQuotaSet" },
      { method: "removeIssuer", args: async (s: LedgerSetup) => [DOMAIN.transport, await s.agencies[1].getAddress()], event: "IssuerRemoved" },
    ];
    for (const change of changes) {
      describe(change.method, function () {
        shouldGoOnWhilePaused({ fixture: cityLedger, ...change, domainId: DOMAIN.transport });
      });
    }
    describe("reinstateIssuer", function () {
      shouldGoOnWhilePaused({
        fixture: suspendedIssuer,
        method: "reinstateIssuer",
        args: async (s) => [DOMAIN.transport, await s.agencies[1].getAddress()],
        event: "IssuerReinstated",
        domainId: DOMAIN.transport,
      });
    });
    describe("suspendIssuer, by the pauser", function () {
      it("goes through while the domain is paused", async function () {
        const { ledger, pauser, agencies } = await loadFixture(cityLedger);
        await ledger.connect(pauser).pauseDomain(DOMAIN.transport);
        await expect(ledger.connect(pauser).suspendIssuer(DOMAIN.transport, await agencies[1].getAddress())).to.emit(ledger, "IssuerSuspended");
      });
    });
  });

  it("reads zero for a domain id beyond uint32 and refuses views of missing domains", async function () {
    const { ledger, residents } = await loadFixture(cityLedger);
    expect(await ledger.balanceOf(await residents[0].getAddress(), 2n ** 32n + 1n)).to.equal(0);
    await expect(ledger.domain(0)).to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain").withArgs(0);
  });
});
