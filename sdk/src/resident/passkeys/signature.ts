/**
 * P-256 signatures as WebAuthn hands them over and as the registry takes them. An authenticator
 * returns an ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` with any s; the registry takes r and s
 * as 32-byte words with s in the low half of the group order (the other half would make a second
 * valid signature of the same bytes). Flipping s to n − s keeps the signature valid.
 */
import { numberToHex, type Hex } from "viem";
import { InvalidPasskeyError } from "../../errors/passkey";
import { P256_N } from "./publicKey";

export const P256_HALF_N = P256_N / 2n;

/** r and s of a DER-encoded ECDSA signature. */
export function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint } {
  let pos = 0;
  const byte = () => {
    if (pos >= der.length) throw new InvalidPasskeyError("DER signature ends early");
    return der[pos++];
  };
  const integer = () => {
    if (byte() !== 0x02) throw new InvalidPasskeyError("DER signature: expected an INTEGER");
    const length = byte();
    if (length === 0 || length > 33 || pos + length > der.length) throw new InvalidPasskeyError("DER signature: bad INTEGER length");
    let value = 0n;
    for (let i = 0; i < length; i++) value = (value << 8n) | BigInt(der[pos + i]);
    pos += length;
    return value;
  };
  if (byte() !== 0x30) throw new InvalidPasskeyError("DER signature: expected a SEQUENCE");
  const length = byte();
  if (length !== der.length - 2) throw new InvalidPasskeyError("DER signature: the SEQUENCE length does not match");
  const r = integer();
  const s = integer();
  if (pos !== der.length) throw new InvalidPasskeyError("DER signature: trailing bytes");
  return { r, s };
}

/** The same signature with s in the low half (the registry's rule). */
export function lowS(signature: { r: bigint; s: bigint }): { r: bigint; s: bigint } {
  return signature.s > P256_HALF_N ? { r: signature.r, s: P256_N - signature.s } : signature;
}

/** r ‖ s, 32 bytes each: the form WebCrypto's ECDSA verify takes (IEEE P1363). */
export function rawSignature(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(wordBytes(r), 0);
  out.set(wordBytes(s), 32);
  return out;
}

export function toWord(value: bigint): Hex {
  return numberToHex(value, { size: 32 });
}

function wordBytes(value: bigint): Uint8Array {
  const hex = value.toString(16).padStart(64, "0");
  if (hex.length > 64) throw new InvalidPasskeyError("signature value above 256 bits");
  return Uint8Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}
