/**
 * Signing up and signing in with a passkey. Sign-up creates a phone passkey (SDK createPasskey) and
 * registers it through the relay; its account follows from its public key. Sign-in asks the
 * authenticator for any of its discoverable credentials for this site (no allowCredentials): the
 * answer carries the credential's id and a signature but not its key, and createPasskey's user
 * handle is random, so the key is recovered from the signature (SDK recoverPasskeyPublicKeys) and
 * the candidate whose account lists it as an active credential is the resident's.
 */
import {
  createPasskey,
  passkeyAccountOf,
  passkeyKeyId,
  recoverPasskeyPublicKeys,
  toBase64Url,
  asPublicKeyCredential,
  browserCredentials,
  PasskeyUnavailableError,
  type AssertionResponseLike,
  type P256PublicKey,
} from "@city-points/sdk/resident";
import type { Address } from "viem";
import { followOperation, postJson, residentApi } from "./relay";

/** The signed-in resident, kept in memory only (React state): a reload signs in again. */
export interface ResidentSession {
  account: Address;
  publicKey: P256PublicKey;
  credentialId: string;
}

export const RP_NAME = "City points";

export async function signUp(): Promise<ResidentSession> {
  const passkey = await createPasskey({ rp: { id: window.location.hostname, name: RP_NAME }, kind: "phone" });
  const op = await postJson("/v1/resident/passkeys", { publicKey: passkey.publicKey, credentialId: passkey.credentialId }, `register-${passkey.keyId}`);
  await followOperation(op.id);
  return { account: passkey.account, publicKey: passkey.publicKey, credentialId: passkey.credentialId };
}

/** Thrown when the authenticator's credential is not (or no longer) a registered credential of an account. */
export class UnknownPasskeyError extends Error {
  override readonly name = "UnknownPasskeyError";
}

export async function signIn(): Promise<ResidentSession> {
  const credentials = browserCredentials();
  // The challenge only proves the signature is fresh for the recovery; nothing is authorised by it.
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const credential = asPublicKeyCredential(
    await credentials.get({ publicKey: { challenge, userVerification: "required", allowCredentials: [], rpId: window.location.hostname, timeout: 120_000 } }).catch((error: unknown) => {
      throw new PasskeyUnavailableError(`the passkey sign-in did not complete: ${(error as Error).name}`);
    }),
    "get",
  );
  const response = credential.response as AssertionResponseLike;
  for (const publicKey of recoverPasskeyPublicKeys(response)) {
    const account = passkeyAccountOf(publicKey);
    const state = await residentApi.account(account);
    if (state.credentials.map((k) => k.toLowerCase()).includes(passkeyKeyId(publicKey).toLowerCase())) {
      return { account, publicKey, credentialId: toBase64Url(new Uint8Array(credential.rawId)) };
    }
  }
  throw new UnknownPasskeyError("this passkey is not a registered credential of any account");
}
