/**
 * The pause rules of IPointsLedger, written once and applied to each pausable function (as
 * OpenZeppelin's `*.behavior.js`):
 * - the global pause stops the call with PointsLedgerPaused, changes nothing, and the call goes
 *   through again once the council lifts it;
 * - a domain's own pause stops the calls that move points in that domain, with
 *   PointsLedgerDomainPaused(domainId), changing nothing, until the council lifts it;
 * - a domain's pause stops nothing else: not the calls that only concern the domain (agreements,
 *   partners, settlement), nor any call in another domain.
 *
 * The pause and unpause functions themselves are tested in PointsLedger.governance.test.ts.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { DOMAIN, type LedgerSetup } from "../../helpers/deploy";

export interface PausableCall<S extends LedgerSetup> {
  /** A ledger on which `send` succeeds while nothing is paused. */
  fixture: () => Promise<S>;
  /** Makes the call as a caller allowed to make it; called anew for every attempt (a fresh intent and nonce). */
  send: (setup: S) => Promise<ContractTransactionResponse>;
  /** The event a successful call emits. */
  event: string;
  /** What the call changes; a refused call must leave it as it was. */
  state: (setup: S) => Promise<unknown>;
  /** The domains whose own pause stops the call: those it moves points in. */
  stoppedBy: readonly number[];
  /** Domains the call concerns without moving points in them: their pause does not stop it. */
  namedOnly?: readonly number[];
}

const ALL_DOMAINS = [DOMAIN.transport, DOMAIN.culture, DOMAIN.environment, DOMAIN.volunteer];

export function shouldBehaveLikePausable<S extends LedgerSetup>(call: PausableCall<S>): void {
  const named = [...call.stoppedBy, ...(call.namedOnly ?? [])];
  const otherDomain = ALL_DOMAINS.find((d) => !named.includes(d));
  if (otherDomain === undefined) throw new Error("the call names every domain: no other domain to pause");

  describe("when the ledger is paused", function () {
    async function paused(): Promise<S> {
      const setup = await call.fixture();
      await setup.ledger.connect(setup.pauser).pause();
      return setup;
    }

    it("reverts with PointsLedgerPaused", async function () {
      const setup = await loadFixture(paused);
      await expect(call.send(setup)).to.be.revertedWithCustomError(setup.ledger, "PointsLedgerPaused");
    });

    it("changes nothing", async function () {
      const setup = await loadFixture(paused);
      const before = await call.state(setup);
      await expect(call.send(setup)).to.be.reverted;
      expect(await call.state(setup)).to.deep.equal(before);
    });

    it("goes through once the council lifts the pause", async function () {
      const setup = await loadFixture(paused);
      await setup.asCouncil("unpause", []);
      await expect(call.send(setup)).to.emit(setup.ledger, call.event);
    });
  });

  for (const domainId of call.stoppedBy) {
    describe(`when domain ${domainId}, which it moves points in, is paused`, function () {
      async function domainPaused(): Promise<S> {
        const setup = await call.fixture();
        await setup.ledger.connect(setup.pauser).pauseDomain(domainId);
        return setup;
      }

      it(`reverts with PointsLedgerDomainPaused(${domainId})`, async function () {
        const setup = await loadFixture(domainPaused);
        await expect(call.send(setup)).to.be.revertedWithCustomError(setup.ledger, "PointsLedgerDomainPaused").withArgs(domainId);
      });

      it("changes nothing", async function () {
        const setup = await loadFixture(domainPaused);
        const before = await call.state(setup);
        await expect(call.send(setup)).to.be.reverted;
        expect(await call.state(setup)).to.deep.equal(before);
      });

      it("goes through once the council lifts the domain's pause", async function () {
        const setup = await loadFixture(domainPaused);
        await setup.asCouncil("unpauseDomain", [domainId]);
        await expect(call.send(setup)).to.emit(setup.ledger, call.event);
      });
    });
  }

  for (const domainId of call.namedOnly ?? []) {
    describe(`when domain ${domainId}, which it concerns but moves no points in, is paused`, function () {
      it("goes through", async function () {
        const setup = await loadFixture(call.fixture);
        await setup.ledger.connect(setup.pauser).pauseDomain(domainId);
        await expect(call.send(setup)).to.emit(setup.ledger, call.event);
      });
    });
  }

  describe(`when another domain (${otherDomain}) is paused`, function () {
    it("goes through", async function () {
      const setup = await loadFixture(call.fixture);
      await setup.ledger.connect(setup.pauser).pauseDomain(otherDomain);
      await expect(call.send(setup)).to.emit(setup.ledger, call.event);
    });
  });
}
