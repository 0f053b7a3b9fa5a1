/**
 * Balances, claim ids, nonces, quota and cap use: everything that moves points, rebuilt per
 * resident and domain, with the checks of I1 (no spending beyond a balance), I4 (claims and nonces
 * used once, in order; an order reference paid once per partner), I5 (quotas and caps) and I7 (nothing moves in a paused domain).
 */
import type * as E from "../events";
import type { ViolationLog } from "../violations";
import type { DomainState, GovernanceBook } from "./governance";

const MAX_UINT64 = 2n ** 64n - 1n;

export interface AccountState {
  resident: E.Addr;
  domainId: number;
  balance: bigint;
  /** Period that `capUsed` counts, as the contract keeps it. */
  capPeriod: number;
  capUsed: bigint;
  /** The next nonce of the resident's intents spending from this domain. */
  nonce: bigint;
  /** The last event that changed this account, to point at when the chain disagrees. */
  last: E.EventPosition;
}

export class PointsBook {
  /** Accounts per domain, then resident (nested maps: no key strings built per event). */
  readonly accounts = new Map<number, Map<E.Addr, AccountState>>();
  /** Used claim ids per domain: bits 0..7 of an id pick a bit of the word named by bits 8..255, as in the contract. */
  private readonly claimWords = new Map<number, Map<bigint, bigint>>();
  /** Non-zero order references paid per partner (any domain), as the contract keeps them. */
  private readonly paidOrders = new Map<E.Addr, Set<string>>();
  claimsUsed = 0;
  intents = { exchanges: 0, redemptions: 0, transfers: 0 };

  constructor(
    private readonly gov: GovernanceBook,
    private readonly violations: ViolationLog,
  ) {}

  account(domainId: number, resident: E.Addr, at: E.EventPosition): AccountState {
    let inDomain = this.accounts.get(domainId);
    if (!inDomain) this.accounts.set(domainId, (inDomain = new Map()));
    let account = inDomain.get(resident);
    if (!account) {
      account = { resident, domainId, balance: 0n, capPeriod: 0, capUsed: 0n, nonce: 0n, last: at };
      inDomain.set(resident, account);
    }
    return account;
  }

  *allAccounts(): IterableIterator<AccountState> {
    for (const inDomain of this.accounts.values()) yield* inDomain.values();
  }

  issue(e: E.PointsIssued): void {
    const { domainId, resident, claimId, issuer, amount, period } = e.args;
    const domain = this.domain(e, domainId);
    this.gov.requireDomainRunning(e, domainId, "points were issued");
    this.useClaim(e, domainId, claimId);
    this.useQuota(e, domainId, issuer, amount, period);

    const account = this.account(domainId, resident, e);
    const used = account.capPeriod === period ? account.capUsed : 0n;
    const cap = domain?.residentCap ?? 0n;
    if (cap !== 0n && amount > (cap > used ? cap - used : 0n)) {
      this.violations.add(
        "I5",
        "RESIDENT_CAP_EXCEEDED",
        `Resident ${resident} was issued ${amount} in domain ${domainId}, period ${period}, beyond the cap of ${cap} (${used} already issued).`,
        e,
        { domainId, resident, period, amount, cap, alreadyIssued: used },
      );
    }
    const newUsed = used + amount;
    account.capUsed = newUsed > MAX_UINT64 ? MAX_UINT64 : newUsed;
    account.capPeriod = period;
    account.balance += amount;
    account.last = e;
    if (domain) domain.issued += amount;
    this.gov.issuedBy.set(issuer, (this.gov.issuedBy.get(issuer) ?? 0n) + amount);
  }

  redeem(e: E.PointsRedeemed): void {
    const { domainId, resident, amount, nonce, partner } = e.args;
    const domain = this.domain(e, domainId);
    this.gov.requireDomainRunning(e, domainId, "points were redeemed");
    this.intents.redemptions++;
    if (this.gov.partners.get(`${domainId}:${partner}`) !== true) {
      this.violations.add("RULE", "UNKNOWN_PARTNER", `Points were redeemed at ${partner}, not a partner of domain ${domainId}.`, e, {
        domainId,
        partner,
      });
    }
    this.payOrder(e);
    this.debit(e, domainId, resident, amount, nonce);
    if (domain) domain.redeemed += amount;
  }

  /** I4: the ledger refuses a non-zero order reference already paid to the same partner. */
  private payOrder(e: E.PointsRedeemed): void {
    const { partner, orderRef, domainId, resident } = e.args;
    if (/^0x0*$/.test(orderRef)) return;
    let paid = this.paidOrders.get(partner);
    if (!paid) this.paidOrders.set(partner, (paid = new Set()));
    const ref = orderRef.toLowerCase();
    if (paid.has(ref)) {
      this.violations.add("I4", "ORDER_PAID_TWICE", `Order ${orderRef} was paid twice to partner ${partner}.`, e, { partner, orderRef, domainId, resident });
      return;
    }
    paid.add(ref);
  }

  transfer(e: E.PointsTransferred): void {
    const { domainId, from, to, amount, nonce } = e.args;
    const domain = this.domain(e, domainId);
    this.gov.requireDomainRunning(e, domainId, "points were transferred");
    this.intents.transfers++;
    if (domain && !domain.transferable) {
      this.violations.add("RULE", "NOT_TRANSFERABLE", `Points moved between residents of domain ${domainId}, which forbids it.`, e, {
        domainId,
      });
    }
    this.debit(e, domainId, from, amount, nonce);
    const target = this.account(domainId, to, e);
    target.balance += amount;
    target.last = e;
    if (domain) domain.transferred += amount;
  }

  /** The balance side of an exchange; the agreement side is checked by the agreement book. */
  exchange(e: E.PointsExchanged, fromDomain: number, toDomain: number): void {
    const { resident, amountIn, amountOut, nonce } = e.args;
    const source = this.domain(e, fromDomain);
    const destination = this.domain(e, toDomain);
    this.gov.requireDomainRunning(e, fromDomain, "points were exchanged out");
    this.gov.requireDomainRunning(e, toDomain, "points were exchanged in");
    this.intents.exchanges++;
    this.debit(e, fromDomain, resident, amountIn, nonce);
    const target = this.account(toDomain, resident, e);
    target.balance += amountOut;
    target.last = e;
    if (source) source.exchangedOut += amountIn;
    if (destination) destination.exchangedIn += amountOut;
  }

  private domain(e: E.EventPosition, domainId: number): DomainState | undefined {
    const d = this.gov.domains.get(domainId);
    if (!d) this.violations.add("RULE", "UNKNOWN_DOMAIN", `Points moved in domain ${domainId}, which was never created.`, e, { domainId });
    return d;
  }

  /** Spends a resident's intent: its nonce must be the next one (I4), its amount covered (I1). */
  private debit(e: E.EventPosition, domainId: number, resident: E.Addr, amount: bigint, nonce: bigint): void {
    const account = this.account(domainId, resident, e);
    if (nonce !== account.nonce) {
      this.violations.add(
        "I4",
        nonce < account.nonce ? "NONCE_REUSED" : "NONCE_SKIPPED",
        nonce < account.nonce
          ? `Resident ${resident} used nonce ${nonce} in domain ${domainId} again (next was ${account.nonce}).`
          : `Resident ${resident} used nonce ${nonce} in domain ${domainId}, skipping from ${account.nonce}: an intent is missing.`,
        e,
        { domainId, resident, nonce, expected: account.nonce },
      );
    }
    if (nonce >= account.nonce) account.nonce = nonce + 1n;
    if (amount > account.balance) {
      this.violations.add(
        "I1",
        "SPENT_BEYOND_BALANCE",
        `Resident ${resident} spent ${amount} in domain ${domainId} but held ${account.balance} by the events.`,
        e,
        { domainId, resident, amount, balance: account.balance },
      );
    }
    account.balance -= amount;
    account.last = e;
  }

  private useClaim(e: E.PointsIssued, domainId: number, claimId: bigint): void {
    let words = this.claimWords.get(domainId);
    if (!words) this.claimWords.set(domainId, (words = new Map()));
    const key = claimId >> 8n;
    const bit = 1n << (claimId & 0xffn);
    const word = words.get(key) ?? 0n;
    if ((word & bit) !== 0n) {
      this.violations.add("I4", "CLAIM_REUSED", `Claim id ${claimId} was issued twice in domain ${domainId}.`, e, {
        domainId,
        claimId,
        resident: e.args.resident,
      });
      return;
    }
    words.set(key, word | bit);
    this.claimsUsed++;
  }

  private useQuota(e: E.PointsIssued, domainId: number, issuer: E.Addr, amount: bigint, period: number): void {
    const state = this.gov.issuer(domainId, issuer);
    if (!state?.admitted) {
      this.violations.add("I5", "NOT_AN_ISSUER", `${issuer} issued ${amount} in domain ${domainId} without being admitted as its issuer.`, e, {
        domainId,
        issuer,
        amount,
      });
      return;
    }
    if (state.suspended) {
      this.violations.add("I5", "ISSUER_SUSPENDED", `${issuer} issued ${amount} in domain ${domainId} while suspended.`, e, {
        domainId,
        issuer,
        amount,
      });
    }
    const used = state.period === period ? state.used : 0n;
    const remaining = state.quota > used ? state.quota - used : 0n;
    if (amount > remaining) {
      this.violations.add(
        "I5",
        "QUOTA_EXCEEDED",
        `${issuer} issued ${amount} in domain ${domainId}, period ${period}, with ${remaining} of its quota of ${state.quota} left.`,
        e,
        { domainId, issuer, period, amount, quota: state.quota, used },
      );
    }
    state.period = period;
    state.used = used + amount;
  }
}
