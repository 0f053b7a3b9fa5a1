/** The public ledger's reads (`/v1/ledger/...`), answered from the ledger index; rate-limited as every public read. */
import { z } from "zod";
import { deploymentSchema } from "../../sdk/src/deployment";
import { periodParamSchema } from "../../sdk/src/wire/primitives";
import {
  decodedTransactionSchema,
  domainPeriodParamsSchema,
  eventsQuerySchema,
  ledgerAgreementsQuerySchema,
  ledgerAgreementsSchema,
  ledgerDomainPeriodSchema,
  ledgerEventsPageSchema,
  ledgerOverviewSchema,
  ledgerSettlementSchema,
  overviewQuerySchema,
  partnerRedemptionsParamsSchema,
  partnerRedemptionsQuerySchema,
  partnerRedemptionsSchema,
  settlementsResponseSchema,
  transactionParamsSchema,
  type EventsQuery,
  type OverviewQuery,
  type PartnerRedemptionsQuery,
} from "../../sdk/src/wire/ledger";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";

const TAG = "public ledger";

export function ledgerRoutes(deps: RelayDeps) {
  const { ledgerViews: views, transactions } = deps;
  return [
    defineRoute<unknown, unknown, unknown>({
      method: "get",
      path: "/v1/ledger/deployment",
      summary: "The deployment record: the contracts' addresses, their creation transactions and block, the period clock",
      description: "What an auditor needs to rebuild the ledger from the chain (the web app's in-browser audit reads it). The auditor checks it against the chain itself: the code at each address and the transactions that created them.",
      tag: TAG,
      auth: "public",
      responses: { 200: { description: "the deployment record", schema: deploymentSchema } },
      async handle() {
        return { status: 200, body: deps.deployment };
      },
    }),
    defineRoute<unknown, OverviewQuery, unknown>({
      method: "get",
      path: "/v1/ledger/overview",
      summary: "Figures per domain and period: supply, issuance against quotas, exchanges per agreement, redemptions, settlements",
      description: "Every period of the window (by default the current one and the 11 before it; at most 100), from the relay's ledger index.",
      tag: TAG,
      auth: "public",
      query: overviewQuerySchema,
      responses: { 200: { description: "the overview", schema: ledgerOverviewSchema } },
      async handle(ctx) {
        return { status: 200, body: views.overview(ctx.query) };
      },
    }),
    defineRoute<unknown, { all?: "true" | "false" }, unknown>({
      method: "get",
      path: "/v1/ledger/agreements",
      summary: "Agreements in force (or all, with ?all=true): rates, caps, use this period, totals",
      tag: TAG,
      auth: "public",
      query: ledgerAgreementsQuerySchema,
      responses: { 200: { description: "agreements", schema: ledgerAgreementsSchema } },
      async handle(ctx) {
        return { status: 200, body: views.agreements(ctx.query.all === "true") };
      },
    }),
    defineRoute<unknown, OverviewQuery, unknown>({
      method: "get",
      path: "/v1/ledger/settlements",
      summary: "Settlement summaries of the periods with exchanges or a closing",
      tag: TAG,
      auth: "public",
      query: overviewQuerySchema,
      responses: { 200: { description: "settlement summaries", schema: settlementsResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: views.settlements(ctx.query) };
      },
    }),
    defineRoute<unknown, unknown, { period: number }>({
      method: "get",
      path: "/v1/ledger/settlements/:period",
      summary: "A period's settlement statement: what its exchanges owe, the positions published and confirmed",
      tag: TAG,
      auth: "public",
      params: z.strictObject({ period: periodParamSchema }),
      responses: { 200: { description: "statement", schema: ledgerSettlementSchema } },
      async handle(ctx) {
        return { status: 200, body: views.settlement(ctx.params.period) };
      },
    }),
    defineRoute<unknown, unknown, { id: number; period: number }>({
      method: "get",
      path: "/v1/ledger/domains/:id/periods/:period",
      summary: "A domain's figures in a period, per issuer, per partner and per agreement",
      tag: TAG,
      auth: "public",
      params: domainPeriodParamsSchema,
      responses: { 200: { description: "the domain's period", schema: ledgerDomainPeriodSchema } },
      async handle(ctx) {
        return { status: 200, body: views.domainPeriod(ctx.params.id, ctx.params.period) };
      },
    }),
    defineRoute<unknown, EventsQuery, { id: number; period: number }>({
      method: "get",
      path: "/v1/ledger/domains/:id/periods/:period/events",
      summary: "A domain's events in a period, in chain order, paged (?after=<block>-<logIndex>&limit=, at most 200)",
      tag: TAG,
      auth: "public",
      params: domainPeriodParamsSchema,
      query: eventsQuerySchema,
      responses: { 200: { description: "a page of events", schema: ledgerEventsPageSchema } },
      async handle(ctx) {
        return { status: 200, body: views.events(ctx.params.id, ctx.params.period, ctx.query) };
      },
    }),
    defineRoute<unknown, PartnerRedemptionsQuery, { address: `0x${string}` }>({
      method: "get",
      path: "/v1/ledger/partners/:address/redemptions",
      summary: "The redemptions a partner received, by block time (?from=&to=, unix seconds), or one order's (?orderRef=)",
      description: "From the relay's ledger index: a redemption listed here is mined on chain, up to `index.block`. The window is [from, to), by default the last 24 hours, at most 31 days.",
      tag: TAG,
      auth: "public",
      params: partnerRedemptionsParamsSchema,
      query: partnerRedemptionsQuerySchema,
      responses: { 200: { description: "the partner's redemptions, oldest first", schema: partnerRedemptionsSchema } },
      async handle(ctx) {
        return { status: 200, body: views.partnerRedemptions(ctx.params.address, ctx.query) };
      },
    }),
    defineRoute<unknown, unknown, { hash: `0x${string}` }>({
      method: "get",
      path: "/v1/ledger/transactions/:hash",
      summary: "A transaction of the ledger or the council, decoded: the call and every event",
      tag: TAG,
      auth: "public",
      params: transactionParamsSchema,
      responses: { 200: { description: "the transaction", schema: decodedTransactionSchema } },
      async handle(ctx) {
        return { status: 200, body: await transactions.decode(ctx.params.hash) };
      },
    }),
  ];
}
