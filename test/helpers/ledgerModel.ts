/**
 * A small reference model of the ledger for random-sequence tests. Each operation first predicts
 * its outcome (the custom error the contract must raise, or success), then applies itself if it
 * succeeds. The checks follow the contract's order, so a prediction names the same error.
 */
import { agreementDomains, agreementIdOf } from "../../sdk/src/agreementId";

export { agreementIdOf } from "../../sdk/src/agreementId";
export const DOMAINS = [1, 2, 3, 4] as const;
export const POINT_VALUE = (d: number): bigint => BigInt(10 * d);
const MAX_AMOUNT = 2n ** 64n - 1n;
/** Versions a side may propose before one comes into force. */
const MAX_PROPOSALS_PER_SIDE = 8;

export interface Terms {
  rateNum: bigint;
  rateDen: bigint;
  periodCap: bigint;
  validFrom: number;
  validUntil: number;
  version: number;
}

interface AgreementState {
  current?: Terms & { suspendedByFrom: boolean; suspendedByTo: boolean };
  pending?: Terms & { approvedByFrom: boolean; approvedByTo: boolean };
  everProposed: boolean;
  /** Versions each side proposed since one last came into force. */
  proposals: { from: number; to: number };
}

export type Outcome = { ok: true } | { ok: false; error: string };
const ok: Outcome = { ok: true };
const fail = (error: string): Outcome => ({ ok: false, error });

export class LedgerModel {
  period = 0;
  paused = false;
  domainPaused = new Map<number, boolean>();
  transferable = new Map<number, boolean>([[3, true]]);
  residentCap = new Map<number, bigint>();
  quota = new Map<number, bigint>();
  quotaUse = new Map<number, { period: number; used: bigint }>();
  balances = new Map<string, bigint>();
  nonces = new Map<string, bigint>();
  capUse = new Map<string, { period: number; used: bigint }>();
  claims = new Set<string>();
  agreements = new Map<bigint, AgreementState>();
  agreementOrder: bigint[] = [];
  usage = new Map<string, { amountIn: bigint; owed: bigint }>();
  closed = new Set<number>();
  positions = new Map<string, bigint>();
  partners = new Set<string>();

  constructor(quota: bigint, residentCap: bigint) {
    for (const d of DOMAINS) {
      this.quota.set(d, quota);
      this.residentCap.set(d, residentCap);
    }
  }

  balance(d: number, r: string): bigint {
    return this.balances.get(`${d}:${r}`) ?? 0n;
  }
  nonce(d: number, r: string): bigint {
    return this.nonces.get(`${d}:${r}`) ?? 0n;
  }
  supply(d: number): bigint {
    let sum = 0n;
    for (const [k, v] of this.balances) if (k.startsWith(`${d}:`)) sum += v;
    return sum;
  }
  quotaUsed(d: number): bigint {
    const u = this.quotaUse.get(d);
    return u && u.period === this.period ? u.used : 0n;
  }
  capUsed(d: number, r: string): bigint {
    const u = this.capUse.get(`${d}:${r}`);
    return u && u.period === this.period ? u.used : 0n;
  }

  private activeDomain(d: number): Outcome {
    if (!DOMAINS.includes(d as 1)) return fail("PointsLedgerUnknownDomain");
    if (this.paused) return fail("PointsLedgerPaused");
    if (this.domainPaused.get(d)) return fail("PointsLedgerDomainPaused");
    return ok;
  }

  private amount(a: bigint): Outcome {
    if (a === 0n) return fail("PointsLedgerZeroAmount");
    if (a > MAX_AMOUNT) return fail("PointsLedgerAmountTooLarge");
    return ok;
  }

  private capCheck(d: number, r: string, amount: bigint, pendingUse = 0n): Outcome {
    const cap = this.residentCap.get(d)!;
    if (cap === 0n) return ok;
    const used = this.capUsed(d, r) + pendingUse;
    const remaining = cap > used ? cap - used : 0n;
    return amount > remaining ? fail("PointsLedgerResidentCapExceeded") : ok;
  }

  private credit(d: number, r: string, amount: bigint, issued: boolean): void {
    this.balances.set(`${d}:${r}`, this.balance(d, r) + amount);
    if (issued) this.capUse.set(`${d}:${r}`, { period: this.period, used: this.capUsed(d, r) + amount });
  }

  issue(d: number, r: string, amount: bigint, claim: bigint, isIssuer: boolean): Outcome {
    const checks = [
      () => this.activeDomain(d),
      () => this.amount(amount),
      () => (isIssuer ? ok : fail("PointsLedgerNotIssuer")),
      () => (amount > this.quota.get(d)! - this.quotaUsed(d) ? fail("PointsLedgerQuotaExceeded") : ok),
      () => (this.claims.has(`${d}:${claim}`) ? fail("PointsLedgerClaimUsed") : ok),
      () => this.capCheck(d, r, amount),
    ];
    for (const check of checks) {
      const o = check();
      if (!o.ok) return o;
    }
    this.claims.add(`${d}:${claim}`);
    this.quotaUse.set(d, { period: this.period, used: this.quotaUsed(d) + amount });
    this.credit(d, r, amount, true);
    return ok;
  }

  issueBatch(d: number, items: { resident: string; amount: bigint; claimId: bigint }[], isIssuer: boolean): Outcome {
    const domain = this.activeDomain(d);
    if (!domain.ok) return domain;
    if (items.length === 0 || items.length > 500) return fail("PointsLedgerInvalidBatchSize");
    const seen = new Set<string>();
    const pendingCap = new Map<string, bigint>();
    let total = 0n;
    for (const item of items) {
      const a = this.amount(item.amount);
      if (!a.ok) return a;
      const key = `${d}:${item.claimId}`;
      if (this.claims.has(key) || seen.has(key)) return fail("PointsLedgerClaimUsed");
      seen.add(key);
      const c = this.capCheck(d, item.resident, item.amount, pendingCap.get(item.resident) ?? 0n);
      if (!c.ok) return c;
      pendingCap.set(item.resident, (pendingCap.get(item.resident) ?? 0n) + item.amount);
      total += item.amount;
    }
    if (!isIssuer) return fail("PointsLedgerNotIssuer");
    if (total > this.quota.get(d)! - this.quotaUsed(d)) return fail("PointsLedgerQuotaExceeded");
    for (const item of items) {
      this.claims.add(`${d}:${item.claimId}`);
      this.credit(d, item.resident, item.amount, true);
    }
    this.quotaUse.set(d, { period: this.period, used: this.quotaUsed(d) + total });
    return ok;
  }

  termsInForce(from: number, to: number): { terms?: Terms; outcome: Outcome } {
    const a = this.agreements.get(agreementIdOf(from, to))?.current;
    if (!a) return { outcome: fail("PointsLedgerNoAgreement") };
    if (a.suspendedByFrom || a.suspendedByTo || this.period < a.validFrom || this.period > a.validUntil) {
      return { outcome: fail("PointsLedgerAgreementNotInForce") };
    }
    return { terms: a, outcome: ok };
  }

  exchange(r: string, from: number, to: number, amountIn: bigint, minOut: bigint): Outcome & { amountOut?: bigint } {
    if (from === to) return fail("PointsLedgerSameDomain");
    for (const o of [this.amount(amountIn), this.activeDomain(from), this.activeDomain(to)]) if (!o.ok) return o;
    const { terms, outcome } = this.termsInForce(from, to);
    if (!terms) return outcome;
    const amountOut = (amountIn * terms.rateNum) / terms.rateDen;
    if (amountOut === 0n) return fail("PointsLedgerExchangeTooSmall");
    if (amountOut > MAX_AMOUNT) return fail("PointsLedgerAmountTooLarge");
    if (amountOut < minOut) return fail("PointsLedgerSlippage");
    const id = agreementIdOf(from, to);
    const key = `${id}:${this.period}`;
    const usage = this.usage.get(key) ?? { amountIn: 0n, owed: 0n };
    if (terms.periodCap !== 0n && usage.amountIn + amountIn > terms.periodCap) return fail("PointsLedgerAgreementCapExceeded");
    if (this.balance(from, r) < amountIn) return fail("PointsLedgerInsufficientBalance");
    this.usage.set(key, { amountIn: usage.amountIn + amountIn, owed: usage.owed + amountOut * POINT_VALUE(to) });
    this.balances.set(`${from}:${r}`, this.balance(from, r) - amountIn);
    this.nonces.set(`${from}:${r}`, this.nonce(from, r) + 1n);
    this.credit(to, r, amountOut, false);
    return { ok: true, amountOut };
  }

  redeem(r: string, d: number, amount: bigint, partner: string): Outcome {
    for (const o of [this.amount(amount), this.activeDomain(d)]) if (!o.ok) return o;
    if (!this.partners.has(`${d}:${partner}`)) return fail("PointsLedgerUnknownPartner");
    if (this.balance(d, r) < amount) return fail("PointsLedgerInsufficientBalance");
    this.balances.set(`${d}:${r}`, this.balance(d, r) - amount);
    this.nonces.set(`${d}:${r}`, this.nonce(d, r) + 1n);
    return ok;
  }

  transfer(r: string, d: number, to: string, amount: bigint): Outcome {
    for (const o of [this.amount(amount), this.activeDomain(d)]) if (!o.ok) return o;
    if (!this.transferable.get(d)) return fail("PointsLedgerNotTransferable");
    if (to === r) return fail("PointsLedgerInvalidAddress");
    if (this.balance(d, r) < amount) return fail("PointsLedgerInsufficientBalance");
    this.balances.set(`${d}:${r}`, this.balance(d, r) - amount);
    this.nonces.set(`${d}:${r}`, this.nonce(d, r) + 1n);
    this.credit(d, to, amount, false);
    return ok;
  }

  /** Both domains of an agreement call must be active (the pause rule of IPointsLedger.pauseDomain). */
  private activePair(from: number, to: number): Outcome {
    const f = this.activeDomain(from);
    return f.ok ? this.activeDomain(to) : f;
  }

  /** `side` is the proposing agency's domain (the agency of `from` or of `to`). */
  propose(from: number, to: number, side: number, terms: Omit<Terms, "version">): Outcome & { version?: number } {
    const active = this.activePair(from, to);
    if (!active.ok) return active;
    if (from === to) return fail("PointsLedgerSameDomain");
    if (terms.rateNum === 0n || terms.rateDen === 0n) return fail("PointsLedgerInvalidRate");
    if (terms.validUntil < terms.validFrom) return fail("PointsLedgerInvalidWindow");
    // The value rule: never more value out than in.
    if (terms.rateNum * POINT_VALUE(to) > terms.rateDen * POINT_VALUE(from)) return fail("PointsLedgerAgreementCreatesValue");
    const id = agreementIdOf(from, to);
    const state: AgreementState = this.agreements.get(id) ?? { everProposed: false, proposals: { from: 0, to: 0 } };
    const bySide = side === from ? "from" : "to";
    if (state.proposals[bySide] + 1 > MAX_PROPOSALS_PER_SIDE) return fail("PointsLedgerTooManyProposals");
    state.proposals[bySide] += 1;
    const version = Math.max(state.current?.version ?? 0, state.pending?.version ?? 0) + 1;
    state.everProposed = true;
    state.pending = { ...terms, version, approvedByFrom: side === from, approvedByTo: side === to };
    this.agreements.set(id, state);
    return { ok: true, version };
  }

  approve(from: number, to: number, side: number, version: number): Outcome {
    const active = this.activePair(from, to);
    if (!active.ok) return active;
    const state = this.agreements.get(agreementIdOf(from, to));
    const pending = state?.pending;
    if (!pending || version === 0 || pending.version !== version) return fail("PointsLedgerNotPending");
    if (side === from) {
      if (pending.approvedByFrom) return fail("PointsLedgerAlreadyApproved");
      pending.approvedByFrom = true;
    } else {
      if (pending.approvedByTo) return fail("PointsLedgerAlreadyApproved");
      pending.approvedByTo = true;
    }
    if (pending.approvedByFrom && pending.approvedByTo) {
      const { approvedByFrom: _f, approvedByTo: _t, ...terms } = pending;
      // The first version in force takes the agreement's place in settlement.
      if (!state!.current) this.agreementOrder.push(agreementIdOf(from, to));
      state!.current = { ...terms, suspendedByFrom: false, suspendedByTo: false };
      state!.pending = undefined;
      state!.proposals = { from: 0, to: 0 };
    }
    return ok;
  }

  suspend(from: number, to: number, side: number, suspended: boolean): Outcome {
    const active = this.activePair(from, to);
    if (!active.ok) return active;
    const current = this.agreements.get(agreementIdOf(from, to))?.current;
    if (!current) return fail("PointsLedgerNoAgreement");
    const key = side === from ? "suspendedByFrom" : "suspendedByTo";
    if (current[key] === suspended) return fail("PointsLedgerSuspensionUnchanged");
    current[key] = suspended;
    return ok;
  }

  close(period: number): Outcome & { nets?: Map<number, bigint> } {
    if (this.paused) return fail("PointsLedgerPaused");
    if (period >= this.period) return fail("PointsLedgerPeriodNotEnded");
    if (this.closed.has(period)) return fail("PointsLedgerPeriodClosed");
    const nets = new Map<number, bigint>();
    for (const id of this.agreementOrder) {
      const owed = this.usage.get(`${id}:${period}`)?.owed ?? 0n;
      const { fromDomain: from, toDomain: to } = agreementDomains(id);
      nets.set(from, (nets.get(from) ?? 0n) - owed);
      nets.set(to, (nets.get(to) ?? 0n) + owed);
    }
    this.closed.add(period);
    for (const [d, net] of nets) if (net !== 0n) this.positions.set(`${period}:${d}`, net);
    return { ok: true, nets };
  }
}
