/**
 * base64url without padding (RFC 4648 §5), the encoding WebAuthn uses for challenges in client
 * data and for credential ids in JSON. Written over `btoa`/`atob`, which browsers and Node 16+
 * both have, so no Node built-in is needed.
 */

import { InvalidPasskeyError } from "../../errors/passkey";

/** Bytes → base64url, no padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url (padding optional) → bytes; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new InvalidPasskeyError("not base64url text");
  const base64 = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
