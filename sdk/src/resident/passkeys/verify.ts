/**
 * Verifying a passkey assertion off chain, in the registry's order and with its reasons, so that
 * the relay refuses before journaling what the ledger would refuse, and the auditor checks every
 * signature the chain accepted. The P-256 signature is verified with WebCrypto
 * (`crypto.subtle.verify`), which browsers and Node 20 both provide: no Node built-in is imported.
 */
import { concatBytes, hexToBytes, sha256, type Hex } from "viem";
import { toBase64Url } from "./base64url";
import { authenticatorDataBytes, clientDataBytes, type PasskeyAssertion } from "./assertion";
import { AUTH_FLAGS } from "./authenticatorData";
import { isP256Point, P256_N, uncompressedPoint, type P256PublicKey } from "./publicKey";
import { P256_HALF_N, rawSignature } from "./signature";

/**
 * Why an assertion is refused: the registry's error names for what the chain checks, and
 * `OriginMismatch` / `ClientDataNotJson` / `InvalidPublicKey` for what only an app can check.
 */
export type PasskeyRejection =
  | "PasskeyAccountsAuthenticatorDataTooShort"
  | "PasskeyAccountsUserNotPresent"
  | "PasskeyAccountsUserNotVerified"
  | "PasskeyAccountsInvalidBackupState"
  | "PasskeyAccountsWrongClientDataType"
  | "PasskeyAccountsWrongChallenge"
  | "PasskeyAccountsMalformedSignature"
  | "PasskeyAccountsMalleableSignature"
  | "PasskeyAccountsInvalidSignature"
  | "InvalidPublicKey"
  | "ClientDataNotJson"
  | "OriginMismatch";

export type PasskeyVerification = { valid: true } | { valid: false; reason: PasskeyRejection; message: string };

export interface VerifyPasskeyAssertionParameters {
  /** The challenge the assertion must carry: the intent's or change's EIP-712 digest. */
  challenge: Hex;
  /** The origins the app accepts (e.g. "https://points.city.example"); unchecked when omitted. */
  origins?: readonly string[];
  /** The key to verify against; the assertion's own `publicKey` when omitted. */
  publicKey?: P256PublicKey;
}

const refuse = (reason: PasskeyRejection, message: string): PasskeyVerification => ({ valid: false, reason, message });

/**
 * Checks everything but the signature, synchronously: flags, the client data's type and challenge
 * (at the given offsets and as JSON), the origin if asked, and the signature's form.
 */
export function checkPasskeyAssertion(a: PasskeyAssertion, params: VerifyPasskeyAssertionParameters): PasskeyVerification {
  const authData = authenticatorDataBytes(a);
  if (authData.length < 37) return refuse("PasskeyAccountsAuthenticatorDataTooShort", `the authenticator data has ${authData.length} bytes, fewer than 37`);
  const flags = authData[32];
  if (!(flags & AUTH_FLAGS.userPresent)) return refuse("PasskeyAccountsUserNotPresent", "the authenticator did not report user presence (UP)");
  if (!(flags & AUTH_FLAGS.userVerified)) return refuse("PasskeyAccountsUserNotVerified", "the authenticator did not verify the user (UV: fingerprint, face or PIN)");
  if (flags & AUTH_FLAGS.backedUp && !(flags & AUTH_FLAGS.backupEligible)) {
    return refuse("PasskeyAccountsInvalidBackupState", "the flags say backed up but not backup eligible");
  }

  const json = clientDataBytes(a);
  const expectedChallenge = toBase64Url(hexToBytes(params.challenge));
  if (!bytesAt(json, a.typeIndex, '"type":"webauthn.get"')) {
    return refuse("PasskeyAccountsWrongClientDataType", `the client data has no "type":"webauthn.get" at offset ${a.typeIndex}`);
  }
  if (!bytesAt(json, a.challengeIndex, `"challenge":"${expectedChallenge}"`)) {
    return refuse("PasskeyAccountsWrongChallenge", "the client data's challenge is not this intent's digest");
  }
  let clientData: { type?: unknown; challenge?: unknown; origin?: unknown };
  try {
    clientData = JSON.parse(a.clientDataJSON) as typeof clientData;
  } catch {
    return refuse("ClientDataNotJson", "the client data is not JSON");
  }
  // The offsets could point into a string value; the parsed members must say the same.
  if (clientData.type !== "webauthn.get") return refuse("PasskeyAccountsWrongClientDataType", `the client data's type is ${JSON.stringify(clientData.type)}`);
  if (clientData.challenge !== expectedChallenge) return refuse("PasskeyAccountsWrongChallenge", "the client data's challenge is not this intent's digest");
  if (params.origins && !params.origins.includes(String(clientData.origin))) {
    return refuse("OriginMismatch", `the assertion was made on ${JSON.stringify(clientData.origin)}, not ${params.origins.join(" or ")}`);
  }

  const r = BigInt(a.r);
  const s = BigInt(a.s);
  if (r === 0n || r >= P256_N || s === 0n || s >= P256_N) return refuse("PasskeyAccountsMalformedSignature", "r or s is zero or not below the group order");
  if (s > P256_HALF_N) return refuse("PasskeyAccountsMalleableSignature", "s is in the upper half of the group order (flip it to n − s)");
  if (!isP256Point(params.publicKey ?? a.publicKey)) return refuse("InvalidPublicKey", "the public key is not a point of P-256");
  return { valid: true };
}

/** {@link checkPasskeyAssertion}, then the P-256 signature over authenticatorData ‖ SHA-256(clientDataJSON). */
export async function verifyPasskeyAssertion(a: PasskeyAssertion, params: VerifyPasskeyAssertionParameters): Promise<PasskeyVerification> {
  const checked = checkPasskeyAssertion(a, params);
  if (!checked.valid) return checked;
  // WebCrypto's DOM typings take ArrayBuffer-backed views only: new Uint8Array(...) copies into one.
  const point = new Uint8Array(uncompressedPoint(params.publicKey ?? a.publicKey));
  const key = await crypto.subtle.importKey("raw", point, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const signed = new Uint8Array(concatBytes([authenticatorDataBytes(a), sha256(clientDataBytes(a), "bytes")]));
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, new Uint8Array(rawSignature(BigInt(a.r), BigInt(a.s))), signed);
  return ok ? { valid: true } : refuse("PasskeyAccountsInvalidSignature", "the P-256 signature does not verify for this credential");
}

function bytesAt(haystack: Uint8Array, index: number, text: string): boolean {
  const needle = new TextEncoder().encode(text);
  if (!Number.isInteger(index) || index < 0 || index + needle.length > haystack.length) return false;
  return needle.every((b, i) => haystack[index + i] === b);
}
