/**
 * The public ledger's figures (the relay's index of the chain's events) against the browser audit's
 * own, figure by figure. The supply is compared with three figures of the audit: the sum of every
 * balance the contract holds (read from the chain's state), the contract's own total and the total
 * the events give. Storage changed under the contract moves only the first, so a tampered balance
 * shows here as well as in I2. Every figure is compared at the same block: the audit reads the
 * chain as of the block the relay's index had reached (`index.block`).
 */
import type { AuditReport } from "@city-points/sdk/auditor";
import type { LedgerAgreements, LedgerOverview } from "@city-points/sdk/wire";

export type FigureKind =
  | "domains"
  | "supplyBalances"
  | "supplyContract"
  | "supplyEvents"
  | "redeemed"
  | "issuerIssued"
  | "agreementExchanges"
  | "agreementIn"
  | "agreementOut"
  | "periodIssued"
  | "periodOut"
  | "periodIn";

export interface FigureRow {
  kind: FigureKind;
  domainId?: number;
  issuer?: string;
  agreement?: { id: string; fromDomain: number; toDomain: number };
  period?: number;
  /** What the public ledger (the relay) shows; null where it shows nothing for it. */
  relay: string | null;
  /** What the audit worked out from the chain; null where it found nothing. */
  audit: string | null;
  agree: boolean;
}

export interface RelayFigures {
  /** Its all-time figures (supply, issuance per issuer) come from here. */
  overview: LedgerOverview;
  /** Every agreement (`?all=true`), with its exchanges of all time. */
  agreements: LedgerAgreements;
  /** The periods compared one by one: those of an overview covering the periods the audit saw. */
  periods: LedgerOverview["periods"];
}

const big = (v: string | null | undefined) => BigInt(v ?? "0");

function row(kind: FigureKind, relay: string | null, audit: string | null, subject: Omit<FigureRow, "kind" | "relay" | "audit" | "agree"> = {}): FigureRow {
  return { kind, ...subject, relay, audit, agree: relay !== null && audit !== null && big(relay) === big(audit) };
}

/** Every figure of the public ledger the audit can check, each with both values and whether they agree. */
export function compareFigures(report: AuditReport, relay: RelayFigures): FigureRow[] {
  const { overview, agreements, periods } = relay;
  const rows: FigureRow[] = [row("domains", String(overview.domains.length), String(report.domains.length))];
  const audited = new Map(report.domains.map((d) => [d.id, d]));

  // The relay's issued and exchanged totals of all time, from which its redemptions follow.
  const issuedAll = new Map<number, bigint>();
  for (const s of overview.issuers) issuedAll.set(s.domainId, (issuedAll.get(s.domainId) ?? 0n) + big(s.issued));
  const outAll = new Map<number, bigint>();
  const inAll = new Map<number, bigint>();
  for (const a of agreements.agreements) {
    outAll.set(a.fromDomain, (outAll.get(a.fromDomain) ?? 0n) + big(a.amountIn));
    inAll.set(a.toDomain, (inAll.get(a.toDomain) ?? 0n) + big(a.amountOut));
  }

  for (const d of overview.domains) {
    const a = audited.get(d.id);
    const subject = { domainId: d.id };
    rows.push(row("supplyBalances", d.supply, a?.chainBalanceSum ?? null, subject));
    rows.push(row("supplyContract", d.supply, a?.chainSupply ?? null, subject));
    rows.push(row("supplyEvents", d.supply, a?.supply ?? null, subject));
    // supply = issued − redeemed − exchanged out + exchanged in, so redeemed = issued − out + in − supply.
    const redeemed = (issuedAll.get(d.id) ?? 0n) - (outAll.get(d.id) ?? 0n) + (inAll.get(d.id) ?? 0n) - big(d.supply);
    rows.push(row("redeemed", redeemed.toString(), a?.redeemed ?? null, subject));
  }

  const issuerUse = new Map<string, bigint>();
  for (const p of report.periods) {
    for (const [key, used] of Object.entries(p.issuerUse)) issuerUse.set(key.toLowerCase(), (issuerUse.get(key.toLowerCase()) ?? 0n) + big(used));
  }
  for (const s of overview.issuers) {
    const audit = issuerUse.get(`${s.domainId}:${s.issuer}`.toLowerCase());
    rows.push(row("issuerIssued", s.issued, (audit ?? 0n).toString(), { domainId: s.domainId, issuer: s.issuer }));
  }

  const auditedAgreements = new Map(report.agreements.map((a) => [a.id, a]));
  for (const a of agreements.agreements) {
    const b = auditedAgreements.get(a.agreementId);
    const agreement = { agreement: { id: a.agreementId, fromDomain: a.fromDomain, toDomain: a.toDomain } };
    rows.push(row("agreementExchanges", String(a.exchanges), b ? String(b.exchanges) : null, agreement));
    rows.push(row("agreementIn", a.amountIn, b?.amountIn ?? null, agreement));
    rows.push(row("agreementOut", a.amountOut, b?.amountOut ?? null, agreement));
  }

  const auditedPeriods = new Map(report.periods.map((p) => [p.period, p]));
  for (const p of periods) {
    const a = auditedPeriods.get(p.period);
    for (const f of p.domains) {
      const subject = { domainId: f.domainId, period: p.period };
      const key = String(f.domainId);
      rows.push(row("periodIssued", f.issued, a?.issued[key] ?? "0", subject));
      rows.push(row("periodOut", f.exchangedOut, a?.exchangedOut[key] ?? "0", subject));
      rows.push(row("periodIn", f.exchangedIn, a?.exchangedIn[key] ?? "0", subject));
    }
  }
  return rows;
}

/** The periods with activity the audit saw, as the overview window ending with the latest of them (at most `max` periods). */
export function auditedPeriodWindow(report: AuditReport, max: number): { fromPeriod: number; toPeriod: number } | undefined {
  const periods = report.periods.map((p) => p.period);
  if (periods.length === 0) return undefined;
  const toPeriod = Math.max(...periods);
  return { fromPeriod: Math.max(Math.min(...periods), toPeriod - max + 1), toPeriod };
}
