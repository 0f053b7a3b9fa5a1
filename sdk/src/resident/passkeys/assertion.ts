/**
 * A passkey assertion as the relay and the ledger take it: the credential's public key, the
 * authenticator data and client data JSON exactly as the authenticator and the browser produced
 * them, where the client data's "type" and "challenge" members start, and the signature as
 * (r, low s). Built from a `navigator.credentials.get()` response by {@link assertionFromResponse},
 * ABI-encoded for the contracts by {@link encodePasskeyAssertion}.
 */
import { bytesToHex, encodeAbiParameters, hexToBytes, type Hex } from "viem";
import { InvalidPasskeyError } from "../../errors/passkey";
import type { P256PublicKey } from "./publicKey";
import { lowS, parseDerSignature, toWord } from "./signature";

export interface PasskeyAssertion {
  /** The signing credential's public key. */
  publicKey: P256PublicKey;
  authenticatorData: Hex;
  /** The client data JSON, byte for byte as the browser serialised it (UTF-8). */
  clientDataJSON: string;
  /** Byte offset of `"challenge":"` in the client data. */
  challengeIndex: number;
  /** Byte offset of `"type":"` in the client data. */
  typeIndex: number;
  r: Hex;
  /** In the low half of the P-256 group order. */
  s: Hex;
}

/** What `AuthenticatorAssertionResponse` gives: buffers, the signature DER-encoded. */
export interface AssertionResponseBytes {
  authenticatorData: ArrayBuffer | Uint8Array;
  clientDataJSON: ArrayBuffer | Uint8Array;
  signature: ArrayBuffer | Uint8Array;
}

const ENCODING = [
  { name: "qx", type: "bytes32" },
  { name: "qy", type: "bytes32" },
  { name: "authenticatorData", type: "bytes" },
  { name: "clientDataJSON", type: "string" },
  { name: "challengeIndex", type: "uint256" },
  { name: "typeIndex", type: "uint256" },
  { name: "r", type: "bytes32" },
  { name: "s", type: "bytes32" },
] as const;

export function toBytes(buffer: ArrayBuffer | Uint8Array): Uint8Array {
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
}

/** Where `"<member>":"` first starts in the client data bytes (−1 if absent). */
export function clientDataIndex(clientData: Uint8Array, member: "type" | "challenge"): number {
  const needle = new TextEncoder().encode(`"${member}":"`);
  outer: for (let i = 0; i + needle.length <= clientData.length; i++) {
    for (let j = 0; j < needle.length; j++) if (clientData[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The assertion of a `navigator.credentials.get()` response by the credential with `publicKey`:
 * the DER signature becomes (r, s) with s flipped to the low half, and the client data's member
 * offsets are found. Throws if the client data has no "type" or "challenge" member.
 */
export function assertionFromResponse(publicKey: P256PublicKey, response: AssertionResponseBytes): PasskeyAssertion {
  const clientData = toBytes(response.clientDataJSON);
  const typeIndex = clientDataIndex(clientData, "type");
  const challengeIndex = clientDataIndex(clientData, "challenge");
  if (typeIndex < 0 || challengeIndex < 0) throw new InvalidPasskeyError('the client data has no "type" or no "challenge" member');
  const { r, s } = lowS(parseDerSignature(toBytes(response.signature)));
  return {
    publicKey,
    authenticatorData: bytesToHex(toBytes(response.authenticatorData)),
    clientDataJSON: new TextDecoder("utf-8", { fatal: true }).decode(clientData),
    challengeIndex,
    typeIndex,
    r: toWord(r),
    s: toWord(s),
  };
}

/**
 * The assertion as the ledger's `...ByPasskey` functions and the registry's credential changes take
 * it: `abi.encode(qx, qy, authenticatorData, clientDataJSON, challengeIndex, typeIndex, r, s)`.
 */
export function encodePasskeyAssertion(a: PasskeyAssertion): Hex {
  return encodeAbiParameters(ENCODING, [
    a.publicKey.x,
    a.publicKey.y,
    a.authenticatorData,
    a.clientDataJSON,
    BigInt(a.challengeIndex),
    BigInt(a.typeIndex),
    a.r,
    a.s,
  ]);
}

/** The client data's bytes (what the authenticator's signature covers, hashed). */
export function clientDataBytes(a: Pick<PasskeyAssertion, "clientDataJSON">): Uint8Array {
  return new TextEncoder().encode(a.clientDataJSON);
}

/** The authenticator data's bytes. */
export function authenticatorDataBytes(a: Pick<PasskeyAssertion, "authenticatorData">): Uint8Array {
  return hexToBytes(a.authenticatorData);
}
