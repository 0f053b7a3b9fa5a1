/**
 * Residents' intents: redemption submitted by the domain's agency (signed request carrying the
 * resident's signed intent), or by the resident's app; exchange by the resident's app. The resident's
 * EIP-712 signature is the authorisation; the relayer key pays (free gas) and submits.
 */
import { exchangeRequestSchema, intentToWire, redeemRequestSchema, type ExchangeRequest, type RedeemRequest } from "../../sdk/src/wire/intents";
import type { RelayDeps } from "../deps";
import { ForbiddenError } from "../errors";
import { defineRoute } from "../http/route";
import { newOperationId } from "../services/intake";
import type { NewOperation } from "../store/journal";
import { acceptOne, acceptedOne, agencyScope, residentScope } from "./accept";

function intentOperation(
  deps: RelayDeps,
  kind: "redeem" | "exchange",
  request: RedeemRequest | ExchangeRequest,
  domainId: number,
  agency?: string,
): NewOperation {
  return {
    id: newOperationId(),
    kind,
    agency,
    signer: deps.keystore.relayer.address,
    domainId,
    intent: { resident: request.intent.resident, domainId, nonce: request.intent.nonce },
    payload: { intent: intentToWire(request.intent), signature: request.signature },
  };
}

export function intentRoutes(deps: RelayDeps) {
  return [
    defineRoute<RedeemRequest, unknown, unknown>({
      method: "post",
      path: "/v1/redemptions",
      summary: "Redeem a resident's points at a partner of the agency's domain (the resident's signed intent)",
      tag: "agencies",
      auth: "agency",
      write: true,
      body: redeemRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        const agency = ctx.agency!;
        if (ctx.body.intent.domainId !== agency.domainId) {
          throw new ForbiddenError(`agency ${agency.name} redeems only in domain ${agency.domainId}`, { details: { domainId: ctx.body.intent.domainId } });
        }
        return acceptOne(deps, ctx, agencyScope(ctx), async () => {
          await deps.verifier.checkRedeem(ctx.body.intent, ctx.body.signature);
          return intentOperation(deps, "redeem", ctx.body, ctx.body.intent.domainId, agency.name);
        });
      },
    }),
    defineRoute<RedeemRequest, unknown, unknown>({
      method: "post",
      path: "/v1/resident/redemptions",
      summary: "Submit a resident's signed redemption intent (no credentials: the signature authorises)",
      tag: "residents",
      auth: "public",
      write: true,
      body: redeemRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        return acceptOne(deps, ctx, residentScope(ctx.body.intent.resident), async () => {
          await deps.verifier.checkRedeem(ctx.body.intent, ctx.body.signature);
          return intentOperation(deps, "redeem", ctx.body, ctx.body.intent.domainId);
        });
      },
    }),
    defineRoute<ExchangeRequest, unknown, unknown>({
      method: "post",
      path: "/v1/exchanges",
      summary: "Submit a resident's signed exchange intent (no credentials: the signature authorises)",
      tag: "residents",
      auth: "public",
      write: true,
      body: exchangeRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        return acceptOne(deps, ctx, residentScope(ctx.body.intent.resident), async () => {
          await deps.verifier.checkExchange(ctx.body.intent, ctx.body.signature);
          return intentOperation(deps, "exchange", ctx.body, ctx.body.intent.fromDomain);
        });
      },
    }),
  ];
}
