/**
 * The audit report: JSON-ready (amounts as decimal strings), with totals per domain, agency,
 * period and agreement and every violation; and its human summary.
 */
import type { InvariantId, Violation } from "./violations";

export const AUDIT_REPORT_FORMAT = "city-points-audit/1";

export interface DomainReport {
  id: number;
  name: string;
  agency: string;
  pointValue: string;
  residentCap: string;
  transferable: boolean;
  paused: boolean;
  issued: string;
  redeemed: string;
  exchangedIn: string;
  exchangedOut: string;
  transferred: string;
  /** issued − redeemed − exchangedOut + exchangedIn, from the events. */
  supply: string;
  /** `domain(id).supply` on chain. */
  chainSupply: string | null;
  /** Sum of the contract's `balanceOf` over every account the events name. */
  chainBalanceSum: string | null;
  accounts: number;
  holders: number;
}

export interface AgencyReport {
  address: string;
  /** Domains whose agency this address is. */
  domains: number[];
  /** Points issued with this address as issuer. */
  issued: string;
  /** Sum of this agency's published settlement positions (positive: owed to it). */
  settlementNet: string;
  confirmedPositions: number;
  openPositions: number;
}

export interface PositionReport {
  net: string;
  agency: string;
  confirmed: boolean;
  paymentRef: string | null;
}

export interface PeriodReport {
  period: number;
  issued: Record<string, string>;
  /** Quota use per issuer, keyed `domainId:issuer`. */
  issuerUse: Record<string, string>;
  exchanges: number;
  exchangedOut: Record<string, string>;
  exchangedIn: Record<string, string>;
  /** Rebuilt net obligations per domain (positive: owed to the domain's agency). */
  obligations: Record<string, string>;
  closed: boolean;
  published: Record<string, PositionReport>;
  completed: boolean;
}

export interface AgreementReport {
  id: string;
  fromDomain: number;
  toDomain: number;
  version: number;
  rateNum: string | null;
  rateDen: string | null;
  periodCap: string | null;
  validFromPeriod: number | null;
  validUntilPeriod: number | null;
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
  pendingVersion: number | null;
  versionsProposed: number;
  versionsActivated: number;
  exchanges: number;
  amountIn: string;
  amountOut: string;
}

/** Assisted operations of one community station, rebuilt from the stations contract's events. */
export interface StationReport {
  id: number;
  name: string;
  dailyLimit: number;
  active: boolean;
  /** Staff appointed at the audited block (passkey accounts, lower-case). */
  staff: string[];
  assisted: number;
  byKind: { enrolment: number; exchange: number; redemption: number };
  /** Per settlement period (operations whose block time is known). */
  byPeriod: { period: number; enrolment: number; exchange: number; redemption: number }[];
  /** Per UTC day, as the contract counts against the daily limit. */
  byDay: { day: number; date: string; count: number }[];
  /** Per staff member who stamped, most first (former staff included). */
  byStaff: { staff: string; count: number }[];
}

export interface AuditReport {
  format: typeof AUDIT_REPORT_FORMAT;
  ok: boolean;
  chainId: number;
  ledger: string;
  council: string;
  fromBlock: number;
  toBlock: number;
  startedAt: string;
  seconds: number;
  /** `periodsChecked`: issuances and exchanges whose period was checked against the block time (nodes that give it). */
  events: { total: number; byName: Record<string, number>; unknown: number; pages: number; periodsChecked: number };
  balanceReads: { accounts: number; nonces: number; method: string };
  domains: DomainReport[];
  agencies: AgencyReport[];
  periods: PeriodReport[];
  agreements: AgreementReport[];
  claimsUsed: number;
  intents: { exchanges: number; redemptions: number; transfers: number };
  /**
   * Passkey accounts rebuilt from the registry's events: accounts, credentials ever seen (active,
   * revoked or proposed), assertions whose P-256 signature was verified again, and intents they authorised.
   */
  passkeys: { accounts: number; credentials: number; assertionsVerified: number; intentsAuthorised: number };
  /** Community stations and their assisted operations; absent for a deployment without the stations contract. */
  stations?: { contract: string; registrar: string | null; assisted: number; list: StationReport[] };
  governance: {
    ledgerPaused: boolean;
    pauses: number;
    councilMembers: string[];
    councilThreshold: string;
    /** Seconds a proposal lives (the council's latest ProposalLifetimeChanged). */
    proposalLifetime: string;
    proposals: number;
    proposalsExecuted: number;
    councilRole: string[];
    pauserRole: string[];
  };
  violationCounts: Record<InvariantId, number>;
  violationTotal: number;
  violations: Violation[];
  /** True when more violations were found than kept (`maxViolations`). */
  violationsTruncated: boolean;
}

const INVARIANT_TEXT: Record<InvariantId, string> = {
  I1: "supply = issued − redeemed − exchanged out + exchanged in",
  I2: "every rebuilt balance equals the contract's",
  I3: "exchanges at an agreement in force, approved by both, at its rate, creating no value",
  I4: "claim ids and intent nonces used once",
  I5: "issuer quotas and resident caps respected",
  I6: "settlement positions net to zero",
  I7: "nothing changed in a paused domain but what the pause allows",
  I8: "council changes by proposals approved and executed as proposed; our code deployed",
  RULE: "other ledger rules",
};

/** A few lines for a person: what was read, the totals, and each violation. */
export function formatAuditSummary(report: AuditReport, options: { maxViolations?: number } = {}): string {
  const lines: string[] = [];
  lines.push(
    `Audit of ledger ${report.ledger} on chain ${report.chainId}, blocks ${report.fromBlock}..${report.toBlock}: ` +
      `${report.events.total} events, ${report.balanceReads.accounts} balances read (${report.balanceReads.method}), ${report.seconds.toFixed(2)} s.`,
  );
  lines.push("");
  const header = ["issued", "redeemed", "exch. out", "exch. in", "supply", "on chain", "accounts"];
  lines.push(["domain".padEnd(13), ...header.map((h) => h.padStart(11))].join(" "));
  for (const d of report.domains) {
    lines.push(
      [
        `${d.id} ${d.name}`.padEnd(13),
        d.issued.padStart(11),
        d.redeemed.padStart(11),
        d.exchangedOut.padStart(11),
        d.exchangedIn.padStart(11),
        d.supply.padStart(11),
        (d.chainSupply ?? "-").padStart(11),
        String(d.accounts).padStart(11),
      ].join(" ") + (d.paused ? "  (paused)" : ""),
    );
  }
  const closed = report.periods.filter((p) => p.closed).length;
  lines.push("");
  lines.push(
    `${report.periods.length} periods (${closed} settled), ${report.agreements.length} agreements, ${report.claimsUsed} claims, ` +
      `${report.intents.exchanges} exchanges, ${report.intents.redemptions} redemptions, ${report.intents.transfers} transfers.`,
  );
  if (report.passkeys.accounts > 0) {
    lines.push(
      `${report.passkeys.accounts} passkey accounts, ${report.passkeys.credentials} credentials; ${report.passkeys.assertionsVerified} passkey signatures verified again, ` +
        `${report.passkeys.intentsAuthorised} intents authorised by them.`,
    );
  }
  if (report.stations && report.stations.list.length > 0) lines.push("", ...formatStations(report.stations.list));
  lines.push("");
  for (const id of Object.keys(INVARIANT_TEXT) as InvariantId[]) {
    const n = report.violationCounts[id];
    if (id === "RULE" && n === 0) continue;
    lines.push(`${n === 0 ? "ok  " : "FAIL"} ${id} ${INVARIANT_TEXT[id]}${n === 0 ? "" : `: ${n} violation${n === 1 ? "" : "s"}`}`);
  }
  const shown = report.violations.slice(0, options.maxViolations ?? 20);
  if (shown.length > 0) {
    lines.push("");
    for (const v of shown) {
      const where = v.blockNumber === null ? "" : ` (block ${v.blockNumber}${v.transactionHash ? `, tx ${v.transactionHash}` : ""})`;
      lines.push(`${v.invariant} ${v.code}: ${v.message}${where}`);
    }
    if (report.violationTotal > shown.length) lines.push(`... and ${report.violationTotal - shown.length} more (see the JSON report).`);
  }
  lines.push("");
  lines.push(report.ok ? "RESULT: no violations." : `RESULT: ${report.violationTotal} violation${report.violationTotal === 1 ? "" : "s"}.`);
  return lines.join("\n");
}

/** The stations' lines of the summary: each station's assisted operations by kind, then per period and per staff member. */
function formatStations(stations: StationReport[]): string[] {
  const lines = [`${stations.length} community station${stations.length === 1 ? "" : "s"}; assisted operations (enrolments, exchanges, redemptions):`];
  for (const s of stations) {
    const k = s.byKind;
    lines.push(`  station ${s.id} ${s.name}: ${s.assisted} (${k.enrolment}, ${k.exchange}, ${k.redemption}), limit ${s.dailyLimit} a day${s.active ? "" : " (closed)"}, ${s.staff.length} staff`);
    for (const p of s.byPeriod) lines.push(`    period ${p.period}: ${p.enrolment + p.exchange + p.redemption} (${p.enrolment}, ${p.exchange}, ${p.redemption})`);
    for (const x of s.byStaff) lines.push(`    staff ${x.staff}: ${x.count}`);
  }
  return lines;
}
