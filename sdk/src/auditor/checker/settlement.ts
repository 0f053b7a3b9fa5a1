/**
 * Settlement rebuilt per period: what each exchange made the source agency owe the destination
 * (`amountOut × pointValue(toDomain)`), the positions the ledger published when the period closed,
 * and the confirmations. I6: the published positions sum to zero and equal the obligations of the
 * period's exchanges; confirmations match open positions.
 */
import type * as E from "../events";
import type { ViolationLog } from "../violations";
import type { GovernanceBook } from "./governance";

export interface Position {
  net: bigint;
  agency: E.Addr;
  confirmed: boolean;
  paymentRef: string | undefined;
}

export interface PeriodState {
  period: number;
  issued: Map<number, bigint>;
  /** Issuer quota use in the period, per domain and issuer. */
  issuerUse: Map<number, Map<E.Addr, bigint>>;
  exchanges: number;
  exchangedOut: Map<number, bigint>;
  exchangedIn: Map<number, bigint>;
  /** Rebuilt net obligation per domain: positive is owed to its agency. */
  obligations: Map<number, bigint>;
  closed: boolean;
  published: Map<number, Position>;
  completed: boolean;
  /** Where the period was closed. */
  closedAt: E.EventPosition | undefined;
}

function add(map: Map<number, bigint>, key: number, amount: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

export class SettlementBook {
  readonly periods = new Map<number, PeriodState>();

  constructor(
    private readonly gov: GovernanceBook,
    private readonly violations: ViolationLog,
  ) {}

  period(period: number): PeriodState {
    let state = this.periods.get(period);
    if (!state) {
      state = {
        period,
        issued: new Map(),
        issuerUse: new Map(),
        exchanges: 0,
        exchangedOut: new Map(),
        exchangedIn: new Map(),
        obligations: new Map(),
        closed: false,
        published: new Map(),
        completed: false,
        closedAt: undefined,
      };
      this.periods.set(period, state);
    }
    return state;
  }

  recordIssuance(e: E.PointsIssued): void {
    const p = this.period(e.args.period);
    add(p.issued, e.args.domainId, e.args.amount);
    let inDomain = p.issuerUse.get(e.args.domainId);
    if (!inDomain) p.issuerUse.set(e.args.domainId, (inDomain = new Map()));
    inDomain.set(e.args.issuer, (inDomain.get(e.args.issuer) ?? 0n) + e.args.amount);
  }

  recordExchange(e: E.PointsExchanged, fromDomain: number, toDomain: number): void {
    const p = this.period(e.args.period);
    p.exchanges++;
    add(p.exchangedOut, fromDomain, e.args.amountIn);
    add(p.exchangedIn, toDomain, e.args.amountOut);
    const owed = e.args.amountOut * (this.gov.domains.get(toDomain)?.pointValue ?? 0n);
    add(p.obligations, fromDomain, -owed);
    add(p.obligations, toDomain, owed);
    if (p.closed) {
      this.violations.add("I6", "EXCHANGE_AFTER_CLOSE", `An exchange was recorded in period ${p.period} after it was settled.`, e, {
        period: p.period,
        owed,
      });
    }
  }

  apply(e: E.AuditEvent): boolean {
    switch (e.name) {
      case "SettlementPublished":
        this.publish(e);
        return true;
      case "PeriodClosed":
        this.close(e);
        return true;
      case "SettlementConfirmed":
        this.confirm(e);
        return true;
      case "SettlementCompleted":
        this.complete(e);
        return true;
      default:
        return false;
    }
  }

  private publish(e: E.SettlementPublished): void {
    const { period, domainId, agency, net } = e.args;
    this.gov.requireLedgerRunning(e, `a settlement position of period ${period} was published`);
    const p = this.period(period);
    if (p.closed || p.published.has(domainId)) {
      this.violations.add("I6", "PUBLISHED_TWICE", `A position of domain ${domainId} was published again for period ${period}.`, e, {
        period,
        domainId,
        net,
      });
    }
    p.published.set(domainId, { net, agency, confirmed: false, paymentRef: undefined });
  }

  private close(e: E.PeriodClosed): void {
    const { period, openPositions } = e.args;
    this.gov.requireLedgerRunning(e, `period ${period} was closed`);
    const p = this.period(period);
    if (p.closed) {
      this.violations.add("I6", "CLOSED_TWICE", `Period ${period} was closed twice.`, e, { period });
      return;
    }
    p.closed = true;
    p.closedAt = e;
    let sum = 0n;
    for (const position of p.published.values()) sum += position.net;
    if (sum !== 0n) {
      this.violations.add("I6", "POSITIONS_DO_NOT_NET", `The positions published for period ${period} sum to ${sum}, not zero.`, e, {
        period,
        sum,
      });
    }
    const domains = new Set([...p.published.keys(), ...p.obligations.keys()]);
    for (const domainId of domains) {
      const published = p.published.get(domainId)?.net ?? 0n;
      const rebuilt = p.obligations.get(domainId) ?? 0n;
      if (published !== rebuilt) {
        this.violations.add(
          "I6",
          "POSITION_MISMATCH",
          `Period ${period}: domain ${domainId}'s published position is ${published}, but its exchanges net to ${rebuilt}.`,
          e,
          { period, domainId, published, rebuilt },
        );
      }
    }
    const nonZero = [...p.published.values()].filter((x) => x.net !== 0n).length;
    if (openPositions !== BigInt(nonZero)) {
      this.violations.add("I6", "OPEN_POSITIONS_MISMATCH", `Period ${period} closed with ${openPositions} open positions; ${nonZero} were published.`, e, {
        period,
        openPositions,
        published: nonZero,
      });
    }
  }

  private confirm(e: E.SettlementConfirmed): void {
    const { period, domainId, agency, paymentRef } = e.args;
    this.gov.requireDomainRunning(e, e.args.domainId, `a settlement of period ${period} was confirmed`);
    const position = this.periods.get(period)?.published.get(domainId);
    const details = { period, domainId, agency };
    if (!this.periods.get(period)?.closed || !position || position.net === 0n) {
      this.violations.add("I6", "CONFIRMED_WITHOUT_POSITION", `Domain ${domainId} confirmed a settlement of period ${period} with no open position.`, e, details);
      return;
    }
    if (position.confirmed) {
      this.violations.add("I6", "CONFIRMED_TWICE", `Domain ${domainId} confirmed its settlement of period ${period} twice.`, e, details);
    }
    const current = this.gov.domains.get(domainId)?.agency;
    if (current !== agency) {
      this.violations.add("I6", "CONFIRMED_BY_STRANGER", `${agency} confirmed domain ${domainId}'s settlement of period ${period}; its agency is ${current}.`, e, details);
    }
    position.confirmed = true;
    position.paymentRef = paymentRef;
  }

  private complete(e: E.SettlementCompleted): void {
    const p = this.period(e.args.period);
    const open = [...p.published.values()].filter((x) => x.net !== 0n && !x.confirmed).length;
    if (!p.closed || open > 0) {
      this.violations.add("I6", "COMPLETED_EARLY", `Period ${p.period}'s settlement was marked complete with ${open} positions unconfirmed.`, e, {
        period: p.period,
        open,
        closed: p.closed,
      });
    }
    p.completed = true;
  }
}
