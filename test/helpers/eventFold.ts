/**
 * Rebuilds the ledger from its events alone, as an auditor would, and reports every breach of the
 * invariants I1-I7 of docs/design.md it can see. Random-sequence tests feed it each transaction's logs
 * and compare what it rebuilt with the contract's own state.
 */
import type { Log } from "ethers";
import { agreementDomains } from "../../sdk/src/agreementId";
import type { PointsLedger } from "../../typechain-types";

interface FoldTerms {
  rateNum: bigint;
  rateDen: bigint;
  periodCap: bigint;
  validFrom: bigint;
  validUntil: bigint;
  version: bigint;
}

export class EventFold {
  readonly violations: string[] = [];
  readonly balances = new Map<string, bigint>();
  readonly flows = new Map<number, { issued: bigint; redeemed: bigint; out: bigint; in: bigint }>();
  private readonly claims = new Set<string>();
  private readonly nonces = new Map<string, bigint>();
  private readonly quotas = new Map<string, bigint>();
  private readonly quotaUse = new Map<string, bigint>();
  private readonly caps = new Map<number, bigint>();
  private readonly capUse = new Map<string, bigint>();
  private readonly pointValues = new Map<number, bigint>();
  private readonly pending = new Map<bigint, FoldTerms>();
  private readonly current = new Map<bigint, FoldTerms & { suspendedFrom: boolean; suspendedTo: boolean }>();
  private readonly owed = new Map<string, bigint>();
  private readonly agreementsInOrder: bigint[] = [];
  readonly published = new Map<string, bigint>();
  private readonly pausedDomains = new Set<number>();
  private ledgerPaused = false;

  constructor(private readonly ledger: PointsLedger) {}

  private flow(d: number) {
    let f = this.flows.get(d);
    if (!f) this.flows.set(d, (f = { issued: 0n, redeemed: 0n, out: 0n, in: 0n }));
    return f;
  }

  private add(d: number, r: string, delta: bigint, where: string): void {
    const key = `${d}:${r}`;
    const next = (this.balances.get(key) ?? 0n) + delta;
    if (next < 0n) this.violations.push(`I2 ${where}: balance of ${key} would be negative`);
    this.balances.set(key, next);
  }

  private movement(d: number, where: string): void {
    if (this.ledgerPaused || this.pausedDomains.has(d)) this.violations.push(`I7 ${where}: domain ${d} changed while paused`);
  }

  private spendNonce(d: number, r: string, nonce: bigint, where: string): void {
    const key = `${d}:${r}`;
    const expected = this.nonces.get(key) ?? 0n;
    if (nonce !== expected) this.violations.push(`I4 ${where}: nonce ${nonce} of ${key}, expected ${expected}`);
    this.nonces.set(key, nonce + 1n);
  }

  fold(logs: readonly Log[]): void {
    for (const log of logs) {
      const parsed = this.ledger.interface.parseLog(log);
      if (!parsed) continue;
      const a = parsed.args;
      const where = `${parsed.name} in ${log.transactionHash}`;
      switch (parsed.name) {
        case "DomainCreated":
          this.pointValues.set(Number(a.domainId), a.pointValue);
          this.caps.set(Number(a.domainId), a.residentCap);
          break;
        case "ResidentCapChanged":
          this.caps.set(Number(a.domainId), a.residentCap);
          break;
        case "IssuerQuotaSet":
          this.quotas.set(`${a.domainId}:${a.issuer}`, a.quota);
          break;
        case "LedgerPaused":
          this.ledgerPaused = true;
          break;
        case "LedgerUnpaused":
          this.ledgerPaused = false;
          break;
        case "DomainPaused":
          this.pausedDomains.add(Number(a.domainId));
          break;
        case "DomainUnpaused":
          this.pausedDomains.delete(Number(a.domainId));
          break;
        case "PointsIssued": {
          const d = Number(a.domainId);
          this.movement(d, where);
          const claim = `${d}:${a.claimId}`;
          if (this.claims.has(claim)) this.violations.push(`I4 ${where}: claim ${claim} issued twice`);
          this.claims.add(claim);
          const quotaKey = `${d}:${a.issuer}:${a.period}`;
          const used = (this.quotaUse.get(quotaKey) ?? 0n) + a.amount;
          this.quotaUse.set(quotaKey, used);
          if (used > (this.quotas.get(`${d}:${a.issuer}`) ?? 0n)) this.violations.push(`I5 ${where}: issuer over quota`);
          const capKey = `${d}:${a.resident}:${a.period}`;
          const capUsed = (this.capUse.get(capKey) ?? 0n) + a.amount;
          this.capUse.set(capKey, capUsed);
          const cap = this.caps.get(d) ?? 0n;
          if (cap !== 0n && capUsed > cap) this.violations.push(`I5 ${where}: resident over cap`);
          this.add(d, a.resident, a.amount, where);
          this.flow(d).issued += a.amount;
          break;
        }
        case "PointsExchanged": {
          const id = a.agreementId as bigint;
          const { fromDomain: from, toDomain: to } = agreementDomains(id);
          this.movement(from, where);
          this.movement(to, where);
          const terms = this.current.get(id);
          if (!terms || terms.version !== a.version) this.violations.push(`I3 ${where}: version ${a.version} not in force`);
          else {
            if (terms.suspendedFrom || terms.suspendedTo) this.violations.push(`I3 ${where}: agreement suspended`);
            if (a.period < terms.validFrom || a.period > terms.validUntil) this.violations.push(`I3 ${where}: outside validity window`);
            if ((a.amountIn * terms.rateNum) / terms.rateDen !== a.amountOut) this.violations.push(`I3 ${where}: not at the agreed rate`);
            const valueIn = a.amountIn * (this.pointValues.get(from) ?? 0n);
            if (a.amountOut * (this.pointValues.get(to) ?? 0n) > valueIn) this.violations.push(`I3 ${where}: more value out than in`);
          }
          this.spendNonce(from, a.resident, a.nonce, where);
          this.add(from, a.resident, -(a.amountIn as bigint), where);
          this.add(to, a.resident, a.amountOut, where);
          this.flow(from).out += a.amountIn;
          this.flow(to).in += a.amountOut;
          const key = `${a.period}:${id}`;
          this.owed.set(key, (this.owed.get(key) ?? 0n) + a.amountOut * (this.pointValues.get(to) ?? 0n));
          break;
        }
        case "PointsRedeemed": {
          const d = Number(a.domainId);
          this.movement(d, where);
          this.spendNonce(d, a.resident, a.nonce, where);
          this.add(d, a.resident, -(a.amount as bigint), where);
          this.flow(d).redeemed += a.amount;
          break;
        }
        case "PointsTransferred": {
          const d = Number(a.domainId);
          this.movement(d, where);
          this.spendNonce(d, a.from, a.nonce, where);
          this.add(d, a.from, -(a.amount as bigint), where);
          this.add(d, a.to, a.amount, where);
          break;
        }
        case "AgreementProposed": {
          const id = a.agreementId as bigint;
          this.movement(Number(a.fromDomain), where);
          this.movement(Number(a.toDomain), where);
          const valueFrom = this.pointValues.get(Number(a.fromDomain)) ?? 0n;
          const valueTo = this.pointValues.get(Number(a.toDomain)) ?? 0n;
          if (a.rateNum * valueTo > a.rateDen * valueFrom) this.violations.push(`I3 ${where}: rate ${a.rateNum}/${a.rateDen} creates value`);
          if (!this.agreementsInOrder.includes(id)) this.agreementsInOrder.push(id);
          this.pending.set(id, {
            rateNum: a.rateNum,
            rateDen: a.rateDen,
            periodCap: a.periodCap,
            validFrom: a.validFromPeriod,
            validUntil: a.validUntilPeriod,
            version: a.version,
          });
          break;
        }
        case "AgreementApproved":
          for (const d of Object.values(agreementDomains(a.agreementId))) this.movement(d, where);
          break;
        case "PartnerSet":
          this.movement(Number(a.domainId), where);
          break;
        case "SettlementConfirmed":
          this.movement(Number(a.domainId), where);
          break;
        case "AgreementActivated": {
          const terms = this.pending.get(a.agreementId);
          if (!terms || terms.version !== a.version) this.violations.push(`I3 ${where}: activated an unknown version`);
          else this.current.set(a.agreementId, { ...terms, suspendedFrom: false, suspendedTo: false });
          this.pending.delete(a.agreementId);
          break;
        }
        case "AgreementSuspensionChanged": {
          for (const d of Object.values(agreementDomains(a.agreementId))) this.movement(d, where);
          const terms = this.current.get(a.agreementId);
          if (!terms) break;
          if (Number(a.domainId) === agreementDomains(a.agreementId).fromDomain) terms.suspendedFrom = a.suspended;
          else terms.suspendedTo = a.suspended;
          break;
        }
        case "SettlementPublished":
          this.published.set(`${a.period}:${a.domainId}`, a.net);
          break;
        case "PeriodClosed": {
          const period = a.period as bigint;
          const nets = new Map<number, bigint>();
          for (const id of this.agreementsInOrder) {
            const owed = this.owed.get(`${period}:${id}`) ?? 0n;
            const { fromDomain: from, toDomain: to } = agreementDomains(id);
            nets.set(from, (nets.get(from) ?? 0n) - owed);
            nets.set(to, (nets.get(to) ?? 0n) + owed);
          }
          for (const [d, net] of nets) {
            const published = this.published.get(`${period}:${d}`) ?? 0n;
            if (published !== net) this.violations.push(`I6 ${where}: domain ${d} published ${published}, obligations give ${net}`);
          }
          let sum = 0n;
          for (const [key, net] of this.published) if (key.startsWith(`${period}:`)) sum += net;
          if (sum !== 0n) this.violations.push(`I6 ${where}: positions sum to ${sum}`);
          break;
        }
      }
    }
  }
}
