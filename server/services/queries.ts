/**
 * What the read routes answer: the ledger's views (chain/ledgerReads.ts) and a resident's history
 * (chain/residentHistory.ts), presented in the wire shapes of sdk/src/wire: amounts as decimal
 * strings, the agreements in force marked by the ledger's own rule.
 */
import type { Address } from "viem";
import type { z } from "zod";
import { agreementDomains } from "../../sdk/src/agreementId";
import { isAgreementInForce } from "../../sdk/src/agreementInForce";
import type { agreementSchema, agreementTermsSchema } from "../../sdk/src/wire/agreements";
import type { balancesResponseSchema, domainSchema, historyEntrySchema, historyResponseSchema, quotaResponseSchema, quoteResponseSchema } from "../../sdk/src/wire/reads";
import type { settlementStatementSchema } from "../../sdk/src/wire/settlement";
import type { ChainGateway } from "../chain/gateway";
import type { LedgerReads } from "../chain/ledgerReads";
import { residentLogPage, type ResidentLog } from "../chain/residentHistory";
import { domainToWire } from "./domainWire";

type Wire<S extends z.ZodType> = z.output<S>;

interface TermsView {
  rateNum: number;
  rateDen: number;
  periodCap: bigint;
  validFromPeriod: number;
  validUntilPeriod: number;
  version: number;
}

function terms(t: TermsView): Wire<typeof agreementTermsSchema> {
  return {
    version: Number(t.version),
    rateNum: Number(t.rateNum),
    rateDen: Number(t.rateDen),
    periodCap: t.periodCap.toString(),
    validFromPeriod: Number(t.validFromPeriod),
    validUntilPeriod: Number(t.validUntilPeriod),
  };
}

function historyEntry(log: ResidentLog, resident: Address): Wire<typeof historyEntrySchema> | undefined {
  const base = { blockNumber: Number(log.blockNumber), transactionHash: log.transactionHash };
  const me = resident.toLowerCase();
  const is = (v: unknown) => typeof v === "string" && v.toLowerCase() === me;
  switch (log.eventName) {
    case "PointsIssued": {
      const a = log.args;
      return is(a.resident) ? { type: "issued", ...base, domainId: Number(a.domainId), amount: String(a.amount), issuer: String(a.issuer) } : undefined;
    }
    case "PointsExchanged": {
      const a = log.args;
      if (!is(a.resident)) return undefined;
      return {
        type: "exchanged",
        ...base,
        ...agreementDomains(a.agreementId),
        amountIn: String(a.amountIn),
        amountOut: String(a.amountOut),
        nonce: String(a.nonce),
        agreementId: String(a.agreementId),
        version: Number(a.version),
      };
    }
    case "PointsRedeemed": {
      const a = log.args;
      return is(a.resident)
        ? { type: "redeemed", ...base, domainId: Number(a.domainId), amount: String(a.amount), nonce: String(a.nonce), partner: String(a.partner), orderRef: String(a.orderRef) }
        : undefined;
    }
    case "PointsTransferred": {
      const a = log.args;
      if (is(a.from)) return { type: "transferred-out", ...base, domainId: Number(a.domainId), amount: String(a.amount), nonce: String(a.nonce) };
      if (is(a.to)) return { type: "transferred-in", ...base, domainId: Number(a.domainId), amount: String(a.amount) };
      return undefined;
    }
    default:
      return undefined;
  }
}

export class LedgerQueries {
  constructor(
    private readonly reads: LedgerReads,
    private readonly gateway: ChainGateway,
    /** How much one history page may scan and hold (HISTORY_PAGE_BLOCKS, HISTORY_PAGE_ENTRIES). */
    private readonly historyPage: { maxBlocks: number; maxEntries: number },
  ) {}

  currentPeriod(): Promise<number> {
    return this.reads.currentPeriod();
  }

  periodSeconds(): Promise<number> {
    return this.reads.periodSeconds();
  }

  async domains(): Promise<Wire<typeof domainSchema>[]> {
    const ids = await this.reads.domainIds();
    const views = await Promise.all(ids.map((id) => this.reads.domain(id)));
    return views.map((d, i) => domainToWire({ ...d, id: ids[i] }));
  }

  async balances(resident: Address): Promise<Wire<typeof balancesResponseSchema>> {
    const ids = await this.reads.domainIds();
    const rows = await Promise.all(
      ids.map(async (id) => {
        const [balance, nonce] = await Promise.all([this.reads.balanceOf(resident, id), this.reads.intentNonce(resident, id)]);
        return { domainId: id, balance: balance.toString(), nextNonce: nonce.toString() };
      }),
    );
    return { resident, balances: rows };
  }

  async quote(fromDomain: number, toDomain: number, amountIn: bigint): Promise<Wire<typeof quoteResponseSchema>> {
    const { amountOut, agreementId, version } = await this.reads.quoteExchange(fromDomain, toDomain, amountIn);
    return { fromDomain, toDomain, amountIn: amountIn.toString(), amountOut: amountOut.toString(), agreementId: agreementId.toString(), version: Number(version) };
  }

  async agreements(onlyInForce: boolean): Promise<Wire<typeof agreementSchema>[]> {
    const ids = await this.reads.agreementIds();
    const period = await this.reads.currentPeriod();
    const views = await Promise.all(ids.map((id) => this.reads.agreement(id)));
    return views
      .map((a) => {
        const current = a.current.version > 0 ? terms(a.current) : undefined;
        const inForce = isAgreementInForce({ current, suspendedByFrom: a.suspendedByFrom, suspendedByTo: a.suspendedByTo }, period);
        return {
          agreementId: a.agreementId.toString(),
          fromDomain: Number(a.fromDomain),
          toDomain: Number(a.toDomain),
          inForce,
          ...(current ? { current } : {}),
          suspendedByFrom: a.suspendedByFrom,
          suspendedByTo: a.suspendedByTo,
          ...(a.pending.version > 0
            ? { pending: { ...terms(a.pending), approvedByFrom: a.pendingApprovedByFrom, approvedByTo: a.pendingApprovedByTo } }
            : {}),
        };
      })
      .filter((a) => !onlyInForce || a.inForce);
  }

  async issuerState(domainId: number, issuer: Address): Promise<Wire<typeof quotaResponseSchema>> {
    const [state, period] = await Promise.all([this.reads.issuerState(domainId, issuer), this.reads.currentPeriod()]);
    const remaining = state.quota > state.usedThisPeriod ? state.quota - state.usedThisPeriod : 0n;
    return {
      domainId,
      issuer,
      admitted: state.admitted,
      suspended: state.suspended,
      quota: state.quota.toString(),
      usedThisPeriod: state.usedThisPeriod.toString(),
      remaining: remaining.toString(),
      period,
    };
  }

  async settlement(period: number): Promise<Wire<typeof settlementStatementSchema>> {
    const [closed, currentPeriod, ids] = await Promise.all([this.reads.isPeriodClosed(period), this.reads.currentPeriod(), this.reads.domainIds()]);
    const positions = closed
      ? (
          await Promise.all(
            ids.map(async (domainId) => {
              const p = await this.reads.settlementPosition(period, domainId);
              return { domainId, net: p.net.toString(), confirmed: p.confirmed, ...(p.confirmed ? { paymentRef: p.paymentRef } : {}) };
            }),
          )
        ).filter((p) => p.net !== "0")
      : [];
    return { period, currentPeriod, closed, positions };
  }

  /**
   * One page of the resident's issuances, exchanges, redemptions and transfers, oldest first, from
   * `cursor` (a previous page's `next`; the deployment block without one).
   */
  async history(resident: Address, cursor?: string): Promise<Wire<typeof historyResponseSchema>> {
    const [block, logIndex] = cursor ? cursor.split("-").map(Number) : [0, 0];
    const start = BigInt(block) < this.reads.deployBlock ? { block: this.reads.deployBlock, logIndex: 0 } : { block: BigInt(block), logIndex };
    const page = await residentLogPage(this.gateway, this.reads.ledger, resident, start, this.historyPage);
    return {
      resident,
      entries: page.logs.map((log) => historyEntry(log, resident)).filter((e) => e !== undefined),
      next: page.next ? `${page.next.block}-${page.next.logIndex}` : null,
    };
  }
}
