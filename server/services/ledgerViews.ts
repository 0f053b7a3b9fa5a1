/**
 * The public ledger's reads, answered from the ledger index in the wire shapes of
 * sdk/src/wire/ledger.ts. Each answer is bounded: at most LEDGER_MAX_PERIODS periods, at most
 * LEDGER_MAX_EVENTS_PAGE events, a partner's redemptions of at most 31 days, and the domains, issuers and agreements the council admitted.
 */
import type { z } from "zod";
import { isAgreementInForce } from "../../sdk/src/agreementInForce";
import {
  LEDGER_DEFAULT_EVENTS_PAGE,
  LEDGER_DEFAULT_PERIODS,
  LEDGER_MAX_PERIODS,
  PARTNER_REDEMPTIONS_MAX_SECONDS,
  type DomainPeriodFigures,
  type EventsQuery,
  type LedgerAgreements,
  type LedgerDomainPeriod,
  type LedgerEventsPage,
  type LedgerOverview,
  type LedgerSettlement,
  type LedgerSettlements,
  type OverviewQuery,
  type PartnerRedemptions,
  type PartnerRedemptionsQuery,
  type ledgerClockSchema,
  type settlementSummarySchema,
} from "../../sdk/src/wire/ledger";
import { InvalidRequestError, NotFoundError } from "../errors";
import { expectedPositions, quotaAt, supplyAt, type AgreementState, type AgreementTerms, type DomainState, type SettlementState } from "../indexer/figures";
import type { LedgerIndex } from "../indexer/ledgerIndex";
import { domainToWire } from "./domainWire";

type Clock = z.output<typeof ledgerClockSchema>;

export class LedgerViews {
  constructor(
    private readonly index: LedgerIndex,
    private readonly clockSource: { genesisTime: number; periodSeconds: number },
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * A partner's redemptions whose block time lies in [from, to) (by default the 24 hours up to now),
   * or, with `orderRef`, that order's at any time: whether a payment request was paid.
   */
  partnerRedemptions(partner: string, query: PartnerRedemptionsQuery): PartnerRedemptions {
    const status = this.index.status();
    const now = Math.max(Math.floor(this.now() / 1000), status.blockTime ?? 0) + 1;
    const to = query.to ?? (query.from !== undefined ? Math.min(query.from + PARTNER_REDEMPTIONS_MAX_SECONDS, now) : now);
    const from = query.from ?? Math.max(0, to - 86_400);
    const all = this.index.figures.redemptionsByPartner.get(partner.toLowerCase()) ?? [];
    const chosen = query.orderRef !== undefined ? all.filter((r) => r.orderRef === query.orderRef) : all.slice(firstAtOrAfter(all, from), firstAtOrAfter(all, to));
    return {
      index: status,
      partner: partner.toLowerCase(),
      from: query.orderRef !== undefined ? 0 : from,
      to: query.orderRef !== undefined ? now : to,
      redemptions: chosen.map((r) => ({ ...r, amount: r.amount.toString() })),
    };
  }

  /**
   * The period now: by the relay's clock, or the chain's last block if that is later (a chain whose
   * clock runs ahead, as a test chain's can), so that no event the index holds is in the future.
   */
  clock(): Clock {
    const blockTime = this.index.status().blockTime ?? 0;
    return {
      currentPeriod: this.index.periodAt(Math.max(Math.floor(this.now() / 1000), blockTime)),
      periodSeconds: this.clockSource.periodSeconds,
      genesisTime: this.clockSource.genesisTime,
    };
  }

  private startsAt(period: number): number {
    return this.clockSource.genesisTime + period * this.clockSource.periodSeconds;
  }

  /** The periods a request asks for: by default the current one and the 11 before it. */
  private window(query: OverviewQuery, clock: Clock): { fromPeriod: number; toPeriod: number } {
    const toPeriod = query.toPeriod ?? Math.max(clock.currentPeriod, query.fromPeriod ?? 0);
    if (toPeriod > clock.currentPeriod) {
      throw new InvalidRequestError(`toPeriod ${toPeriod} has not begun: the current period is ${clock.currentPeriod}`, { details: [{ path: "query.toPeriod", message: "after the current period" }] });
    }
    const fromPeriod = query.fromPeriod ?? Math.max(0, toPeriod - (LEDGER_DEFAULT_PERIODS - 1));
    if (fromPeriod > toPeriod) {
      throw new InvalidRequestError(`fromPeriod ${fromPeriod} is after toPeriod ${toPeriod}`, { details: [{ path: "query.fromPeriod", message: "after toPeriod" }] });
    }
    if (toPeriod - fromPeriod + 1 > LEDGER_MAX_PERIODS) {
      throw new InvalidRequestError(`at most ${LEDGER_MAX_PERIODS} periods per request (asked ${toPeriod - fromPeriod + 1})`, { details: [{ path: "query.fromPeriod", message: `span over ${LEDGER_MAX_PERIODS}` }] });
    }
    return { fromPeriod, toPeriod };
  }

  private domainState(id: number): DomainState {
    const d = this.index.figures.domains.get(id);
    if (!d) throw new NotFoundError(`no domain ${id} on the ledger (as of block ${this.index.status().block})`);
    return d;
  }

  private begun(period: number, clock: Clock): void {
    if (period > clock.currentPeriod) throw new NotFoundError(`period ${period} has not begun: the current period is ${clock.currentPeriod}`);
  }

  overview(query: OverviewQuery): LedgerOverview {
    const clock = this.clock();
    const { fromPeriod, toPeriod } = this.window(query, clock);
    const f = this.index.figures;
    const domains = sortedDomains(f.domains);
    const range = periodsBetween(fromPeriod, toPeriod);
    return {
      index: this.index.status(),
      clock,
      fromPeriod,
      toPeriod,
      domains: domains.map(domainToWire),
      periods: range.map((period) => ({ period, startsAt: this.startsAt(period), domains: domains.map((d) => figuresOf(d, period)) })),
      issuers: [...f.issuers.values()]
        .filter((s) => s.admitted || s.issued > 0n)
        .sort((a, b) => a.domainId - b.domainId || a.issuer.localeCompare(b.issuer))
        .map((s) => ({
          domainId: s.domainId,
          issuer: s.issuer,
          quota: s.quota.toString(),
          admitted: s.admitted,
          suspended: s.suspended,
          issued: s.issued.toString(),
          periods: range.map((period) => ({ period, issued: (s.issuedByPeriod.get(period) ?? 0n).toString(), quota: quotaAt(s, period).toString() })),
        })),
      agreements: sortedAgreements(f.agreements)
        .filter((a) => a.current !== undefined || a.total.count > 0)
        .map((a) => ({
          agreementId: a.id.toString(),
          fromDomain: a.fromDomain,
          toDomain: a.toDomain,
          periods: range.map((period) => {
            const t = a.byPeriod.get(period);
            return { period, exchanges: t?.count ?? 0, amountIn: (t?.amountIn ?? 0n).toString(), amountOut: (t?.amountOut ?? 0n).toString() };
          }),
        })),
      settlements: this.summaries(range),
    };
  }

  agreements(all: boolean): LedgerAgreements {
    const clock = this.clock();
    const list = sortedAgreements(this.index.figures.agreements).map((a) => presentAgreement(a, clock.currentPeriod));
    return { index: this.index.status(), clock, agreements: all ? list : list.filter((a) => a.inForce) };
  }

  settlements(query: OverviewQuery): LedgerSettlements {
    const clock = this.clock();
    const { fromPeriod, toPeriod } = this.window(query, clock);
    return { index: this.index.status(), clock, fromPeriod, toPeriod, settlements: this.summaries(periodsBetween(fromPeriod, toPeriod)) };
  }

  private summaries(range: number[]): z.output<typeof settlementSummarySchema>[] {
    const out: z.output<typeof settlementSummarySchema>[] = [];
    for (const period of range) {
      const s = this.index.figures.settlements.get(period);
      if (!s || (s.exchanges === 0 && !s.closed)) continue;
      const published = [...s.published.values()];
      out.push({
        period,
        exchanges: s.exchanges,
        closed: s.closed,
        completed: s.completed,
        positions: s.closed ? published.length : [...expectedPositions(s).values()].filter((n) => n !== 0n).length,
        confirmed: published.filter((p) => p.confirmed).length,
      });
    }
    return out;
  }

  settlement(period: number): LedgerSettlement {
    const clock = this.clock();
    this.begun(period, clock);
    const s: SettlementState = this.index.figures.settlements.get(period) ?? {
      period,
      exchanges: 0,
      obligations: new Map(),
      closed: false,
      closedIn: null,
      published: new Map(),
      completed: false,
    };
    const expected = expectedPositions(s);
    const ids = [...new Set([...expected.keys(), ...s.published.keys()])].sort((a, b) => a - b);
    return {
      index: this.index.status(),
      clock,
      period,
      startsAt: this.startsAt(period),
      endsAt: this.startsAt(period + 1),
      exchanges: s.exchanges,
      closed: s.closed,
      completed: s.completed,
      closedIn: s.closedIn,
      positions: ids
        .map((domainId) => {
          const p = s.published.get(domainId);
          return {
            domainId,
            expected: (expected.get(domainId) ?? 0n).toString(),
            published: p ? p.net.toString() : null,
            agency: p?.agency ?? this.index.figures.domains.get(domainId)?.agency ?? null,
            confirmed: p?.confirmed ?? false,
            paymentRef: p?.paymentRef ?? null,
          };
        })
        .filter((p) => p.expected !== "0" || p.published !== null),
      obligations: [...s.obligations.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, o]) => {
          const a = this.index.figures.agreements.get(id);
          return { agreementId: id.toString(), fromDomain: a?.fromDomain ?? 0, toDomain: a?.toDomain ?? 0, exchanges: o.count, amountOut: o.amountOut.toString(), value: o.value.toString() };
        }),
    };
  }

  domainPeriod(domainId: number, period: number): LedgerDomainPeriod {
    const clock = this.clock();
    const d = this.domainState(domainId);
    this.begun(period, clock);
    const p = d.periods.get(period);
    const issuers = [...this.index.figures.issuers.values()].filter((s) => s.domainId === domainId);
    return {
      index: this.index.status(),
      clock,
      domain: domainToWire(d),
      period,
      startsAt: this.startsAt(period),
      figures: figuresOf(d, period),
      issuers: issuers
        .map((s) => {
          const t = p?.byIssuer.get(s.issuer);
          return { issuer: s.issuer, issuances: t?.count ?? 0, issued: (t?.amount ?? 0n).toString(), quota: quotaAt(s, period).toString() };
        })
        .filter((i) => i.issuances > 0 || i.quota !== "0"),
      partners: [...(p?.byPartner ?? new Map()).entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([partner, t]) => ({ partner, redemptions: t.count, redeemed: t.amount.toString() })),
      agreements: [...(p?.byAgreement ?? new Map()).entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, t]) => {
          const a = this.index.figures.agreements.get(id)!;
          return { agreementId: id.toString(), fromDomain: a.fromDomain, toDomain: a.toDomain, exchanges: t.count, amountIn: t.amountIn.toString(), amountOut: t.amountOut.toString() };
        }),
    };
  }

  events(domainId: number, period: number, query: EventsQuery): LedgerEventsPage {
    const clock = this.clock();
    const d = this.domainState(domainId);
    this.begun(period, clock);
    const events = d.periods.get(period)?.events ?? [];
    const limit = query.limit ?? LEDGER_DEFAULT_EVENTS_PAGE;
    let start = 0;
    if (query.after) {
      const [block, logIndex] = query.after.split("-").map(Number);
      start = firstAfter(events, block, logIndex);
    }
    const page = events.slice(start, start + limit);
    const last = page[page.length - 1];
    return {
      index: this.index.status(),
      domainId,
      period,
      total: events.length,
      events: page,
      next: start + limit < events.length && last ? `${last.blockNumber}-${last.logIndex}` : null,
    };
  }
}

function periodsBetween(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function sortedDomains(domains: Map<number, DomainState>): DomainState[] {
  return [...domains.values()].sort((a, b) => a.id - b.id);
}

function sortedAgreements(agreements: Map<bigint, AgreementState>): AgreementState[] {
  return [...agreements.values()].sort((a, b) => a.fromDomain - b.fromDomain || a.toDomain - b.toDomain);
}

function figuresOf(d: DomainState, period: number): DomainPeriodFigures {
  const p = d.periods.get(period);
  return {
    domainId: d.id,
    issued: (p?.issued ?? 0n).toString(),
    redeemed: (p?.redeemed ?? 0n).toString(),
    exchangedIn: (p?.exchangedIn ?? 0n).toString(),
    exchangedOut: (p?.exchangedOut ?? 0n).toString(),
    transferred: (p?.transferred ?? 0n).toString(),
    supply: supplyAt(d, period).toString(),
    events: p?.events.length ?? 0,
  };
}

function presentTerms(t: AgreementTerms) {
  return {
    version: t.version,
    rateNum: Number(t.rateNum),
    rateDen: Number(t.rateDen),
    periodCap: t.periodCap.toString(),
    validFromPeriod: t.validFromPeriod,
    validUntilPeriod: t.validUntilPeriod,
  };
}

function presentAgreement(a: AgreementState, currentPeriod: number): LedgerAgreements["agreements"][number] {
  const current = a.current !== undefined ? a.versions.get(a.current) : undefined;
  const pending = a.pending !== undefined ? a.versions.get(a.pending) : undefined;
  return {
    agreementId: a.id.toString(),
    fromDomain: a.fromDomain,
    toDomain: a.toDomain,
    inForce: isAgreementInForce({ current, suspendedByFrom: a.suspendedByFrom, suspendedByTo: a.suspendedByTo }, currentPeriod),
    ...(current ? { current: presentTerms(current) } : {}),
    ...(pending ? { pending: { ...presentTerms(pending), approvedByFrom: a.pendingApprovedByFrom, approvedByTo: a.pendingApprovedByTo } } : {}),
    suspendedByFrom: a.suspendedByFrom,
    suspendedByTo: a.suspendedByTo,
    usedThisPeriod: (a.byPeriod.get(currentPeriod)?.amountIn ?? 0n).toString(),
    exchanges: a.total.count,
    amountIn: a.total.amountIn.toString(),
    amountOut: a.total.amountOut.toString(),
  };
}

/** The position of the first event after (block, logIndex), by binary search: events are in chain order. */
function firstAfter(events: { blockNumber: number; logIndex: number }[], block: number, logIndex: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = events[mid];
    if (e.blockNumber < block || (e.blockNumber === block && e.logIndex <= logIndex)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first entry at or after `time` in a list ordered by time (block order). */
function firstAtOrAfter(list: readonly { time: number }[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
