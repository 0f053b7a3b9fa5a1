/** Read routes: public ledger facts, residents' balances and history, and an agency's own statement and quota. */
import { z } from "zod";
import { agreementsResponseSchema } from "../../sdk/src/wire/agreements";
import { addressSchema, periodParamSchema } from "../../sdk/src/wire/primitives";
import {
  balancesResponseSchema,
  domainsResponseSchema,
  historyQuerySchema,
  historyResponseSchema,
  quotaResponseSchema,
  quoteQuerySchema,
  quoteResponseSchema,
  supplyResponseSchema,
} from "../../sdk/src/wire/reads";
import { settlementStatementSchema } from "../../sdk/src/wire/settlement";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";

const residentParams = z.strictObject({ address: addressSchema });
const agreementsQuery = z.strictObject({ all: z.enum(["true", "false"]).optional().meta({ description: "true: every agreement, not only those in force" }) });

export function readRoutes(deps: RelayDeps) {
  const { queries } = deps;
  return [
    defineRoute({
      method: "get",
      path: "/v1/domains",
      summary: "Domains with their agency, policies and supply",
      tag: "public",
      auth: "public",
      responses: { 200: { description: "domains", schema: domainsResponseSchema } },
      async handle() {
        const [domains, currentPeriod, periodSeconds] = await Promise.all([queries.domains(), queries.currentPeriod(), queries.periodSeconds()]);
        return { status: 200, body: { domains, currentPeriod, periodSeconds } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/supply",
      summary: "Points in existence per domain",
      tag: "public",
      auth: "public",
      responses: { 200: { description: "supply per domain", schema: supplyResponseSchema } },
      async handle() {
        const domains = await queries.domains();
        return { status: 200, body: { supply: domains.map((d) => ({ domainId: d.id, supply: d.supply })) } };
      },
    }),
    defineRoute<unknown, { all?: "true" | "false" }, unknown>({
      method: "get",
      path: "/v1/agreements",
      summary: "Agreements in force (or all, with ?all=true)",
      tag: "public",
      auth: "public",
      query: agreementsQuery,
      responses: { 200: { description: "agreements", schema: agreementsResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: { agreements: await queries.agreements(ctx.query.all !== "true") } };
      },
    }),
    defineRoute<unknown, z.output<typeof quoteQuerySchema>, unknown>({
      method: "get",
      path: "/v1/quotes",
      summary: "What an exchange would give now",
      tag: "residents",
      auth: "public",
      query: quoteQuerySchema,
      responses: { 200: { description: "the quote", schema: quoteResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await queries.quote(ctx.query.fromDomain, ctx.query.toDomain, ctx.query.amountIn) };
      },
    }),
    defineRoute<unknown, unknown, { address: `0x${string}` }>({
      method: "get",
      path: "/v1/residents/:address/balances",
      summary: "A resident's balance and next intent nonce in every domain",
      tag: "residents",
      auth: "public",
      params: residentParams,
      responses: { 200: { description: "balances", schema: balancesResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await queries.balances(ctx.params.address) };
      },
    }),
    defineRoute<unknown, z.output<typeof historyQuerySchema>, { address: `0x${string}` }>({
      method: "get",
      path: "/v1/residents/:address/history",
      summary: "A page of a resident's issuances, exchanges, redemptions and transfers, from the chain (follow `next` with ?cursor=)",
      tag: "residents",
      auth: "public",
      params: residentParams,
      query: historyQuerySchema,
      responses: { 200: { description: "history", schema: historyResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await queries.history(ctx.params.address, ctx.query.cursor) };
      },
    }),
    defineRoute<unknown, unknown, { period: number }>({
      method: "get",
      path: "/v1/settlements/:period",
      summary: "The settlement statement of a period (positions once closed)",
      tag: "agencies",
      auth: "agency",
      params: z.strictObject({ period: periodParamSchema }),
      responses: { 200: { description: "statement", schema: settlementStatementSchema } },
      async handle(ctx) {
        return { status: 200, body: await queries.settlement(ctx.params.period) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/quota",
      summary: "The agency's issuer quota and its use this period",
      tag: "agencies",
      auth: "agency",
      responses: { 200: { description: "quota", schema: quotaResponseSchema } },
      async handle(ctx) {
        const agency = ctx.agency!;
        return { status: 200, body: await queries.issuerState(agency.domainId, agency.account.address) };
      },
    }),
  ];
}
