/**
 * The little CBOR (RFC 8949) a WebAuthn registration needs: the attestation object (a map of
 * "fmt", "attStmt", "authData") and the COSE public key inside the authenticator data. Definite
 * lengths only, as WebAuthn's CTAP2 canonical encoding guarantees; maps come back as `Map` so
 * integer keys (COSE labels such as -2) stay integers.
 */

import { InvalidPasskeyError } from "../../errors/passkey";

export type CborValue = number | bigint | Uint8Array | string | boolean | null | undefined | CborValue[] | Map<CborValue, CborValue>;


/** Decodes one CBOR item at `offset`; returns it and where the next item starts. */
export function decodeCbor(bytes: Uint8Array, offset = 0): { value: CborValue; end: number } {
  const at = (i: number) => {
    if (i >= bytes.length) throw new InvalidPasskeyError(`CBOR ends early at byte ${i}`);
    return bytes[i];
  };
  const initial = at(offset);
  const major = initial >> 5;
  const info = initial & 0x1f;
  let pos = offset + 1;

  let argument: bigint;
  if (info < 24) argument = BigInt(info);
  else if (info <= 27) {
    const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes
    argument = 0n;
    for (let i = 0; i < size; i++) argument = (argument << 8n) | BigInt(at(pos + i));
    pos += size;
  } else if (major === 7 && info === 31) throw new InvalidPasskeyError("CBOR break outside an indefinite item");
  else throw new InvalidPasskeyError(`CBOR item at byte ${offset} uses an indefinite or reserved length (${info})`);

  const small = (n: bigint) => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
  const length = () => {
    if (argument > BigInt(bytes.length)) throw new InvalidPasskeyError(`CBOR length ${argument} exceeds the input`);
    return Number(argument);
  };

  switch (major) {
    case 0:
      return { value: small(argument), end: pos };
    case 1:
      return { value: small(-1n - argument), end: pos };
    case 2: {
      const n = length();
      if (pos + n > bytes.length) throw new InvalidPasskeyError("CBOR byte string runs past the end");
      return { value: bytes.slice(pos, pos + n), end: pos + n };
    }
    case 3: {
      const n = length();
      if (pos + n > bytes.length) throw new InvalidPasskeyError("CBOR text string runs past the end");
      return { value: new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos, pos + n)), end: pos + n };
    }
    case 4: {
      const n = length();
      const items: CborValue[] = [];
      for (let i = 0; i < n; i++) {
        const item = decodeCbor(bytes, pos);
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    case 5: {
      const n = length();
      const map = new Map<CborValue, CborValue>();
      for (let i = 0; i < n; i++) {
        const key = decodeCbor(bytes, pos);
        const value = decodeCbor(bytes, key.end);
        map.set(key.value, value.value);
        pos = value.end;
      }
      return { value: map, end: pos };
    }
    case 6:
      return decodeCbor(bytes, pos); // a tag: its content is what WebAuthn needs
    default: {
      const simple: Record<number, CborValue> = { 20: false, 21: true, 22: null, 23: undefined };
      if (info in simple) return { value: simple[info], end: pos };
      throw new InvalidPasskeyError(`CBOR simple value or float at byte ${offset} is not used by WebAuthn`);
    }
  }
}
