/**
 * The pause rules of IPointsLedger (see `pauseDomain` there), written once and applied to each
 * function (as OpenZeppelin's `*.behavior.js`):
 * - the global pause stops the call with PointsLedgerPaused, changes nothing, and the call goes
 *   through again once the council lifts it;
 * - a domain's own pause stops the calls that move points in that domain or change what its agency
 *   set (its partners, the agreements from or to it, its settlement confirmations), with
 *   PointsLedgerDomainPaused(domainId), changing nothing, until the council lifts it;
 * - a domain's pause stops nothing else: not the calls that only concern the domain (closing a
 *   period), nor any call in another domain;
 * - the council's changes to a domain's configuration go on through both pauses
 *   (shouldGoOnWhilePaused).
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
  /** The domains whose own pause stops the call: those it moves points in or changes an agency's settings of. */
  stoppedBy: readonly number[];
  /** Domains the call concerns without changing anything of theirs: their pause does not stop it. */
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
    describe(`when domain ${domainId}, which it changes, is paused`, function () {
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
    describe(`when domain ${domainId}, which it concerns but does not change, is paused`, function () {
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

export interface CouncilChange<S extends LedgerSetup> {
  /** A ledger on which the change goes through while nothing is paused. */
  fixture: () => Promise<S>;
  /** The ledger call the council makes. */
  method: string;
  args: (setup: S) => Promise<unknown[]>;
  /** The event the change emits. */
  event: string;
  /** The domain whose configuration it changes. */
  domainId: number;
}

/** A council change to a domain's configuration goes through while the ledger or that domain is paused. */
export function shouldGoOnWhilePaused<S extends LedgerSetup>(change: CouncilChange<S>): void {
  for (const what of ["the ledger", `domain ${change.domainId}`] as const) {
    it(`goes through while ${what} is paused`, async function () {
      const setup = await loadFixture(change.fixture);
      if (what === "the ledger") await setup.ledger.connect(setup.pauser).pause();
      else await setup.ledger.connect(setup.pauser).pauseDomain(change.domainId);
      await expect(setup.asCouncil(change.method, await change.args(setup))).to.emit(setup.ledger, change.event);
    });
  }
}
