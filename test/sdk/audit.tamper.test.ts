import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { audit } from "../../sdk/src/auditor/audit";
import type { AuditEvent } from "../../sdk/src/auditor/events";
import type { AuditReport } from "../../sdk/src/auditor/report";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { deploymentOf, hardhatTransport } from "./helpers/chain";
import { chainEvents, FORGED_TX, forgedAfter } from "./helpers/events";
import { runScenario } from "./helpers/scenario";
import { accountSlot, claimWordSlot, domainSlot, issuerSlot, paidOrderSlot, readSlot, writeSlot } from "./helpers/storage";
import { redeemIntent, signIntent } from "../helpers/intents";

const LOW_96 = (1n << 96n) - 1n;

function invariants(report: AuditReport): string[] {
  return [...new Set(report.violations.map((v) => v.invariant))].sort();
}

describe("audit of a tampered ledger", function () {
  async function scenarioWithEvents() {
    const scenario = await runScenario();
    const deployment = await deploymentOf(scenario.setup);
    return { scenario, deployment, events: await chainEvents(deployment) };
  }

  const auditWith = (deployment: Awaited<ReturnType<typeof scenarioWithEvents>>["deployment"], events?: AuditEvent[]) =>
    audit({ transport: hardhatTransport(), deployment, events });

  describe("when a balance is changed under the contract (hardhat_setStorageAt)", function () {
    it("reports I2 for that resident at their last transaction, and I1 for the domain", async function () {
      const { scenario, deployment, events } = await loadFixture(scenarioWithEvents);
      const { ledger, residents } = scenario.setup;
      const bob = await residents[1].getAddress();
      const slot = accountSlot(DOMAIN.transport, bob);
      const before = await ledger.balanceOf(bob, DOMAIN.transport);
      const raw = await readSlot(deployment.ledger, slot);
      expect(raw & LOW_96).to.equal(before); // the slot is bob's transport account
      await writeSlot(deployment.ledger, slot, (raw & ~LOW_96) | (before + 1_000n));
      expect(await ledger.balanceOf(bob, DOMAIN.transport)).to.equal(before + 1_000n);

      const report = await auditWith(deployment);
      expect(invariants(report)).to.deep.equal(["I1", "I2"]);
      const i2 = report.violations.find((v) => v.invariant === "I2")!;
      expect(i2.code).to.equal("BALANCE_MISMATCH");
      expect(i2.details).to.include({ resident: bob.toLowerCase(), domainId: DOMAIN.transport, onChain: (before + 1_000n).toString(), rebuilt: before.toString() });
      // Bob's last change in transport was his redemption there.
      const redemption = events.find((e) => e.name === "PointsRedeemed" && e.args.resident === bob.toLowerCase())!;
      expect(i2.transactionHash).to.equal(redemption.transactionHash);
      const i1 = report.violations.find((v) => v.invariant === "I1")!;
      expect([i1.code, i1.details.domainId]).to.deep.equal(["BALANCES_DO_NOT_ADD_UP", DOMAIN.transport]);
    });
  });

  describe("when the event stream misses an entry", function () {
    it("reports I2 for the resident whose issuance is missing, and I1 for the domain", async function () {
      const { scenario, deployment, events } = await loadFixture(scenarioWithEvents);
      const alice = (await scenario.setup.residents[0].getAddress()).toLowerCase();
      const missing = events.findIndex((e) => e.name === "PointsIssued" && e.args.resident === alice && e.args.claimId === 256n);
      const report = await auditWith(deployment, events.filter((_, i) => i !== missing));
      expect(invariants(report)).to.deep.equal(["I1", "I2"]);
      const i2 = report.violations.filter((v) => v.invariant === "I2");
      expect(i2.map((v) => [v.details.resident, v.details.domainId, v.details.onChain, v.details.rebuilt])).to.deep.equal([
        [alice, DOMAIN.volunteer, "1091", "891"],
      ]);
      const i1 = report.violations.find((v) => v.code === "SUPPLY_MISMATCH")!;
      expect(i1.details).to.include({ domainId: DOMAIN.volunteer, onChain: "1880", rebuilt: "1680" });
    });

    it("reports I1 when the only event naming an account is missing (its balance is then unknown to the events)", async function () {
      const { scenario, deployment, events } = await loadFixture(scenarioWithEvents);
      const carol = (await scenario.setup.residents[2].getAddress()).toLowerCase();
      const missing = events.findIndex((e) => e.name === "PointsIssued" && e.args.resident === carol && e.args.domainId === DOMAIN.volunteer);
      const report = await auditWith(deployment, events.filter((_, i) => i !== missing));
      expect(report.violations.map((v) => [v.invariant, v.code, v.details.domainId])).to.deep.equal([
        ["I1", "SUPPLY_MISMATCH", DOMAIN.volunteer],
        ["I1", "BALANCES_DO_NOT_ADD_UP", DOMAIN.volunteer],
      ]);
    });

    it("reports I4 when an intent in the middle of a resident's sequence is missing", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const firstExchange = events.findIndex((e) => e.name === "PointsExchanged");
      const report = await auditWith(deployment, events.filter((_, i) => i !== firstExchange));
      const i4 = report.violations.find((v) => v.invariant === "I4")!;
      expect(i4.code).to.equal("NONCE_SKIPPED");
      const nextOfSameResident = events.find((e, i) => i > firstExchange && e.name === "PointsExchanged" && e.args.resident === (events[firstExchange] as typeof e).args.resident)!;
      expect(i4.transactionHash).to.equal(nextOfSameResident.transactionHash);
      expect(invariants(report)).to.include.members(["I2", "I4"]);
    });
  });

  describe("when the event stream carries a forged entry", function () {
    it("reports a doubled claim id as I4 at the forged transaction", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const original = events.find((e) => e.name === "PointsIssued")!;
      const report = await auditWith(deployment, [...events, forgedAfter(events, original)]);
      const i4 = report.violations.filter((v) => v.invariant === "I4");
      expect(i4.map((v) => [v.code, v.transactionHash])).to.deep.equal([["CLAIM_REUSED", FORGED_TX]]);
      expect(invariants(report)).to.deep.equal(["I1", "I2", "I4"]);
    });

    it("reports an exchange at a wrong rate as I3", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const i = events.findIndex((e) => e.name === "PointsExchanged");
      const exchange = events[i] as Extract<AuditEvent, { name: "PointsExchanged" }>;
      const forged = { ...exchange, args: { ...exchange.args, amountOut: exchange.args.amountOut + 5n } };
      const report = await auditWith(deployment, events.map((e, j) => (j === i ? forged : e)));
      const i3 = report.violations.filter((v) => v.invariant === "I3");
      expect(i3.map((v) => [v.code, v.transactionHash, v.details.expectedAmountOut])).to.deep.equal([
        ["WRONG_RATE", exchange.transactionHash, exchange.args.amountOut.toString()],
      ]);
    });

    it("reports a proposed rate that credits more value than it burns as I3 (the value rule)", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      // Version 2 of volunteer (10 each) → transport (20 each) at 1/2 is fair at the limit; 2/3 is not: 2 × 20 > 3 × 10.
      const i = events.findIndex((e) => e.name === "AgreementProposed" && e.args.version === 2);
      const proposed = events[i] as Extract<AuditEvent, { name: "AgreementProposed" }>;
      expect([proposed.args.rateNum, proposed.args.rateDen]).to.deep.equal([1n, 2n]);
      const forged = { ...proposed, args: { ...proposed.args, rateNum: 2n, rateDen: 3n } };
      const report = await auditWith(deployment, events.map((e, j) => (j === i ? forged : e)));
      const first = report.violations[0];
      expect([first.invariant, first.code, first.transactionHash]).to.deep.equal(["I3", "RATE_CREATES_VALUE", proposed.transactionHash]);
      expect(first.details).to.include({ rateNum: "2", rateDen: "3", valueFrom: "10", valueTo: "20" });
    });

    it("reports an exchange that credited more value than it burned as I3", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const i = events.findIndex((e) => e.name === "PointsExchanged");
      const exchange = events[i] as Extract<AuditEvent, { name: "PointsExchanged" }>;
      const forged = { ...exchange, args: { ...exchange.args, amountOut: exchange.args.amountIn } };
      const report = await auditWith(deployment, events.map((e, j) => (j === i ? forged : e)));
      const i3 = report.violations.filter((v) => v.invariant === "I3" && v.transactionHash === exchange.transactionHash);
      expect(i3.map((v) => v.code)).to.deep.equal(["EXCHANGE_CREATED_VALUE", "WRONG_RATE"]);
      expect(i3[0].details).to.include({ valueIn: (exchange.args.amountIn * 10n).toString(), valueOut: (exchange.args.amountIn * 20n).toString() });
    });

    it("reports an exchange under a version never approved by both sides as I3", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      // Drop the transport agency's approval of version 1: the activation that follows lacks it.
      const approval = events.findIndex((e) => e.name === "AgreementApproved" && e.args.domainId === DOMAIN.transport && e.args.version === 1);
      const report = await auditWith(deployment, events.filter((_, i) => i !== approval));
      expect(report.violations.map((v) => v.code)).to.deep.equal(["ACTIVATED_WITHOUT_APPROVALS"]);
      expect(report.violations[0].invariant).to.equal("I3");
    });

    it("reports an issuance over the issuer's quota as I5", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const original = events.find((e) => e.name === "PointsIssued" && e.args.domainId === DOMAIN.environment)!;
      const report = await auditWith(deployment, [...events, forgedAfter(events, original, { claimId: 10_000n, amount: 4_950n })]);
      const i5 = report.violations.filter((v) => v.invariant === "I5");
      expect(i5.map((v) => [v.code, v.transactionHash, v.details.quota, v.details.used])).to.deep.equal([["QUOTA_EXCEEDED", FORGED_TX, "5000", "70"]]);
    });

    it("reports a settlement whose positions do not net to zero as I6", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const i = events.findIndex((e) => e.name === "SettlementPublished" && e.args.net < 0n);
      const published = events[i] as Extract<AuditEvent, { name: "SettlementPublished" }>;
      const forged = { ...published, args: { ...published.args, net: published.args.net + 300n } };
      const report = await auditWith(deployment, events.map((e, j) => (j === i ? forged : e)));
      expect(invariants(report)).to.deep.equal(["I6"]);
      const codes = report.violations.map((v) => [v.code, v.details.sum ?? v.details.published ?? null]);
      expect(codes).to.deep.equal([
        ["POSITIONS_DO_NOT_NET", "300"],
        ["POSITION_MISMATCH", "-700"],
      ]);
      expect(report.violations[0].transactionHash).to.equal(published.transactionHash);
    });

    it("reports points moved while their domain was paused as I7", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      // Move the environment issuance to just after the pause, before the council lifts it.
      const paused = events.findIndex((e) => e.name === "DomainPaused");
      const issuance = events.findIndex((e) => e.name === "PointsIssued" && e.args.domainId === DOMAIN.environment);
      const moved = { ...events[issuance], blockNumber: events[paused].blockNumber, logIndex: events[paused].logIndex + 1 };
      const reordered = events.filter((_, i) => i !== issuance);
      reordered.splice(paused + 1, 0, moved);
      const report = await auditWith(deployment, reordered);
      // The issuance now precedes the council's quota change for environment (5,000), so the quota is the deploy-time one.
      expect(report.violations.map((v) => [v.invariant, v.code])).to.deep.equal([["I7", "CHANGED_WHILE_DOMAIN_PAUSED"]]);
    });
  });

  describe("when the council's own rules are broken in the stream", function () {
    it("reports a proposal carried out without enough approvals", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const executed = events.find((e) => e.name === "ProposalExecuted")!;
      const id = (executed as Extract<AuditEvent, { name: "ProposalExecuted" }>).args.proposalId;
      const second = events.findIndex((e) => e.name === "ProposalApproved" && e.args.proposalId === id && e.args.approvals === 2n);
      const report = await auditWith(deployment, events.filter((_, i) => i !== second));
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash, v.details.approvals])).to.deep.equal([
        ["I8", "EXECUTED_WITHOUT_THRESHOLD", executed.transactionHash, 1],
      ]);
    });

    it("reports the council role granted to anything but the council contract", async function () {
      const { deployment, events } = await loadFixture(scenarioWithEvents);
      const grant = events.find((e) => e.name === "RoleGranted" && e.args.role === ethers.ZeroHash)!;
      const stranger = ethers.Wallet.createRandom().address.toLowerCase() as `0x${string}`;
      const report = await auditWith(deployment, [...events, forgedAfter(events, grant, { account: stranger })]);
      // The forged grant breaks two rules: the role's holder, and I8 (no proposal was carried out for it).
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash])).to.deep.equal([
        ["RULE", "COUNCIL_ROLE_OUTSIDE_COUNCIL", FORGED_TX],
        ["I8", "CHANGE_WITHOUT_PROPOSAL", FORGED_TX],
      ]);
      expect(report.violations[0].details.account).to.equal(stranger);
      expect(report.governance.councilRole).to.deep.equal([deployment.council.toLowerCase(), stranger]);
    });
  });

  describe("when the contract's own rules are bypassed on chain (storage edits)", function () {
    async function smallLedger() {
      const setup = await deployLedger({ quota: 1_000n });
      return { setup, deployment: await deploymentOf(setup) };
    }

    it("reports a claim id issued twice as I4 only", async function () {
      const { setup, deployment } = await loadFixture(smallLedger);
      const { ledger, agencies, residents } = setup;
      const alice = await residents[0].getAddress();
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, alice, 10, 5);
      const slot = claimWordSlot(DOMAIN.volunteer, 5n);
      expect(await readSlot(deployment.ledger, slot)).to.equal(1n << 5n); // the slot holds claim 5's bit
      await writeSlot(deployment.ledger, slot, 0n);
      const again = await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, alice, 10, 5);
      const report = await audit({ transport: hardhatTransport(), deployment });
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash])).to.deep.equal([["I4", "CLAIM_REUSED", again.hash]]);
    });

    it("reports an order reference paid twice to one partner as I4 only", async function () {
      const { setup, deployment } = await loadFixture(smallLedger);
      const { ledger, agencies, residents, partner } = setup;
      const [alice, shop] = [residents[0], await partner.getAddress()];
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await alice.getAddress(), 100, 1);
      await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, shop, true);
      const orderRef = ethers.id("salted order 9") as `0x${string}`;
      const pay = async () => {
        const intent = await redeemIntent(ledger, alice, { domainId: DOMAIN.volunteer, amount: 10n, partner: shop, orderRef });
        const sig = await signIntent(alice, ledger, "RedeemIntent", intent);
        return ledger.redeem(intent, sig.v, sig.r, sig.s);
      };
      await (await pay()).wait();
      const slot = paidOrderSlot(shop, orderRef);
      expect(await readSlot(deployment.ledger, slot)).to.equal(1n); // the slot records the paid order
      await writeSlot(deployment.ledger, slot, 0n);
      const again = await pay();
      const report = await audit({ transport: hardhatTransport(), deployment });
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash, v.details.orderRef])).to.deep.equal([["I4", "ORDER_PAID_TWICE", again.hash, orderRef]]);
    });

    it("reports an issuance beyond the quota as I5 only", async function () {
      const { setup, deployment } = await loadFixture(smallLedger);
      const { ledger, agencies, residents } = setup;
      const issuer = await agencies[0].getAddress();
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[0].getAddress(), 900, 1);
      const slot = issuerSlot(DOMAIN.volunteer, issuer);
      const raw = await readSlot(deployment.ledger, slot);
      const usedShift = 8n + 8n + 32n + 96n;
      expect((raw >> usedShift) & LOW_96).to.equal((await ledger.issuerState(DOMAIN.volunteer, issuer)).usedThisPeriod);
      await writeSlot(deployment.ledger, slot, raw & ~(LOW_96 << usedShift)); // forget this period's use
      const over = await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[1].getAddress(), 900, 2);
      const report = await audit({ transport: hardhatTransport(), deployment });
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash, v.details.used])).to.deep.equal([
        ["I5", "QUOTA_EXCEEDED", over.hash, "900"],
      ]);
    });

    it("reports an issuance in a paused domain as I7", async function () {
      const { setup, deployment } = await loadFixture(smallLedger);
      const { ledger, agencies, residents, pauser } = setup;
      await ledger.connect(pauser).pauseDomain(DOMAIN.culture);
      const slot = domainSlot(DOMAIN.culture);
      const raw = await readSlot(deployment.ledger, slot);
      const pausedBit = 2n << 232n; // flags is the top byte; PAUSED = 2
      expect(raw & pausedBit).to.equal(pausedBit);
      await writeSlot(deployment.ledger, slot, raw & ~pausedBit);
      const during = await ledger.connect(agencies[2]).issue(DOMAIN.culture, await residents[0].getAddress(), 5, 1);
      const report = await audit({ transport: hardhatTransport(), deployment });
      expect(report.violations.map((v) => [v.invariant, v.code, v.transactionHash])).to.deep.equal([
        ["I7", "CHANGED_WHILE_DOMAIN_PAUSED", during.hash],
        ["I7", "PAUSE_STATE_MISMATCH", null],
      ]);
      expect(ethers.isHexString(during.hash)).to.equal(true);
    });
  });
});
