/** The relay's public ledger reads (`/v1/ledger/...`), typed by the SDK's wire schemas. */
import {
  decodedTransactionSchema,
  ledgerAgreementsSchema,
  ledgerDomainPeriodSchema,
  ledgerEventsPageSchema,
  ledgerOverviewSchema,
  ledgerSettlementSchema,
  settlementsResponseSchema,
} from "@city-points/sdk/wire";
import { getJson } from "./client";

const range = (from?: number, to?: number) => {
  const q = new URLSearchParams();
  if (from !== undefined) q.set("fromPeriod", String(from));
  if (to !== undefined) q.set("toPeriod", String(to));
  const s = q.toString();
  return s ? `?${s}` : "";
};

export const ledgerApi = {
  overview: (signal: AbortSignal, from?: number, to?: number) => getJson(`/v1/ledger/overview${range(from, to)}`, ledgerOverviewSchema, signal),
  agreements: (signal: AbortSignal, all: boolean) => getJson(`/v1/ledger/agreements${all ? "?all=true" : ""}`, ledgerAgreementsSchema, signal),
  settlements: (signal: AbortSignal, from?: number, to?: number) => getJson(`/v1/ledger/settlements${range(from, to)}`, settlementsResponseSchema, signal),
  settlement: (signal: AbortSignal, period: number) => getJson(`/v1/ledger/settlements/${period}`, ledgerSettlementSchema, signal),
  domainPeriod: (signal: AbortSignal, domainId: number, period: number) => getJson(`/v1/ledger/domains/${domainId}/periods/${period}`, ledgerDomainPeriodSchema, signal),
  events: (signal: AbortSignal, domainId: number, period: number, after?: string) =>
    getJson(`/v1/ledger/domains/${domainId}/periods/${period}/events?limit=50${after ? `&after=${after}` : ""}`, ledgerEventsPageSchema, signal),
  transaction: (signal: AbortSignal, hash: string) => getJson(`/v1/ledger/transactions/${hash}`, decodedTransactionSchema, signal),
};
