/**
 * The ledger's public figures, folded from its events in chain order: per domain and period what
 * was issued, redeemed, exchanged in and out and transferred, and the supply at the period's end;
 * issuance per issuer against its quota; exchanges per agreement and its terms; settlement per
 * period (what the exchanges net to, what closing published, what was confirmed); and each domain's
 * events per period, for drill-down. Nothing here reads the chain: the ledger index (ledgerIndex.ts) feeds
 * it, and the ledger views (services/ledgerViews.ts) present it.
 *
 * This is the relay's own fold, written apart from the SDK's auditor on purpose: the public ledger
 * shows these figures, and the auditor (in a terminal, and later in the browser) rebuilds them
 * independently to check them.
 */
import { agreementDomains } from "../../sdk/src/agreementId";
import type { AuditEvent, LedgerEvent } from "../../sdk/src/auditor/events";
import type { DecodedValue } from "../../sdk/src/wire/ledger";
import { toDecodedArgs } from "./decodedValue";
import type { Terms } from "../../sdk/src/auditor/checker/agreements";

/** One event as the drill-down lists it. */
export interface IndexedEvent {
  name: string;
  contract: "ledger";
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  time: number | null;
  args: Record<string, DecodedValue>;
}

export interface Tally {
  count: number;
  amount: bigint;
}

export interface AgreementTally {
  count: number;
  amountIn: bigint;
  amountOut: bigint;
}

/** A domain's figures in one period. */
export interface PeriodFigures {
  issued: bigint;
  redeemed: bigint;
  exchangedIn: bigint;
  exchangedOut: bigint;
  transferred: bigint;
  /** Supply after the period's last event. */
  supplyEnd: bigint;
  events: IndexedEvent[];
  byIssuer: Map<string, Tally>;
  byPartner: Map<string, Tally>;
  byAgreement: Map<bigint, AgreementTally>;
}

export interface DomainState {
  id: number;
  name: string;
  agency: string;
  pointValue: bigint;
  residentCap: bigint;
  transferable: boolean;
  paused: boolean;
  supply: bigint;
  periods: Map<number, PeriodFigures>;
  /** Periods with events, ascending. */
  order: number[];
}

export interface IssuerState {
  domainId: number;
  issuer: string;
  quota: bigint;
  admitted: boolean;
  suspended: boolean;
  /** Each quota set, by the period it was set in, ascending. */
  quotaHistory: { period: number; quota: bigint }[];
  issuedByPeriod: Map<number, bigint>;
  issued: bigint;
}

/** An agreement version's terms: the auditor's shape, so both fold the same events into the same terms. */
export type AgreementTerms = Terms;

export interface AgreementState {
  id: bigint;
  fromDomain: number;
  toDomain: number;
  versions: Map<number, AgreementTerms>;
  current?: number;
  pending?: number;
  pendingApprovedByFrom: boolean;
  pendingApprovedByTo: boolean;
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
  byPeriod: Map<number, AgreementTally>;
  total: AgreementTally;
}

export interface PublishedPosition {
  net: bigint;
  agency: string;
  confirmed: boolean;
  paymentRef: string | null;
}

export interface SettlementState {
  period: number;
  exchanges: number;
  /** Per agreement: exchanges, points out and the value owed (amountOut × pointValue(to)). */
  obligations: Map<bigint, { count: number; amountOut: bigint; value: bigint }>;
  closed: boolean;
  closedIn: string | null;
  published: Map<number, PublishedPosition>;
  completed: boolean;
}

/** One redemption at a partner, as the index keeps it. */
export interface PartnerRedemptionEntry {
  domainId: number;
  resident: string;
  amount: bigint;
  orderRef: string;
  transactionHash: string;
  blockNumber: number;
  logIndex: number;
  time: number;
}

const tally = (): Tally => ({ count: 0, amount: 0n });
const agreementTally = (): AgreementTally => ({ count: 0, amountIn: 0n, amountOut: 0n });

export class LedgerFigures {
  readonly domains = new Map<number, DomainState>();
  readonly issuers = new Map<string, IssuerState>();
  readonly agreements = new Map<bigint, AgreementState>();
  readonly settlements = new Map<number, SettlementState>();
  /** Each partner's redemptions (lowercase address), in chain order: the partners' checkout reads them by time. */
  readonly redemptionsByPartner = new Map<string, PartnerRedemptionEntry[]>();
  ledgerPaused = false;
  eventCount = 0;

  /**
   * Folds one ledger event. `period` is the period of its block (the event's own for issuances and
   * exchanges, which state it); `time` the block's time where known.
   */
  apply(e: AuditEvent, period: number, time: number | null): void {
    if (!isLedgerEvent(e)) return;
    this.eventCount++;
    const entry: IndexedEvent = {
      name: e.name,
      contract: "ledger",
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      transactionHash: e.transactionHash,
      time,
      args: toDecodedArgs(e.args as Record<string, unknown>),
    };
    this.fold(e, period);
    for (const domainId of domainsOf(e)) this.bucket(domainId, period)?.events.push(entry);
    if (e.name === "PointsRedeemed" && time !== null) {
      const partner = e.args.partner.toLowerCase();
      let list = this.redemptionsByPartner.get(partner);
      if (!list) this.redemptionsByPartner.set(partner, (list = []));
      const { domainId, resident, amount, orderRef } = e.args;
      list.push({ domainId, resident, amount, orderRef: orderRef.toLowerCase(), transactionHash: e.transactionHash, blockNumber: e.blockNumber, logIndex: e.logIndex, time });
    }
  }

  /** The domain's figures in `period`, creating them (undefined for an unknown domain). */
  private bucket(domainId: number, period: number): PeriodFigures | undefined {
    const d = this.domains.get(domainId);
    if (!d) return undefined;
    let p = d.periods.get(period);
    if (!p) {
      p = {
        issued: 0n,
        redeemed: 0n,
        exchangedIn: 0n,
        exchangedOut: 0n,
        transferred: 0n,
        supplyEnd: supplyAt(d, period),
        events: [],
        byIssuer: new Map(),
        byPartner: new Map(),
        byAgreement: new Map(),
      };
      d.periods.set(period, p);
      // Events come in block order, so a new period is almost always the last; keep the order anyway.
      let i = d.order.length;
      while (i > 0 && d.order[i - 1] > period) i--;
      d.order.splice(i, 0, period);
    }
    return p;
  }

  /** Changes a domain's supply from `period` on. */
  private moveSupply(domainId: number, period: number, delta: bigint): void {
    const d = this.domains.get(domainId);
    if (!d) return;
    d.supply += delta;
    for (let i = d.order.length - 1; i >= 0 && d.order[i] >= period; i--) d.periods.get(d.order[i])!.supplyEnd += delta;
  }

  private settlement(period: number): SettlementState {
    let s = this.settlements.get(period);
    if (!s) {
      s = { period, exchanges: 0, obligations: new Map(), closed: false, closedIn: null, published: new Map(), completed: false };
      this.settlements.set(period, s);
    }
    return s;
  }

  private issuer(domainId: number, issuer: string): IssuerState {
    const key = `${domainId}:${issuer}`;
    let s = this.issuers.get(key);
    if (!s) {
      s = { domainId, issuer, quota: 0n, admitted: false, suspended: false, quotaHistory: [], issuedByPeriod: new Map(), issued: 0n };
      this.issuers.set(key, s);
    }
    return s;
  }

  private agreement(id: bigint): AgreementState {
    let a = this.agreements.get(id);
    if (!a) {
      const { fromDomain, toDomain } = agreementDomains(id);
      a = {
        id,
        fromDomain,
        toDomain,
        versions: new Map(),
        pendingApprovedByFrom: false,
        pendingApprovedByTo: false,
        suspendedByFrom: false,
        suspendedByTo: false,
        byPeriod: new Map(),
        total: agreementTally(),
      };
      this.agreements.set(id, a);
    }
    return a;
  }

  private fold(e: LedgerEvent, period: number): void {
    switch (e.name) {
      case "DomainCreated": {
        const a = e.args;
        this.domains.set(a.domainId, {
          id: a.domainId,
          name: a.name,
          agency: a.agency,
          pointValue: a.pointValue,
          residentCap: a.residentCap,
          transferable: a.transferable,
          paused: false,
          supply: 0n,
          periods: new Map(),
          order: [],
        });
        return;
      }
      case "DomainAgencyChanged":
        return this.withDomain(e.args.domainId, (d) => (d.agency = e.args.agency));
      case "ResidentCapChanged":
        return this.withDomain(e.args.domainId, (d) => (d.residentCap = e.args.residentCap));
      case "TransferPolicyChanged":
        return this.withDomain(e.args.domainId, (d) => (d.transferable = e.args.transferable));
      case "DomainPaused":
      case "DomainUnpaused":
        return this.withDomain(e.args.domainId, (d) => (d.paused = e.name === "DomainPaused"));
      case "LedgerPaused":
      case "LedgerUnpaused":
        this.ledgerPaused = e.name === "LedgerPaused";
        return;
      case "IssuerQuotaSet": {
        const s = this.issuer(e.args.domainId, e.args.issuer);
        s.admitted = true;
        s.quota = e.args.quota;
        s.quotaHistory.push({ period, quota: e.args.quota });
        return;
      }
      case "IssuerRemoved": {
        const s = this.issuer(e.args.domainId, e.args.issuer);
        s.admitted = false;
        s.suspended = false;
        s.quota = 0n;
        s.quotaHistory.push({ period, quota: 0n });
        return;
      }
      case "IssuerSuspended":
      case "IssuerReinstated":
        this.issuer(e.args.domainId, e.args.issuer).suspended = e.name === "IssuerSuspended";
        return;
      case "PointsIssued": {
        const { domainId, issuer, amount } = e.args;
        const p = this.bucket(domainId, e.args.period);
        if (!p) return;
        p.issued += amount;
        add(p.byIssuer, issuer, amount);
        const s = this.issuer(domainId, issuer);
        s.issued += amount;
        s.issuedByPeriod.set(e.args.period, (s.issuedByPeriod.get(e.args.period) ?? 0n) + amount);
        this.moveSupply(domainId, e.args.period, amount);
        return;
      }
      case "PointsRedeemed": {
        const p = this.bucket(e.args.domainId, period);
        if (!p) return;
        p.redeemed += e.args.amount;
        add(p.byPartner, e.args.partner, e.args.amount);
        this.moveSupply(e.args.domainId, period, -e.args.amount);
        return;
      }
      case "PointsTransferred": {
        const p = this.bucket(e.args.domainId, period);
        if (p) p.transferred += e.args.amount;
        return;
      }
      case "PointsExchanged":
        return this.exchange(e.args.agreementId, e.args.period, e.args.amountIn, e.args.amountOut);
      case "AgreementProposed": {
        const a = this.agreement(e.args.agreementId);
        const t = e.args;
        a.versions.set(t.version, {
          version: t.version,
          rateNum: t.rateNum,
          rateDen: t.rateDen,
          periodCap: t.periodCap,
          validFromPeriod: t.validFromPeriod,
          validUntilPeriod: t.validUntilPeriod,
        });
        a.pending = t.version;
        a.pendingApprovedByFrom = false;
        a.pendingApprovedByTo = false;
        return;
      }
      case "AgreementApproved": {
        const a = this.agreement(e.args.agreementId);
        if (a.pending !== e.args.version) return;
        if (e.args.domainId === a.fromDomain) a.pendingApprovedByFrom = true;
        if (e.args.domainId === a.toDomain) a.pendingApprovedByTo = true;
        return;
      }
      case "AgreementActivated": {
        // As the ledger's _activate: the version is in force, nothing is pending, suspensions lapse.
        const a = this.agreement(e.args.agreementId);
        a.current = e.args.version;
        a.pending = undefined;
        a.pendingApprovedByFrom = a.pendingApprovedByTo = false;
        a.suspendedByFrom = a.suspendedByTo = false;
        return;
      }
      case "AgreementSuspensionChanged": {
        const a = this.agreement(e.args.agreementId);
        if (e.args.domainId === a.fromDomain) a.suspendedByFrom = e.args.suspended;
        if (e.args.domainId === a.toDomain) a.suspendedByTo = e.args.suspended;
        return;
      }
      case "PeriodClosed": {
        const s = this.settlement(e.args.period);
        s.closed = true;
        s.closedIn = e.transactionHash;
        return;
      }
      case "SettlementPublished":
        this.settlement(e.args.period).published.set(e.args.domainId, { net: e.args.net, agency: e.args.agency, confirmed: false, paymentRef: null });
        return;
      case "SettlementConfirmed": {
        const position = this.settlement(e.args.period).published.get(e.args.domainId);
        if (position) {
          position.confirmed = true;
          position.paymentRef = e.args.paymentRef;
        }
        return;
      }
      case "SettlementCompleted":
        this.settlement(e.args.period).completed = true;
        return;
      default:
        return;
    }
  }

  private exchange(agreementId: bigint, period: number, amountIn: bigint, amountOut: bigint): void {
    const a = this.agreement(agreementId);
    const from = this.bucket(a.fromDomain, period);
    const to = this.bucket(a.toDomain, period);
    if (from) {
      from.exchangedOut += amountIn;
      addAgreement(from.byAgreement, agreementId, amountIn, amountOut);
    }
    if (to) {
      to.exchangedIn += amountOut;
      addAgreement(to.byAgreement, agreementId, amountIn, amountOut);
    }
    this.moveSupply(a.fromDomain, period, -amountIn);
    this.moveSupply(a.toDomain, period, amountOut);
    addAgreement(a.byPeriod, period, amountIn, amountOut);
    a.total.count++;
    a.total.amountIn += amountIn;
    a.total.amountOut += amountOut;
    const s = this.settlement(period);
    s.exchanges++;
    const owed = s.obligations.get(agreementId) ?? { count: 0, amountOut: 0n, value: 0n };
    owed.count++;
    owed.amountOut += amountOut;
    owed.value += amountOut * (this.domains.get(a.toDomain)?.pointValue ?? 0n);
    s.obligations.set(agreementId, owed);
  }

  private withDomain(domainId: number, change: (d: DomainState) => unknown): void {
    const d = this.domains.get(domainId);
    if (d) change(d);
  }
}

/** A domain's supply at the end of `period`: after the last period with events up to it. */
export function supplyAt(d: DomainState, period: number): bigint {
  let lo = 0;
  let hi = d.order.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (d.order[mid] <= period) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 0n : d.periods.get(d.order[found])!.supplyEnd;
}

/** The issuer's quota in force at the end of `period`. */
export function quotaAt(s: IssuerState, period: number): bigint {
  let quota = 0n;
  for (const q of s.quotaHistory) {
    if (q.period > period) break;
    quota = q.quota;
  }
  return quota;
}

/** What each domain nets to from a period's exchanges (positive: owed to its agency). */
export function expectedPositions(s: SettlementState): Map<number, bigint> {
  const net = new Map<number, bigint>();
  for (const [id, owed] of s.obligations) {
    const { fromDomain, toDomain } = agreementDomains(id);
    net.set(fromDomain, (net.get(fromDomain) ?? 0n) - owed.value);
    net.set(toDomain, (net.get(toDomain) ?? 0n) + owed.value);
  }
  return net;
}

const COUNCIL_EVENTS = new Set(["ProposalCreated", "ProposalApproved", "ProposalApprovalRevoked", "ProposalExecuted", "MemberAdded", "MemberRemoved", "ThresholdChanged"]);

function isLedgerEvent(e: AuditEvent): e is LedgerEvent {
  return !COUNCIL_EVENTS.has(e.name);
}

/** The domains an event belongs to in the drill-down: both sides of an agreement, or its domain. */
export function domainsOf(e: AuditEvent): number[] {
  const args = e.args as { agreementId?: bigint; domainId?: number };
  if (typeof args.agreementId === "bigint") {
    const { fromDomain, toDomain } = agreementDomains(args.agreementId);
    return [fromDomain, toDomain];
  }
  return typeof args.domainId === "number" ? [args.domainId] : [];
}

function add(map: Map<string, Tally>, key: string, amount: bigint): void {
  const t = map.get(key) ?? tally();
  t.count++;
  t.amount += amount;
  map.set(key, t);
}

function addAgreement<K>(map: Map<K, AgreementTally>, key: K, amountIn: bigint, amountOut: bigint): void {
  const t = map.get(key) ?? agreementTally();
  t.count++;
  t.amountIn += amountIn;
  t.amountOut += amountOut;
  map.set(key, t);
}
