/**
 * The independent checker: folds the deployment's events, in chain order, into a rebuilt ledger
 * (each event is applied and dropped, so memory grows with the ledger's state, never with its
 * history), checks the rules each event must obey as it comes, then compares the rebuilt state
 * with what the contract itself says at the audited block.
 */
import type { Hex } from "viem";
import type * as E from "../events";
import { ViolationLog } from "../violations";
import type { AgencyReport, AgreementReport, DomainReport, PeriodReport } from "../report";
import { agreementDomains } from "../../agreementId";
import { AgreementBook } from "./agreements";
import { GovernanceBook } from "./governance";
import { PasskeyBook } from "./passkeys";
import { PointsBook, type AccountState } from "./points";
import { ProvenanceBook } from "./provenance";
import { SettlementBook } from "./settlement";
import { StationBook } from "./stations";

export type { AccountState } from "./points";
export type { UntimedExecution } from "./provenance";
export type { UntimedAssisted } from "./stations";

/** What the contract says at the audited block. */
export interface ChainSnapshot {
  blockNumber: number;
  /** `balanceOf` of each account in `accounts`, in the same order. */
  accounts: AccountState[];
  balances: bigint[];
  /** `nonces` of each account in `nonceAccounts`, in the same order. */
  nonceAccounts: AccountState[];
  nonces: bigint[];
  domains: { id: number; supply: bigint; paused: boolean }[];
  ledgerPaused: boolean;
}

export interface CheckerOptions {
  /** Violations kept in full (all are counted); 1,000 by default. */
  maxViolations?: number;
  /** The deployment's council contract: the council role must be granted to it alone. */
  council?: string;
  /** The deployment's ledger: with `council`, turns on I8 (governance provenance); and only the
   * assertions it had the passkey registry verify authorise passkey intents. */
  ledger?: string;
  /** The transactions that created the ledger and the council, verified by the caller: the only
   * place council-only changes may appear without a proposal (the constructors' own). */
  creations?: { ledger?: Hex; council?: Hex };
  /** The deployment's community stations contract: only the staff assertions it had the registry verify stamp assisted operations. */
  communityStations?: string;
}

export class LedgerChecker {
  readonly violations: ViolationLog;
  readonly gov: GovernanceBook;
  readonly points: PointsBook;
  readonly agreements: AgreementBook;
  readonly settlement: SettlementBook;
  /** I8; undefined when the checker was not told the deployment's ledger and council. */
  readonly provenance: ProvenanceBook | undefined;
  readonly passkeys: PasskeyBook;
  readonly stations: StationBook;
  readonly counts = new Map<string, number>();
  eventCount = 0;
  /** Issuances and exchanges whose period could be checked against their block's timestamp. */
  periodsChecked = 0;
  private lastBlock = -1;
  private lastLogIndex = -1;
  private chainSums = new Map<number, bigint>();
  private chainSupplies = new Map<number, bigint>();

  constructor(options: CheckerOptions = {}) {
    this.violations = new ViolationLog(options.maxViolations ?? 1_000);
    this.gov = new GovernanceBook(this.violations, options.council?.toLowerCase() as E.Addr | undefined);
    this.points = new PointsBook(this.gov, this.violations);
    this.agreements = new AgreementBook(this.gov, this.violations);
    this.settlement = new SettlementBook(this.gov, this.violations);
    this.passkeys = new PasskeyBook(this.violations, options.ledger?.toLowerCase() as E.Addr | undefined);
    this.stations = new StationBook(this.violations, options.communityStations?.toLowerCase() as E.Addr | undefined, () => this.gov);
    this.provenance =
      options.ledger && options.council
        ? new ProvenanceBook(this.violations, {
            ledger: options.ledger.toLowerCase() as E.Addr,
            council: options.council.toLowerCase() as E.Addr,
            creations: options.creations ?? {},
          })
        : undefined;
  }

  /** Call once every event was folded: checks what the last transaction left unexplained (I8). */
  finish(): void {
    this.provenance?.finish();
    this.stations.finish();
  }

  /** Folds one event. Events must come in chain order (block, then log index). */
  apply(e: E.AuditEvent): void {
    this.eventCount++;
    this.counts.set(e.name, (this.counts.get(e.name) ?? 0) + 1);
    if (e.blockNumber < this.lastBlock || (e.blockNumber === this.lastBlock && e.logIndex <= this.lastLogIndex)) {
      this.violations.add("RULE", "OUT_OF_ORDER", `An event at block ${e.blockNumber}, log ${e.logIndex} came after block ${this.lastBlock}, log ${this.lastLogIndex}.`, e);
    }
    this.lastBlock = e.blockNumber;
    this.lastLogIndex = e.logIndex;
    this.provenance?.apply(e);
    if (this.stations.apply(e)) return;

    switch (e.name) {
      case "PointsIssued":
        this.checkPeriod(e);
        this.points.issue(e);
        this.settlement.recordIssuance(e);
        return;
      case "PointsExchanged": {
        this.checkPeriod(e);
        const { fromDomain, toDomain } = agreementDomains(e.args.agreementId);
        this.agreements.checkExchange(e);
        this.passkeys.spend(e, e.args.resident);
        this.points.exchange(e, fromDomain, toDomain);
        this.settlement.recordExchange(e, fromDomain, toDomain);
        return;
      }
      case "PointsRedeemed":
        this.passkeys.spend(e, e.args.resident);
        this.points.redeem(e);
        return;
      case "PointsTransferred":
        this.passkeys.spend(e, e.args.from);
        this.points.transfer(e);
        return;
      case "PeriodClosed":
        this.settlement.apply(e);
        this.agreements.forgetPeriod(e.args.period);
        return;
      default:
        if (this.passkeys.apply(e) || this.gov.apply(e) || this.agreements.apply(e) || this.settlement.apply(e)) return;
    }
  }

  /**
   * Quotas, caps and settlement count by the period an event states; where the node gives block
   * timestamps, that period must be the one the block's time falls in.
   */
  private checkPeriod(e: E.PointsIssued | E.PointsExchanged): void {
    const { genesisTime, periodSeconds } = this.gov;
    if (e.blockTimestamp === undefined || genesisTime === undefined || !periodSeconds) return;
    this.periodsChecked++;
    const expected = Number((BigInt(e.blockTimestamp) - genesisTime) / periodSeconds);
    if (e.args.period !== expected) {
      this.violations.add("RULE", "PERIOD_MISMATCH", `An event of block ${e.blockNumber} states period ${e.args.period}; its block's time falls in period ${expected}.`, e, {
        period: e.args.period,
        expected,
        blockTimestamp: e.blockTimestamp,
      });
    }
  }

  /** Every (resident, domain) account the events name, for reading the contract's balances. */
  accountList(): AccountState[] {
    return [...this.points.allAccounts()];
  }

  /** Accounts whose residents signed intents: their nonces are checked against the contract's. */
  nonceAccountList(): AccountState[] {
    return this.accountList().filter((a) => a.nonce > 0n);
  }

  /** I1, I2, I4 and I7 against the contract's own state at the audited block. */
  compareWithChain(chain: ChainSnapshot): void {
    const at = { blockNumber: chain.blockNumber };
    const sums = new Map<number, bigint>();
    chain.accounts.forEach((account, i) => {
      const onChain = chain.balances[i];
      sums.set(account.domainId, (sums.get(account.domainId) ?? 0n) + onChain);
      if (onChain !== account.balance) {
        this.violations.add(
          "I2",
          "BALANCE_MISMATCH",
          `Resident ${account.resident} holds ${onChain} in domain ${account.domainId} on chain; the events give ${account.balance}.`,
          account.last,
          { domainId: account.domainId, resident: account.resident, onChain, rebuilt: account.balance, readAtBlock: chain.blockNumber },
        );
      }
    });
    chain.nonceAccounts.forEach((account, i) => {
      if (chain.nonces[i] !== account.nonce) {
        this.violations.add(
          "I4",
          "NONCE_MISMATCH",
          `Resident ${account.resident}'s next nonce in domain ${account.domainId} is ${chain.nonces[i]} on chain; the events give ${account.nonce}.`,
          account.last,
          { domainId: account.domainId, resident: account.resident, onChain: chain.nonces[i], rebuilt: account.nonce },
        );
      }
    });
    for (const onChain of chain.domains) {
      const d = this.gov.domains.get(onChain.id);
      const supply = d ? d.issued - d.redeemed - d.exchangedOut + d.exchangedIn : 0n;
      const balanceSum = sums.get(onChain.id) ?? 0n;
      this.chainSums.set(onChain.id, balanceSum);
      this.chainSupplies.set(onChain.id, onChain.supply);
      if (onChain.supply !== supply) {
        this.violations.add(
          "I1",
          "SUPPLY_MISMATCH",
          `Domain ${onChain.id}'s supply on chain is ${onChain.supply}; issued − redeemed − exchanged out + exchanged in is ${supply}.`,
          at,
          { domainId: onChain.id, onChain: onChain.supply, rebuilt: supply },
        );
      }
      if (balanceSum !== onChain.supply) {
        this.violations.add(
          "I1",
          "BALANCES_DO_NOT_ADD_UP",
          `Domain ${onChain.id}'s balances on chain add up to ${balanceSum}, but its supply is ${onChain.supply}.`,
          at,
          { domainId: onChain.id, balanceSum, supply: onChain.supply },
        );
      }
      if (d && d.paused !== onChain.paused) {
        this.violations.add("I7", "PAUSE_STATE_MISMATCH", `Domain ${onChain.id} is ${onChain.paused ? "" : "not "}paused on chain, against its events.`, at, {
          domainId: onChain.id,
          onChain: onChain.paused,
          rebuilt: d.paused,
        });
      }
    }
    if (chain.domains.length !== this.gov.domains.size) {
      this.violations.add("RULE", "DOMAIN_COUNT_MISMATCH", `The chain has ${chain.domains.length} domains; the events created ${this.gov.domains.size}.`, at, {
        onChain: chain.domains.length,
        rebuilt: this.gov.domains.size,
      });
    }
    if (chain.ledgerPaused !== this.gov.ledgerPaused) {
      this.violations.add("I7", "PAUSE_STATE_MISMATCH", `The ledger is ${chain.ledgerPaused ? "" : "not "}paused on chain, against its events.`, at, {
        onChain: chain.ledgerPaused,
        rebuilt: this.gov.ledgerPaused,
      });
    }
  }

  domainReports(): DomainReport[] {
    const holders = new Map<number, { accounts: number; holders: number }>();
    for (const a of this.points.allAccounts()) {
      const h = holders.get(a.domainId) ?? { accounts: 0, holders: 0 };
      h.accounts++;
      if (a.balance > 0n) h.holders++;
      holders.set(a.domainId, h);
    }
    return [...this.gov.domains.values()]
      .sort((a, b) => a.id - b.id)
      .map((d) => ({
        id: d.id,
        name: d.name,
        agency: d.agency,
        pointValue: d.pointValue.toString(),
        residentCap: d.residentCap.toString(),
        transferable: d.transferable,
        paused: d.paused,
        issued: d.issued.toString(),
        redeemed: d.redeemed.toString(),
        exchangedIn: d.exchangedIn.toString(),
        exchangedOut: d.exchangedOut.toString(),
        transferred: d.transferred.toString(),
        supply: (d.issued - d.redeemed - d.exchangedOut + d.exchangedIn).toString(),
        chainSupply: this.chainSupplies.get(d.id)?.toString() ?? null,
        chainBalanceSum: this.chainSums.get(d.id)?.toString() ?? null,
        accounts: holders.get(d.id)?.accounts ?? 0,
        holders: holders.get(d.id)?.holders ?? 0,
      }));
  }

  agencyReports(): AgencyReport[] {
    const agencies = new Map<string, AgencyReport & { net: bigint; issuedBig: bigint }>();
    const get = (address: string) => {
      let a = agencies.get(address);
      if (!a) {
        a = { address, domains: [], issued: "0", settlementNet: "0", confirmedPositions: 0, openPositions: 0, net: 0n, issuedBig: 0n };
        agencies.set(address, a);
      }
      return a;
    };
    for (const d of this.gov.domains.values()) get(d.agency).domains.push(d.id);
    for (const [issuer, amount] of this.gov.issuedBy) get(issuer).issuedBig += amount;
    for (const p of this.settlement.periods.values()) {
      for (const position of p.published.values()) {
        const a = get(position.agency);
        a.net += position.net;
        if (position.net === 0n) continue;
        if (position.confirmed) a.confirmedPositions++;
        else a.openPositions++;
      }
    }
    return [...agencies.values()].map(({ net, issuedBig, ...a }) => ({ ...a, issued: issuedBig.toString(), settlementNet: net.toString() }));
  }

  periodReports(): PeriodReport[] {
    const record = (m: Map<number | string, bigint>) => Object.fromEntries([...m].map(([k, v]) => [String(k), v.toString()]));
    return [...this.settlement.periods.values()]
      .sort((a, b) => a.period - b.period)
      .map((p) => ({
        period: p.period,
        issued: record(p.issued),
        issuerUse: Object.fromEntries(
          [...p.issuerUse].flatMap(([domainId, byIssuer]) => [...byIssuer].map(([issuer, used]) => [`${domainId}:${issuer}`, used.toString()])),
        ),
        exchanges: p.exchanges,
        exchangedOut: record(p.exchangedOut),
        exchangedIn: record(p.exchangedIn),
        obligations: record(p.obligations),
        closed: p.closed,
        published: Object.fromEntries(
          [...p.published].map(([domainId, x]) => [
            String(domainId),
            { net: x.net.toString(), agency: x.agency, confirmed: x.confirmed, paymentRef: x.paymentRef ?? null },
          ]),
        ),
        completed: p.completed,
      }));
  }

  agreementReports(): AgreementReport[] {
    return [...this.agreements.agreements.values()].map((a) => ({
      id: a.id.toString(),
      fromDomain: a.fromDomain,
      toDomain: a.toDomain,
      version: a.active?.version ?? 0,
      rateNum: a.active?.rateNum.toString() ?? null,
      rateDen: a.active?.rateDen.toString() ?? null,
      periodCap: a.active?.periodCap.toString() ?? null,
      validFromPeriod: a.active?.validFromPeriod ?? null,
      validUntilPeriod: a.active?.validUntilPeriod ?? null,
      suspendedByFrom: a.suspendedByFrom,
      suspendedByTo: a.suspendedByTo,
      pendingVersion: a.pending?.version ?? null,
      versionsProposed: a.versionsProposed,
      versionsActivated: a.versionsActivated,
      exchanges: a.exchanges,
      amountIn: a.amountIn.toString(),
      amountOut: a.amountOut.toString(),
    }));
  }
}
