/**
 * Creating a resident's passkey in the browser (`navigator.credentials.create`) and reading its
 * P-256 public key from the attestation, ready for registration through the relay. Two kinds:
 * the resident's own phone (its platform authenticator: fingerprint or face unlock) and a
 * roaming FIDO2 card or key that the community hands out and that works at any terminal (its PIN
 * is the user verification). Both are discoverable credentials, so a terminal can ask for one
 * without knowing its id.
 */
import { bytesToHex, type Address, type Hex } from "viem";
import { InvalidPasskeyError } from "../../errors/passkey";
import { toBase64Url } from "./base64url";
import { parseAuthenticatorData } from "./authenticatorData";
import { decodeCbor } from "./cbor";
import { isP256Point, passkeyAccountOf, passkeyKeyId, publicKeyFromSpki, type P256PublicKey } from "./publicKey";
import { asPublicKeyCredential, browserCredentials, type AttestationResponseLike, type CredentialsLike } from "./webauthn";

/** ES256: ECDSA on P-256 with SHA-256, the only algorithm the registry verifies (COSE −7). */
export const ES256 = -7;

export type PasskeyKind = "phone" | "card";

export interface PasskeyCreationParameters {
  /** The relying party: the city app's domain (e.g. "points.city.example") and its name. */
  rp: { id: string; name: string };
  /** "phone" (the default): the device's own authenticator; "card": a roaming FIDO2 card or key. */
  kind?: PasskeyKind;
  /**
   * What the authenticator shows in its account list. It stays on the authenticator (never on
   * chain, in the relay or in the browser's storage); a nickname is enough.
   */
  user?: { name: string; displayName?: string };
  timeoutMs?: number;
  /** `navigator.credentials` by default. */
  credentials?: CredentialsLike;
}

/** A new credential, as the app registers it (`POST /v1/resident/passkeys` with its `publicKey` and `credentialId`). */
export interface CreatedPasskey {
  /** The WebAuthn credential id (base64url of rawId). */
  credentialId: string;
  publicKey: P256PublicKey;
  keyId: Hex;
  /** The account the credential creates when registered first. */
  account: Address;
  kind: PasskeyKind;
  /** What the authenticator reported ("internal", "usb", "nfc", "hybrid"...), where the browser tells. */
  transports: string[];
}

function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** The `publicKey` options of `navigator.credentials.create` for a resident's passkey of this kind. */
export function passkeyCreationOptions(params: Omit<PasskeyCreationParameters, "credentials">): Record<string, unknown> {
  const kind = params.kind ?? "phone";
  return {
    rp: { id: params.rp.id, name: params.rp.name },
    // A random handle, not the resident: the registry never sees it and it names nobody.
    user: { id: randomBytes(16), name: params.user?.name ?? "city points", displayName: params.user?.displayName ?? params.user?.name ?? "city points" },
    // The registration is not verified against a challenge (anyone may register a key), but
    // WebAuthn needs one.
    challenge: randomBytes(32),
    pubKeyCredParams: [{ type: "public-key", alg: ES256 }],
    authenticatorSelection: {
      authenticatorAttachment: kind === "phone" ? "platform" : "cross-platform",
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "required",
    },
    hints: [kind === "phone" ? "client-device" : "security-key"],
    attestation: "none",
    timeout: params.timeoutMs ?? 120_000,
    extensions: { credProps: true },
  };
}

/**
 * Asks the authenticator for a new passkey and returns its id, public key and the account it
 * creates. Throws `PasskeyUnavailableError` when WebAuthn is unavailable or the resident
 * cancels, `InvalidPasskeyError` when the authenticator made a key the ledger cannot use.
 * @example
 * const passkey = await createPasskey({ rp: { id: location.hostname, name: "City points" } });
 * await fetch("/v1/resident/passkeys", { method: "POST", headers: { "Content-Type": "application/json",
 *   "Idempotency-Key": `register-${passkey.keyId}` }, body: JSON.stringify({ publicKey: passkey.publicKey, credentialId: passkey.credentialId }) });
 */
export async function createPasskey(params: PasskeyCreationParameters): Promise<CreatedPasskey> {
  const credentials = params.credentials ?? browserCredentials();
  const credential = asPublicKeyCredential(await credentials.create({ publicKey: passkeyCreationOptions(params) }), "create");
  const response = credential.response as AttestationResponseLike;
  const rawId = new Uint8Array(credential.rawId);
  const publicKey = publicKeyOfAttestation(response, rawId);
  return {
    credentialId: toBase64Url(rawId),
    publicKey,
    keyId: passkeyKeyId(publicKey),
    account: passkeyAccountOf(publicKey),
    kind: params.kind ?? "phone",
    transports: response.getTransports?.() ?? [],
  };
}

/**
 * The P-256 key of a registration response: from the COSE key in the authenticator data (the
 * attested credential data), which is in the attestation object whatever the browser; checked
 * against `getPublicKey()` where the browser offers it, and against the credential's raw id.
 */
export function publicKeyOfAttestation(response: AttestationResponseLike, rawId: Uint8Array): P256PublicKey {
  const authData = response.getAuthenticatorData ? new Uint8Array(response.getAuthenticatorData()) : authDataOfAttestationObject(new Uint8Array(response.attestationObject));
  const attested = parseAuthenticatorData(authData).attested;
  if (!attested) throw new InvalidPasskeyError("the registration's authenticator data has no attested credential");
  if (bytesToHex(attested.credentialId) !== bytesToHex(rawId)) throw new InvalidPasskeyError("the attested credential id is not the credential's raw id");
  const spki = response.getPublicKey?.();
  if (spki) {
    const fromSpki = publicKeyFromSpki(new Uint8Array(spki));
    if (fromSpki.x !== attested.publicKey.x || fromSpki.y !== attested.publicKey.y) {
      throw new InvalidPasskeyError("getPublicKey() and the attested COSE key disagree");
    }
  }
  if (!isP256Point(attested.publicKey)) throw new InvalidPasskeyError("the credential's public key is not a point of P-256");
  return attested.publicKey;
}

function authDataOfAttestationObject(attestationObject: Uint8Array): Uint8Array {
  const { value } = decodeCbor(attestationObject);
  const authData = value instanceof Map ? value.get("authData") : undefined;
  if (!(authData instanceof Uint8Array)) throw new InvalidPasskeyError("the attestation object has no authData");
  return authData;
}
