/**
 * The part of the browser's Credential Management API the SDK uses, typed structurally so the SDK
 * needs no DOM library: `navigator.credentials` fits it, and so does a software authenticator in
 * tests (scripts/lib/softAuthenticator.ts).
 */
import { PasskeyUnavailableError } from "../../errors/passkey";

export interface PublicKeyCredentialLike {
  /** base64url of `rawId`. */
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment?: string | null;
  response: AttestationResponseLike | AssertionResponseLike;
}

export interface AttestationResponseLike {
  clientDataJSON: ArrayBuffer;
  attestationObject: ArrayBuffer;
  getAuthenticatorData?(): ArrayBuffer;
  getPublicKey?(): ArrayBuffer | null;
  getTransports?(): string[];
}

export interface AssertionResponseLike {
  clientDataJSON: ArrayBuffer;
  authenticatorData: ArrayBuffer;
  signature: ArrayBuffer;
  userHandle?: ArrayBuffer | null;
}

export interface CredentialsLike {
  create(options: { publicKey: Record<string, unknown>; signal?: unknown }): Promise<unknown>;
  get(options: { publicKey: Record<string, unknown>; mediation?: string; signal?: unknown }): Promise<unknown>;
}

/** `navigator.credentials`, or an error saying WebAuthn is not available here. */
export function browserCredentials(): CredentialsLike {
  const nav = (globalThis as unknown as { navigator?: { credentials?: CredentialsLike } }).navigator;
  if (!nav?.credentials?.create || !nav.credentials.get) {
    throw new PasskeyUnavailableError("WebAuthn is not available here: pass `credentials` (navigator.credentials in a secure context, or a test authenticator)");
  }
  return nav.credentials;
}

export function asPublicKeyCredential(value: unknown, ceremony: "create" | "get"): PublicKeyCredentialLike {
  const credential = value as PublicKeyCredentialLike | null;
  if (!credential || credential.type !== "public-key" || !credential.response) {
    throw new PasskeyUnavailableError(`navigator.credentials.${ceremony}() gave no public-key credential (cancelled, or no authenticator)`);
  }
  return credential;
}
