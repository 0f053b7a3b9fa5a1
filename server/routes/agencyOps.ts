/**
 * Agency writes that are one ledger call each: agreements, settlement, partners (services/agreements.ts,
 * settlement.ts, partners.ts); and the partner directory, the names agencies give their partners.
 */
import { z } from "zod";
import {
  approveAgreementRequestSchema,
  proposeAgreementRequestSchema,
  suspendAgreementRequestSchema,
  type ProposeAgreementRequest,
} from "../../sdk/src/wire/agreements";
import { addressSchema, agreementIdParamSchema, periodParamSchema } from "../../sdk/src/wire/primitives";
import { confirmSettlementRequestSchema } from "../../sdk/src/wire/settlement";
import { partnerEntryResponseSchema, partnerListQuerySchema, partnerListSchema, partnerNameRequestSchema, type PartnerListQuery } from "../../sdk/src/wire/partners";
import { setPartnerRequestSchema } from "../../sdk/src/wire/reads";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";
import { acceptedOne, agencyWrite, answerOne } from "./accept";

const agreementParams = z.strictObject({ agreementId: agreementIdParamSchema });
type AgreementParams = z.output<typeof agreementParams>;
const periodParams = z.strictObject({ period: periodParamSchema });
type PeriodParams = z.output<typeof periodParams>;
const partnerParams = z.strictObject({ address: addressSchema });

export function agencyOperationRoutes(deps: RelayDeps) {
  return [
    defineRoute<ProposeAgreementRequest, unknown, unknown>({
      method: "post",
      path: "/v1/agreements",
      summary: "Propose an exchange rate between the agency's domain and another (approved by the proposing side)",
      tag: "agencies",
      auth: "agency",
      write: true,
      body: proposeAgreementRequestSchema,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.agreements.propose(ctx.agency!, agencyWrite(ctx), ctx.body));
      },
    }),
    defineRoute<{ version: number }, unknown, AgreementParams>({
      method: "post",
      path: "/v1/agreements/:agreementId/approvals",
      summary: "Approve a pending agreement version (the other side's approval brings it into force)",
      tag: "agencies",
      auth: "agency",
      write: true,
      params: agreementParams,
      body: approveAgreementRequestSchema,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.agreements.approve(ctx.agency!, agencyWrite(ctx), ctx.params.agreementId, ctx.body.version));
      },
    }),
    defineRoute<{ suspended: boolean }, unknown, AgreementParams>({
      method: "post",
      path: "/v1/agreements/:agreementId/suspension",
      summary: "Suspend an agreement, or lift this side's suspension",
      tag: "agencies",
      auth: "agency",
      write: true,
      params: agreementParams,
      body: suspendAgreementRequestSchema,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.agreements.suspend(ctx.agency!, agencyWrite(ctx), ctx.params.agreementId, ctx.body.suspended));
      },
    }),
    defineRoute<unknown, unknown, PeriodParams>({
      method: "post",
      path: "/v1/settlements/:period/close",
      summary: "Close an ended period: net every agreement's obligations and publish the statement",
      tag: "agencies",
      auth: "agency",
      write: true,
      params: periodParams,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.settlement.close(ctx.agency!, agencyWrite(ctx), ctx.params.period));
      },
    }),
    defineRoute<{ paymentRef: `0x${string}` }, unknown, PeriodParams>({
      method: "post",
      path: "/v1/settlements/:period/confirmation",
      summary: "Confirm the agency paid or received its net position for the period",
      tag: "agencies",
      auth: "agency",
      write: true,
      params: periodParams,
      body: confirmSettlementRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.settlement.confirm(ctx.agency!, agencyWrite(ctx), ctx.params.period, ctx.body.paymentRef));
      },
    }),
    defineRoute<{ allowed: boolean }, unknown, { address: `0x${string}` }>({
      method: "put",
      path: "/v1/partners/:address",
      summary: "Register (or remove) a partner where residents of the agency's domain may redeem",
      tag: "agencies",
      auth: "agency",
      write: true,
      params: partnerParams,
      body: setPartnerRequestSchema,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.partners.set(ctx.agency!, agencyWrite(ctx), ctx.params.address, ctx.body.allowed));
      },
    }),
    defineRoute<{ name: string }, unknown, { address: `0x${string}` }>({
      method: "put",
      path: "/v1/partners/:address/name",
      summary: "Give a partner of the agency's domain its display name in the partner directory",
      description: "Refused (409) for an address the ledger does not list as a partner of the agency's domain. Not an operation: stored at once, answered 200.",
      tag: "agencies",
      auth: "agency",
      params: partnerParams,
      body: partnerNameRequestSchema,
      responses: { 200: { description: "the directory entry as stored", schema: partnerEntryResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: { partner: await deps.partners.setName(ctx.agency!, ctx.params.address, ctx.body.name) } };
      },
    }),
    defineRoute<unknown, PartnerListQuery, unknown>({
      method: "get",
      path: "/v1/partners",
      summary: "The partner directory: every named partner, or one domain's (?domain=)",
      tag: "partners",
      auth: "public",
      query: partnerListQuerySchema,
      responses: { 200: { description: "directory entries", schema: partnerListSchema } },
      async handle(ctx) {
        return { status: 200, body: { partners: await deps.partners.list(ctx.query.domain) } };
      },
    }),
    defineRoute<unknown, unknown, { address: `0x${string}` }>({
      method: "get",
      path: "/v1/partners/:address",
      summary: "A partner's directory entries, one per domain that named it",
      tag: "partners",
      auth: "public",
      params: partnerParams,
      responses: { 200: { description: "the partner's entries", schema: partnerListSchema }, 404: { description: "no agency named it" } },
      async handle(ctx) {
        return { status: 200, body: { partners: await deps.partners.entries(ctx.params.address) } };
      },
    }),
  ];
}
