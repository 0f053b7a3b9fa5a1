/**
 * Passkey accounts: registering a resident's credential (no credentials needed: the account is the
 * key's own), and reading an account's credentials and any recovery proposed for it, which the
 * resident's app shows so the resident can cancel one they did not ask for (services/passkeys.ts).
 * Passkey-authorised exchanges and redemptions use the intent routes, with `passkey` instead of `signature`.
 */
import { z } from "zod";
import { addressSchema } from "../../sdk/src/wire/primitives";
import { passkeyAccountResponseSchema, passkeyRegistrationRequestSchema, type PasskeyRegistrationRequest } from "../../sdk/src/wire/passkeys";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";
import { acceptedOne, answerOne, residentWrite } from "./accept";

export function passkeyRoutes(deps: RelayDeps) {
  return [
    defineRoute<PasskeyRegistrationRequest, unknown, unknown>({
      method: "post",
      path: "/v1/resident/passkeys",
      summary: "Register a passkey as the first credential of its account (the account follows from its public key)",
      tag: "residents",
      auth: "public",
      write: true,
      body: passkeyRegistrationRequestSchema as never,
      responses: acceptedOne,
      async handle(ctx) {
        return answerOne(await deps.passkeys.register(residentWrite(ctx, deps.passkeys.accountOf(ctx.body)), ctx.body));
      },
    }),
    defineRoute<unknown, unknown, { address: `0x${string}` }>({
      method: "get",
      path: "/v1/resident/passkeys/:address",
      summary: "A passkey account's active credentials, the nonce of its next credential change, and any pending recovery",
      tag: "residents",
      auth: "public",
      params: z.strictObject({ address: addressSchema }),
      responses: { 200: { description: "the account", schema: passkeyAccountResponseSchema } },
      async handle(ctx) {
        return { status: 200, body: await deps.passkeys.account(ctx.params.address) };
      },
    }),
  ];
}
