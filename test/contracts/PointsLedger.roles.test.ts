import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { cityLedgerWithAgreement, nextPeriod } from "../helpers/fixtures";
import { DOMAIN } from "../helpers/deploy";
import type { PointsLedger } from "../../typechain-types";

type Actor = "pauser" | "volunteerAgency" | "transportAgency" | "councilMember" | "stranger" | "resident";
const ACTORS: Actor[] = ["pauser", "volunteerAgency", "transportAgency", "councilMember", "stranger", "resident"];

interface Rule {
  fn: string;
  args: (ctx: { agreementId: bigint; someone: string }) => unknown[];
  allowed: Actor[];
  /** The custom error and its arguments for a caller who may not call it. */
  error: (ledger: PointsLedger, caller: string) => Promise<[string, unknown[]]>;
}

const councilOnly = async (ledger: PointsLedger, caller: string): Promise<[string, unknown[]]> => [
  "AccessControlUnauthorizedAccount",
  [caller, await ledger.COUNCIL_ROLE()],
];
const pauserOnly = async (ledger: PointsLedger, caller: string): Promise<[string, unknown[]]> => [
  "AccessControlUnauthorizedAccount",
  [caller, await ledger.PAUSER_ROLE()],
];
const issuerOnly = async (_: PointsLedger, caller: string): Promise<[string, unknown[]]> => ["PointsLedgerNotIssuer", [DOMAIN.volunteer, caller]];
const agencyOnly = async (_: PointsLedger, caller: string): Promise<[string, unknown[]]> => ["PointsLedgerNotDomainAgency", [DOMAIN.volunteer, caller]];
const config = (agency: string) => ({ name: "x", agency, pointValue: 1, residentCap: 0, transferable: false });

/** Every state-changing function that not everyone may call, with who may call it directly. */
const RULES: Rule[] = [
  { fn: "createDomain", args: ({ someone }) => [config(someone)], allowed: [], error: councilOnly },
  { fn: "setDomainAgency", args: ({ someone }) => [DOMAIN.volunteer, someone], allowed: [], error: councilOnly },
  { fn: "setResidentCap", args: () => [DOMAIN.volunteer, 1], allowed: [], error: councilOnly },
  { fn: "setTransferable", args: () => [DOMAIN.volunteer, true], allowed: [], error: councilOnly },
  { fn: "setIssuerQuota", args: ({ someone }) => [DOMAIN.volunteer, someone, 1], allowed: [], error: councilOnly },
  { fn: "removeIssuer", args: ({ someone }) => [DOMAIN.volunteer, someone], allowed: [], error: councilOnly },
  { fn: "reinstateIssuer", args: ({ someone }) => [DOMAIN.volunteer, someone], allowed: [], error: councilOnly },
  { fn: "unpause", args: () => [], allowed: [], error: councilOnly },
  { fn: "unpauseDomain", args: () => [DOMAIN.volunteer], allowed: [], error: councilOnly },
  { fn: "grantRole", args: ({ someone }) => [ethers.id("PAUSER_ROLE"), someone], allowed: [], error: councilOnly },
  { fn: "revokeRole", args: ({ someone }) => [ethers.id("PAUSER_ROLE"), someone], allowed: [], error: councilOnly },
  { fn: "pause", args: () => [], allowed: ["pauser"], error: pauserOnly },
  { fn: "pauseDomain", args: () => [DOMAIN.volunteer], allowed: ["pauser"], error: pauserOnly },
  {
    fn: "suspendIssuer",
    args: ({ someone }) => [DOMAIN.volunteer, someone],
    allowed: ["pauser", "volunteerAgency"],
    error: async (_, caller) => ["PointsLedgerUnauthorized", [caller]],
  },
  { fn: "issue", args: ({ someone }) => [DOMAIN.volunteer, someone, 1, 1], allowed: ["volunteerAgency"], error: issuerOnly },
  {
    fn: "issueBatch",
    args: ({ someone }) => [DOMAIN.volunteer, [{ resident: someone, amount: 1, claimId: 1 }]],
    allowed: ["volunteerAgency"],
    error: issuerOnly,
  },
  { fn: "setPartner", args: ({ someone }) => [DOMAIN.volunteer, someone, true], allowed: ["volunteerAgency"], error: agencyOnly },
  { fn: "proposeAgreement", args: () => [DOMAIN.volunteer, DOMAIN.culture, 1, 1, 0, 0, 1], allowed: ["volunteerAgency"], error: agencyOnly },
  {
    fn: "approveAgreement",
    args: ({ agreementId }) => [agreementId, 2],
    // The volunteer side proposed version 2 (see below), so only the transport side may approve it.
    allowed: ["transportAgency", "volunteerAgency"],
    error: async (_, caller) => ["PointsLedgerNotDomainAgency", [DOMAIN.volunteer, caller]],
  },
  {
    fn: "setAgreementSuspended",
    args: ({ agreementId }) => [agreementId, true],
    allowed: ["volunteerAgency", "transportAgency"],
    error: agencyOnly,
  },
  { fn: "confirmSettlement", args: () => [0, DOMAIN.volunteer, ethers.id("paid")], allowed: ["volunteerAgency"], error: agencyOnly },
];

describe("PointsLedger role matrix", function () {
  for (const rule of RULES) {
    const forbidden = ACTORS.filter((a) => !rule.allowed.includes(a));
    it(`${rule.fn}: refused to ${forbidden.join(", ")}`, async function () {
      const setup = await loadFixture(cityLedgerWithAgreement);
      const actors: Record<Actor, Signer> = {
        pauser: setup.pauser,
        volunteerAgency: setup.agencies[0],
        transportAgency: setup.agencies[1],
        councilMember: setup.members[0],
        stranger: setup.stranger,
        resident: setup.residents[0],
      };
      const ctx = { agreementId: setup.agreementId, someone: await setup.residents[5].getAddress() };
      if (rule.fn === "confirmSettlement") await nextPeriod(setup);
      if (rule.fn === "approveAgreement") {
        await setup.ledger.connect(setup.agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 0, 0, 2 ** 32 - 1);
      }
      for (const actor of forbidden) {
        const caller = await actors[actor].getAddress();
        const [error, args] = await rule.error(setup.ledger, caller);
        const contract = setup.ledger.connect(actors[actor]) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        await expect(contract[rule.fn](...rule.args(ctx)), `${actor} calling ${rule.fn}`)
          .to.be.revertedWithCustomError(setup.ledger, error)
          .withArgs(...args);
      }
    });
  }

  it("lets only the holder renounce its own role", async function () {
    const { ledger, pauser, stranger } = await loadFixture(cityLedgerWithAgreement);
    const role = await ledger.PAUSER_ROLE();
    await expect(ledger.connect(stranger).renounceRole(role, await pauser.getAddress())).to.be.revertedWithCustomError(
      ledger,
      "AccessControlBadConfirmation",
    );
    await ledger.connect(pauser).renounceRole(role, await pauser.getAddress());
    expect(await ledger.hasRole(role, await pauser.getAddress())).to.equal(false);
  });

  it("lets the council hand the pauser role to another agency", async function () {
    const { ledger, asCouncil, agencies, pauser } = await loadFixture(cityLedgerWithAgreement);
    const role = await ledger.PAUSER_ROLE();
    await asCouncil("grantRole", [role, await agencies[3].getAddress()]);
    await asCouncil("revokeRole", [role, await pauser.getAddress()]);
    await ledger.connect(agencies[3]).pauseDomain(DOMAIN.environment);
    expect((await ledger.domain(DOMAIN.environment)).paused).to.equal(true);
    await expect(ledger.connect(pauser).pause()).to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount");
  });
});
