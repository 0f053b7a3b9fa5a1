/**
 * Agreements rebuilt from their events (proposals, approvals, activations, suspensions), and I3:
 * every exchange used the version in force, approved by both sides' agencies, unsuspended, inside
 * its validity window and cap, at its rate with the floor rounding, and credited no more value than
 * it burned; every proposed rate obeys the value rule. I7: no agreement from or to a paused domain
 * changes.
 */
import { agreementDomains, agreementIdOf } from "../../agreementId";
import { isSuspended, isWithinValidity } from "../../agreementInForce";
import type * as E from "../events";
import type { ViolationLog } from "../violations";
import type { GovernanceBook } from "./governance";

export interface Terms {
  version: number;
  rateNum: bigint;
  rateDen: bigint;
  periodCap: bigint;
  validFromPeriod: number;
  validUntilPeriod: number;
}

export interface AgreementState {
  id: bigint;
  fromDomain: number;
  toDomain: number;
  active: Terms | undefined;
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
  pending: (Terms & { approvedByFrom: boolean; approvedByTo: boolean }) | undefined;
  versionsProposed: number;
  versionsActivated: number;
  exchanges: number;
  amountIn: bigint;
  amountOut: bigint;
}

export class AgreementBook {
  readonly agreements = new Map<bigint, AgreementState>();
  /** Points exchanged in per agreement and period, for the caps. Periods are dropped once closed. */
  private readonly usage = new Map<number, Map<bigint, bigint>>();

  constructor(
    private readonly gov: GovernanceBook,
    private readonly violations: ViolationLog,
  ) {}

  apply(e: E.AuditEvent): boolean {
    switch (e.name) {
      case "AgreementProposed":
        this.propose(e);
        return true;
      case "AgreementApproved":
        this.approve(e);
        return true;
      case "AgreementActivated":
        this.activate(e);
        return true;
      case "AgreementSuspensionChanged":
        this.suspend(e);
        return true;
      default:
        return false;
    }
  }

  /** Checks an exchange against the agreement in force (I3) and records its cap use. */
  checkExchange(e: E.PointsExchanged): void {
    const { agreementId, version, amountIn, amountOut, period } = e.args;
    const { fromDomain, toDomain } = agreementDomains(agreementId);
    const details = { agreementId, version, period, amountIn, amountOut };
    const a = this.agreements.get(agreementId);
    const terms = a?.active;
    if (!a || !terms) {
      this.violations.add("I3", "NO_AGREEMENT", `An exchange from domain ${fromDomain} to ${toDomain} used agreement ${agreementId}, never in force.`, e, details);
      return;
    }
    a.exchanges++;
    a.amountIn += amountIn;
    a.amountOut += amountOut;
    if (terms.version !== version) {
      this.violations.add(
        "I3",
        "WRONG_VERSION",
        `An exchange used version ${version} of agreement ${agreementId} while version ${terms.version} was in force.`,
        e,
        { ...details, versionInForce: terms.version },
      );
    }
    if (isSuspended(a)) {
      this.violations.add("I3", "AGREEMENT_SUSPENDED", `An exchange used agreement ${agreementId} while it was suspended.`, e, {
        ...details,
        suspendedByFrom: a.suspendedByFrom,
        suspendedByTo: a.suspendedByTo,
      });
    }
    if (!isWithinValidity(terms, period)) {
      this.violations.add(
        "I3",
        "OUTSIDE_VALIDITY",
        `An exchange in period ${period} used agreement ${agreementId}, valid only in periods ${terms.validFromPeriod}..${terms.validUntilPeriod}.`,
        e,
        details,
      );
    }
    const valueFrom = this.gov.domains.get(fromDomain)?.pointValue;
    const valueTo = this.gov.domains.get(toDomain)?.pointValue;
    if (valueFrom !== undefined && valueTo !== undefined && amountOut * valueTo > amountIn * valueFrom) {
      this.violations.add(
        "I3",
        "EXCHANGE_CREATED_VALUE",
        `An exchange of ${amountIn} points worth ${valueFrom} each gave ${amountOut} worth ${valueTo} each: more value out than in.`,
        e,
        { ...details, valueIn: amountIn * valueFrom, valueOut: amountOut * valueTo },
      );
    }
    const expected = (amountIn * terms.rateNum) / terms.rateDen;
    if (amountOut !== expected) {
      this.violations.add(
        "I3",
        "WRONG_RATE",
        `An exchange of ${amountIn} gave ${amountOut}; agreement ${agreementId} v${terms.version} at ${terms.rateNum}/${terms.rateDen} gives ${expected}.`,
        e,
        { ...details, rateNum: terms.rateNum, rateDen: terms.rateDen, expectedAmountOut: expected },
      );
    }
    let periodUsage = this.usage.get(period);
    if (!periodUsage) this.usage.set(period, (periodUsage = new Map()));
    const used = (periodUsage.get(agreementId) ?? 0n) + amountIn;
    periodUsage.set(agreementId, used);
    if (terms.periodCap !== 0n && used > terms.periodCap) {
      this.violations.add(
        "I3",
        "AGREEMENT_CAP_EXCEEDED",
        `Exchanges under agreement ${agreementId} in period ${period} reached ${used}, beyond its cap of ${terms.periodCap}.`,
        e,
        { ...details, periodCap: terms.periodCap, used },
      );
    }
  }

  /** A closed period's cap use is no longer needed. */
  forgetPeriod(period: number): void {
    this.usage.delete(period);
  }

  private propose(e: E.AgreementProposed): void {
    const a = e.args;
    this.requirePairRunning(e, a.fromDomain, a.toDomain, `agreement ${a.agreementId} was proposed`);
    const valueFrom = this.gov.domains.get(a.fromDomain)?.pointValue;
    const valueTo = this.gov.domains.get(a.toDomain)?.pointValue;
    if (valueFrom !== undefined && valueTo !== undefined && a.rateNum * valueTo > a.rateDen * valueFrom) {
      this.violations.add(
        "I3",
        "RATE_CREATES_VALUE",
        `Agreement ${a.agreementId} v${a.version} was proposed at ${a.rateNum}/${a.rateDen} from points worth ${valueFrom} to points worth ${valueTo}: it credits more value than it burns.`,
        e,
        { agreementId: a.agreementId, version: a.version, rateNum: a.rateNum, rateDen: a.rateDen, valueFrom, valueTo },
      );
    }
    if (a.agreementId !== agreementIdOf(a.fromDomain, a.toDomain)) {
      this.violations.add("RULE", "AGREEMENT_ID_MISMATCH", `Agreement ${a.agreementId} was proposed for domains ${a.fromDomain} → ${a.toDomain}.`, e, {
        agreementId: a.agreementId,
      });
    }
    const state = this.state(a.agreementId);
    const sides = this.sidesOf(a.proposer, state);
    if (!sides.from && !sides.to) {
      this.violations.add("I3", "PROPOSED_BY_STRANGER", `Agreement ${a.agreementId} was proposed by ${a.proposer}, the agency of neither side.`, e, {
        agreementId: a.agreementId,
        proposer: a.proposer,
      });
    }
    state.versionsProposed++;
    // Approvals arrive as their own events right after, so the pending version starts unapproved.
    state.pending = {
      version: a.version,
      rateNum: a.rateNum,
      rateDen: a.rateDen,
      periodCap: a.periodCap,
      validFromPeriod: a.validFromPeriod,
      validUntilPeriod: a.validUntilPeriod,
      approvedByFrom: false,
      approvedByTo: false,
    };
  }

  private approve(e: E.AgreementApproved): void {
    const { agreementId, version, domainId, by } = e.args;
    const state = this.state(agreementId);
    this.requirePairRunning(e, state.fromDomain, state.toDomain, `agreement ${agreementId} was approved`);
    const pending = state.pending;
    if (!pending || pending.version !== version) {
      this.violations.add("I3", "APPROVED_NOT_PENDING", `Version ${version} of agreement ${agreementId} was approved but is not pending.`, e, {
        agreementId,
        version,
      });
      return;
    }
    const agency = this.gov.domains.get(domainId)?.agency;
    const isSide = domainId === state.fromDomain || domainId === state.toDomain;
    if (!isSide || agency !== by) {
      this.violations.add(
        "I3",
        "APPROVED_BY_STRANGER",
        `Agreement ${agreementId} v${version} was approved for domain ${domainId} by ${by}, not that side's agency.`,
        e,
        { agreementId, version, domainId, by, agency: agency ?? null },
      );
      return;
    }
    if (domainId === state.fromDomain) pending.approvedByFrom = true;
    if (domainId === state.toDomain) pending.approvedByTo = true;
  }

  private activate(e: E.AgreementActivated): void {
    const { agreementId, version } = e.args;
    const state = this.state(agreementId);
    const pending = state.pending;
    if (!pending || pending.version !== version || !pending.approvedByFrom || !pending.approvedByTo) {
      this.violations.add(
        "I3",
        "ACTIVATED_WITHOUT_APPROVALS",
        `Agreement ${agreementId} v${version} came into force without the approval of both sides.`,
        e,
        {
          agreementId,
          version,
          pendingVersion: pending?.version ?? null,
          approvedByFrom: pending?.approvedByFrom ?? false,
          approvedByTo: pending?.approvedByTo ?? false,
        },
      );
    }
    if (pending && pending.version === version) {
      const { approvedByFrom: _f, approvedByTo: _t, ...terms } = pending;
      state.active = terms;
      state.pending = undefined;
    } else {
      // Keep going with what the event says, so one forged activation does not flag every exchange after it.
      state.active = state.active ? { ...state.active, version } : undefined;
    }
    state.suspendedByFrom = false;
    state.suspendedByTo = false;
    state.versionsActivated++;
  }

  private suspend(e: E.AgreementSuspensionChanged): void {
    const { agreementId, domainId, suspended, by } = e.args;
    const state = this.state(agreementId);
    this.requirePairRunning(e, state.fromDomain, state.toDomain, `agreement ${agreementId}'s suspension changed`);
    const agency = this.gov.domains.get(domainId)?.agency;
    if ((domainId !== state.fromDomain && domainId !== state.toDomain) || agency !== by) {
      this.violations.add("I3", "SUSPENDED_BY_STRANGER", `Agreement ${agreementId}'s suspension was changed by ${by}, not the agency of a side.`, e, {
        agreementId,
        domainId,
        by,
      });
    }
    if (domainId === state.fromDomain) state.suspendedByFrom = suspended;
    if (domainId === state.toDomain) state.suspendedByTo = suspended;
  }

  /** I7: an agreement changes only while neither of its domains (nor the ledger) is paused. */
  private requirePairRunning(e: E.EventPosition, fromDomain: number, toDomain: number, what: string): void {
    this.gov.requireDomainRunning(e, fromDomain, what);
    if (!this.gov.ledgerPaused) this.gov.requireDomainRunning(e, toDomain, what);
  }

  private state(agreementId: bigint): AgreementState {
    let state = this.agreements.get(agreementId);
    if (!state) {
      state = {
        id: agreementId,
        ...agreementDomains(agreementId),
        active: undefined,
        suspendedByFrom: false,
        suspendedByTo: false,
        pending: undefined,
        versionsProposed: 0,
        versionsActivated: 0,
        exchanges: 0,
        amountIn: 0n,
        amountOut: 0n,
      };
      this.agreements.set(agreementId, state);
    }
    return state;
  }

  private sidesOf(account: E.Addr, state: AgreementState): { from: boolean; to: boolean } {
    return {
      from: this.gov.domains.get(state.fromDomain)?.agency === account,
      to: this.gov.domains.get(state.toDomain)?.agency === account,
    };
  }
}
