/**
 * Passkeys over HTTP: a WebAuthn assertion beside an intent (instead of an ECDSA signature), and a
 * credential's registration as the first of its account. Browser-importable: zod and viem only.
 */
import { z } from "zod";
import type { Hex } from "viem";
import type { PasskeyAssertion } from "../resident/passkeys/assertion";
import { bytes32Schema } from "./primitives";

/** WebAuthn allows credential ids of up to 1,023 bytes: 1,364 base64url characters. */
const MAX_CREDENTIAL_ID_CHARS = 1_364;
/** Generous for any browser's client data (a few hundred bytes in practice). */
const MAX_CLIENT_DATA_CHARS = 4_096;
/** Authenticator data with extensions stays well below this. */
const MAX_AUTHENTICATOR_DATA_BYTES = 1_024;

export const p256PublicKeySchema = z
  .strictObject({ x: bytes32Schema, y: bytes32Schema })
  .meta({ id: "P256PublicKey", description: "a credential's P-256 public key (affine coordinates)" });

export const passkeyAssertionSchema = z
  .strictObject({
    publicKey: p256PublicKeySchema,
    authenticatorData: z
      .string()
      .regex(new RegExp(`^0x([0-9a-fA-F]{2}){37,${MAX_AUTHENTICATOR_DATA_BYTES}}$`), "authenticatorData must be 0x + 37 to 1,024 bytes in hex")
      .transform((h) => h.toLowerCase() as Hex),
    clientDataJSON: z.string().min(1).max(MAX_CLIENT_DATA_CHARS).meta({ description: "the client data JSON as the browser serialised it" }),
    challengeIndex: z.number().int().min(0).max(MAX_CLIENT_DATA_CHARS),
    typeIndex: z.number().int().min(0).max(MAX_CLIENT_DATA_CHARS),
    r: bytes32Schema,
    s: bytes32Schema.meta({ description: "in the low half of the P-256 group order" }),
  })
  .meta({ id: "PasskeyAssertion", description: "a WebAuthn assertion whose challenge is the intent's EIP-712 digest (sdk signIntentWithPasskey)" });

export const passkeyRegistrationRequestSchema = z
  .strictObject({
    publicKey: p256PublicKeySchema,
    credentialId: z
      .string()
      .regex(new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CREDENTIAL_ID_CHARS}}$`), "credentialId must be the credential's raw id in base64url (no padding), 1 to 1,023 bytes"),
  })
  .meta({ id: "PasskeyRegistrationRequest" });

export type PasskeyRegistrationRequest = { publicKey: { x: Hex; y: Hex }; credentialId: string };

/** A passkey assertion as the relay takes and journals it (it is JSON already). */
export type WirePasskeyAssertion = PasskeyAssertion;

export const passkeyAccountResponseSchema = z
  .object({
    account: z.string(),
    credentials: z.array(z.string()).meta({ description: "key ids of its active credentials (empty: never registered)" }),
    changeNonce: z.string().meta({ description: "the nonce its next credential change must carry, decimal" }),
    recovery: z
      .object({
        keyId: z.string(),
        publicKey: z.object({ x: z.string(), y: z.string() }),
        proposer: z.string(),
        readyAt: z.number().int().meta({ description: "unix seconds after which anyone may carry it out, unless a credential of the account cancels it first" }),
      })
      .optional()
      .meta({ description: "a replacement credential proposed for the account: show it to the resident" }),
  })
  .meta({ id: "PasskeyAccount" });
