/**
 * Reading authenticator data (WebAuthn §6.1): the relying party hash, the flags, the counter and,
 * at registration, the attested credential (its id and COSE public key, §6.5.1).
 */
import { toHex, type Hex } from "viem";
import { InvalidPasskeyError } from "../../errors/passkey";
import { decodeCbor, type CborValue } from "./cbor";
import type { P256PublicKey } from "./publicKey";

/** The flag bits the registry checks (and two more that registration data carries). */
export const AUTH_FLAGS = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attestedData: 0x40, extensions: 0x80 } as const;

export interface AuthenticatorFlags {
  userPresent: boolean;
  userVerified: boolean;
  backupEligible: boolean;
  backedUp: boolean;
  attestedData: boolean;
  extensions: boolean;
}

export interface AuthenticatorData {
  rpIdHash: Hex;
  flagsByte: number;
  flags: AuthenticatorFlags;
  signCount: number;
  /** At registration: the new credential. */
  attested?: { aaguid: Hex; credentialId: Uint8Array; publicKey: P256PublicKey };
}

export function parseFlags(flagsByte: number): AuthenticatorFlags {
  return {
    userPresent: (flagsByte & AUTH_FLAGS.userPresent) !== 0,
    userVerified: (flagsByte & AUTH_FLAGS.userVerified) !== 0,
    backupEligible: (flagsByte & AUTH_FLAGS.backupEligible) !== 0,
    backedUp: (flagsByte & AUTH_FLAGS.backedUp) !== 0,
    attestedData: (flagsByte & AUTH_FLAGS.attestedData) !== 0,
    extensions: (flagsByte & AUTH_FLAGS.extensions) !== 0,
  };
}

export function parseAuthenticatorData(data: Uint8Array): AuthenticatorData {
  if (data.length < 37) throw new InvalidPasskeyError(`authenticator data has ${data.length} bytes; at least 37 are needed`);
  const flagsByte = data[32];
  const flags = parseFlags(flagsByte);
  const signCount = new DataView(data.buffer, data.byteOffset + 33, 4).getUint32(0);
  const result: AuthenticatorData = { rpIdHash: toHex(data.slice(0, 32)), flagsByte, flags, signCount };
  if (!flags.attestedData) return result;

  // aaguid (16) ‖ credentialIdLength (2, big-endian) ‖ credentialId ‖ COSE key (CBOR)
  if (data.length < 55) throw new InvalidPasskeyError("attested credential data is truncated");
  const idLength = (data[53] << 8) | data[54];
  const keyStart = 55 + idLength;
  if (keyStart > data.length) throw new InvalidPasskeyError("the credential id runs past the authenticator data");
  const { value } = decodeCbor(data, keyStart);
  result.attested = { aaguid: toHex(data.slice(37, 53)), credentialId: data.slice(55, keyStart), publicKey: publicKeyFromCose(value) };
  return result;
}

/**
 * The P-256 key of a COSE_Key (RFC 9053 §7.1.1): kty 2 (EC2), alg −7 (ES256), crv 1 (P-256),
 * x at label −2 and y at −3, 32 bytes each. Any other key type is refused: the registry
 * verifies P-256 only.
 */
export function publicKeyFromCose(value: CborValue): P256PublicKey {
  if (!(value instanceof Map)) throw new InvalidPasskeyError("the credential public key is not a COSE map");
  const kty = value.get(1);
  const alg = value.get(3);
  const crv = value.get(-1);
  const x = value.get(-2);
  const y = value.get(-3);
  if (kty !== 2 || crv !== 1 || (alg !== undefined && alg !== -7)) {
    throw new InvalidPasskeyError(`the credential is not a P-256 ES256 key (kty ${String(kty)}, alg ${String(alg)}, crv ${String(crv)})`);
  }
  if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32) {
    throw new InvalidPasskeyError("the COSE key's coordinates are not 32 bytes each");
  }
  return { x: toHex(x), y: toHex(y) };
}
