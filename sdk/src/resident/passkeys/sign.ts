/**
 * Signing with a passkey: `navigator.credentials.get` with the intent's (or credential change's)
 * EIP-712 digest as the challenge, turned into the assertion the relay and the ledger take. The
 * digest is the one an ECDSA signature would sign, so intents, nonces and deadlines are the same
 * for both kinds of account.
 */
import { hashTypedData, hexToBytes, type Address, type Hex } from "viem";
import type { IntentKind, IntentMessages } from "../../eip712";
import { intentTypedData } from "../intents";
import { fromBase64Url } from "./base64url";
import { assertionFromResponse, type PasskeyAssertion } from "./assertion";
import { credentialChangeDigest, type CredentialChangeKind, type CredentialChangeMessages, type PasskeyRegistry } from "./changes";
import type { P256PublicKey } from "./publicKey";
import { asPublicKeyCredential, browserCredentials, type AssertionResponseLike, type CredentialsLike } from "./webauthn";

/** The credential that signs: its public key, and its id when the app knows it. */
export interface PasskeyCredentialRef {
  publicKey: P256PublicKey;
  /** base64url credential id; without it the authenticator offers its discoverable credentials. */
  credentialId?: string;
}

export interface RequestPasskeyAssertionParameters {
  /** 32 bytes the assertion must carry. */
  challenge: Hex;
  credential: PasskeyCredentialRef;
  /** The relying party id the credential was created for; the page's own by default. */
  rpId?: string;
  timeoutMs?: number;
  /** `navigator.credentials` by default. */
  credentials?: CredentialsLike;
}

/** Asks the authenticator to sign `challenge` with user verification; returns the assertion. */
export async function requestPasskeyAssertion(params: RequestPasskeyAssertionParameters): Promise<PasskeyAssertion> {
  const credentials = params.credentials ?? browserCredentials();
  const publicKey: Record<string, unknown> = {
    challenge: hexToBytes(params.challenge),
    userVerification: "required",
    timeout: params.timeoutMs ?? 120_000,
    allowCredentials: params.credential.credentialId ? [{ type: "public-key", id: fromBase64Url(params.credential.credentialId) }] : [],
  };
  if (params.rpId) publicKey.rpId = params.rpId;
  const credential = asPublicKeyCredential(await credentials.get({ publicKey }), "get");
  return assertionFromResponse(params.credential.publicKey, credential.response as AssertionResponseLike);
}

/** The EIP-712 digest of an intent for a ledger deployment: the challenge of its passkey assertion. */
export function intentDigest<K extends IntentKind>(kind: K, message: IntentMessages[K], ledger: { chainId: number | bigint; address: Address }): Hex {
  return hashTypedData(intentTypedData(kind, message, ledger) as never);
}

export interface PasskeySignedIntent<K extends IntentKind> {
  kind: K;
  message: IntentMessages[K];
  digest: Hex;
  /** What the relay takes as `passkey` beside the intent. */
  passkey: PasskeyAssertion;
}

/**
 * Signs an intent of a passkey account: the resident touches the sensor (or taps the card and
 * enters its PIN) and the authenticator signs the intent's digest.
 * @example
 * const intent = buildExchangeIntent({ resident: passkey.account, fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut, nonce });
 * const signed = await signIntentWithPasskey("ExchangeIntent", intent, { chainId, address: ledger }, { credential: passkey });
 * // POST /v1/exchanges { intent: intentToWire(intent), passkey: signed.passkey }
 */
export async function signIntentWithPasskey<K extends IntentKind>(
  kind: K,
  message: IntentMessages[K],
  ledger: { chainId: number | bigint; address: Address },
  params: Omit<RequestPasskeyAssertionParameters, "challenge">,
): Promise<PasskeySignedIntent<K>> {
  const digest = intentDigest(kind, message, ledger);
  return { kind, message, digest, passkey: await requestPasskeyAssertion({ ...params, challenge: digest }) };
}

export interface PasskeySignedChange<K extends CredentialChangeKind> {
  kind: K;
  message: CredentialChangeMessages[K];
  digest: Hex;
  passkey: PasskeyAssertion;
}

/** Signs a credential change (add, revoke, cancel a recovery) with one of the account's credentials. */
export async function signCredentialChangeWithPasskey<K extends CredentialChangeKind>(
  kind: K,
  message: CredentialChangeMessages[K],
  registry: PasskeyRegistry,
  params: Omit<RequestPasskeyAssertionParameters, "challenge">,
): Promise<PasskeySignedChange<K>> {
  const digest = credentialChangeDigest(kind, message, registry);
  return { kind, message, digest, passkey: await requestPasskeyAssertion({ ...params, challenge: digest }) };
}
