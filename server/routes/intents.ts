/**
 * Residents' intents: redemption submitted by the domain's agency (signed request carrying the
 * resident's signed intent), or by the resident's app; exchange by the resident's app. The resident's
 * EIP-712 signature is the authorisation; the relayer key pays (free gas) and submits
 * (services/intents.ts).
 */
import { exchangeRequestSchema, redeemRequestSchema, type ExchangeRequest, type RedeemRequest } from "../../sdk/src/wire/intents";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";
import { acceptedOne, agencyWrite, answerOne, residentWrite } from "./accept";

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
        return answerOne(await deps.intents.redeem(agencyWrite(ctx), ctx.body, ctx.agency!));
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
        return answerOne(await deps.intents.redeem(residentWrite(ctx, ctx.body.intent.resident), ctx.body));
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
        return answerOne(await deps.intents.exchange(residentWrite(ctx, ctx.body.intent.resident), ctx.body));
      },
    }),
  ];
}
