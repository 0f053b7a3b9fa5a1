/**
 * Community stations: operations a staff member helps a resident with on a station's shared
 * terminal, each carrying the resident's own passkey assertion and the staff member's stamp
 * (services/stations.ts checks the stamp, the intent and registration services the rest), and
 * reads of a station and of whether an account is its staff. The relay keeps nothing of its own
 * about stations: everything here is read from the stations contract.
 */
import { z } from "zod";
import { addressSchema } from "../../sdk/src/wire/primitives";
import {
  stationEnrolmentRequestSchema,
  stationExchangeRequestSchema,
  stationIdParamSchema,
  stationRedemptionRequestSchema,
  stationResponseSchema,
  stationStaffResponseSchema,
  type StationEnrolmentRequest,
  type StationExchangeRequest,
  type StationRedemptionRequest,
} from "../../sdk/src/wire/stations";
import type { RelayDeps } from "../deps";
import { NotFoundError } from "../errors";
import { defineRoute } from "../http/route";
import type { StationService } from "../services/stations";
import { acceptedOne, answerOne, residentWrite } from "./accept";

type StationParams = { id: number };
const stationParams = z.strictObject({ id: stationIdParamSchema });

export function stationRoutes(deps: RelayDeps) {
  const stations = (): StationService => {
    if (!deps.stations) throw new NotFoundError("this deployment has no community stations contract");
    return deps.stations;
  };
  const at = (id: number, staff: StationRedemptionRequest["staff"]) => ({ stationId: id, staff, stations: stations() });
  return [
    defineRoute<unknown, unknown, StationParams>({
      method: "get",
      path: "/v1/stations/:id",
      summary: "A community station: its name, daily limit of assisted operations, whether it is open, and today's count (from the chain)",
      tag: "stations",
      auth: "public",
      params: stationParams,
      responses: { 200: { description: "the station", schema: stationResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await stations().station(ctx.params.id) };
      },
    }),
    defineRoute<unknown, unknown, StationParams & { account: `0x${string}` }>({
      method: "get",
      path: "/v1/stations/:id/staff/:account",
      summary: "Whether a passkey account is staff of the station now (what the terminal checks after a staff member signs in)",
      tag: "stations",
      auth: "public",
      params: z.strictObject({ id: stationIdParamSchema, account: addressSchema }),
      responses: { 200: { description: "the answer", schema: stationStaffResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await stations().staff(ctx.params.id, ctx.params.account) };
      },
    }),
    defineRoute<StationRedemptionRequest, unknown, StationParams>({
      method: "post",
      path: "/v1/stations/:id/redemptions",
      summary: "Redeem at a partner for a resident at the station: the resident's passkey assertion and the staff member's stamp",
      tag: "stations",
      auth: "public",
      write: true,
      params: stationParams,
      body: stationRedemptionRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        const { intent, passkey, staff } = ctx.body;
        return answerOne(await deps.intents.redeem(residentWrite(ctx, intent.resident), { intent, passkey }, undefined, at(ctx.params.id, staff)));
      },
    }),
    defineRoute<StationExchangeRequest, unknown, StationParams>({
      method: "post",
      path: "/v1/stations/:id/exchanges",
      summary: "Exchange for a resident at the station: the resident's passkey assertion and the staff member's stamp",
      tag: "stations",
      auth: "public",
      write: true,
      params: stationParams,
      body: stationExchangeRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        const { intent, passkey, staff } = ctx.body;
        return answerOne(await deps.intents.exchange(residentWrite(ctx, intent.resident), { intent, passkey }, at(ctx.params.id, staff)));
      },
    }),
    defineRoute<StationEnrolmentRequest, unknown, StationParams>({
      method: "post",
      path: "/v1/stations/:id/enrolments",
      summary: "Enrol a resident's new card at the station: its registration and the staff member's stamp",
      tag: "stations",
      auth: "public",
      write: true,
      params: stationParams,
      body: stationEnrolmentRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        const { staff, ...registration } = ctx.body;
        return answerOne(await deps.passkeys.register(residentWrite(ctx, deps.passkeys.accountOf(registration)), registration, at(ctx.params.id, staff)));
      },
    }),
  ];
}
