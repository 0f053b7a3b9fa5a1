/** Agency writes that are one ledger call each: agreements, settlement, partners. */
import { z } from "zod";
import {
  approveAgreementRequestSchema,
  proposeAgreementRequestSchema,
  suspendAgreementRequestSchema,
  type ProposeAgreementRequest,
} from "../../sdk/src/wire/agreements";
import { agreementDomains } from "../../sdk/src/agreementId";
import type { OperationKind } from "../../sdk/src/wire/operations";
import { addressSchema, agreementIdParamSchema, periodParamSchema } from "../../sdk/src/wire/primitives";
import { confirmSettlementRequestSchema } from "../../sdk/src/wire/settlement";
import { setPartnerRequestSchema } from "../../sdk/src/wire/reads";
import type { RelayDeps } from "../deps";
import { ForbiddenError } from "../errors";
import { defineRoute, type HandlerContext } from "../http/route";
import type { Agency } from "../keystore";
import { newOperationId } from "../services/intake";
import { acceptOne, acceptedOne, agencyScope } from "./accept";

/** One ledger call signed by the agency's own key. */
function acceptAgencyCall(
  deps: RelayDeps,
  ctx: HandlerContext<unknown, unknown, unknown>,
  kind: OperationKind,
  domainId: number,
  payload: Record<string, unknown>,
) {
  const agency = ctx.agency!;
  const operation = { id: newOperationId(), kind, agency: agency.name, signer: agency.account.address, domainId, payload };
  return acceptOne(deps, ctx, agencyScope(ctx), async () => operation);
}

function requireSide(agency: Agency, fromDomain: number, toDomain: number): void {
  if (agency.domainId !== fromDomain && agency.domainId !== toDomain) {
    throw new ForbiddenError(`agency ${agency.name} is on neither side of this agreement`, { details: { fromDomain, toDomain } });
  }
}

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
        const b = ctx.body;
        requireSide(ctx.agency!, b.fromDomain, b.toDomain);
        return acceptAgencyCall(deps, ctx, "agreement.propose", ctx.agency!.domainId, { ...b, periodCap: b.periodCap.toString() });
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
        const { fromDomain, toDomain } = agreementDomains(ctx.params.agreementId);
        requireSide(ctx.agency!, fromDomain, toDomain);
        return acceptAgencyCall(deps, ctx, "agreement.approve", ctx.agency!.domainId, { agreementId: ctx.params.agreementId.toString(), version: ctx.body.version });
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
        const { fromDomain, toDomain } = agreementDomains(ctx.params.agreementId);
        requireSide(ctx.agency!, fromDomain, toDomain);
        return acceptAgencyCall(deps, ctx, "agreement.suspend", ctx.agency!.domainId, { agreementId: ctx.params.agreementId.toString(), suspended: ctx.body.suspended });
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
        return acceptAgencyCall(deps, ctx, "settlement.close", ctx.agency!.domainId, { period: ctx.params.period });
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
        const domainId = ctx.agency!.domainId;
        return acceptAgencyCall(deps, ctx, "settlement.confirm", domainId, { period: ctx.params.period, domainId, paymentRef: ctx.body.paymentRef });
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
        const domainId = ctx.agency!.domainId;
        return acceptAgencyCall(deps, ctx, "partner.set", domainId, { domainId, partner: ctx.params.address, allowed: ctx.body.allowed });
      },
    }),
  ];
}
