/**
 * A software WebAuthn authenticator for Node: P-256 keys generated with WebCrypto, and
 * registration and assertion responses built byte for byte as a browser with a CTAP2
 * authenticator builds them (authenticator data per WebAuthn §6.1, the attestation object with
 * "none" attestation in CTAP2 canonical CBOR, client data JSON serialised as Chromium does,
 * DER-encoded signatures with whatever s the signing gives). It offers the `create`/`get` shape of
 * `navigator.credentials`, so the SDK's passkey code runs against it unchanged. Tests and the gas
 * benchmark use it; the browser test uses a real browser's virtual authenticator instead.
 */
import { webcrypto } from "node:crypto";
import { toBase64Url } from "../../sdk/src/resident/passkeys/base64url";
import { P256_N, type P256PublicKey } from "../../sdk/src/resident/passkeys/publicKey";
import type { CredentialsLike } from "../../sdk/src/resident/passkeys/webauthn";
import { bytesToHex, sha256 } from "viem";

const subtle = webcrypto.subtle;

export interface SoftAuthenticatorOptions {
  /** The page's origin, e.g. "https://points.city.example"; the rp id is its host unless given. */
  origin: string;
  rpId?: string;
  /** Report user verification (UV): a phone's fingerprint, a card's PIN. True unless told. */
  userVerified?: boolean;
  /** Report user presence (UP). True unless told. */
  userPresent?: boolean;
  /** Report the credential as backup eligible and backed up (a synced passkey). */
  backedUp?: boolean;
  /** Chromium sometimes appends a member telling relying parties not to compare against a template. */
  extraClientDataMember?: boolean;
}

export interface SoftCredential {
  rawId: Uint8Array;
  /** base64url of the raw id. */
  credentialId: string;
  publicKey: P256PublicKey;
  privateKey: webcrypto.CryptoKey;
  signCount: number;
}

/** The flag bits of authenticator data. */
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export class SoftAuthenticator implements CredentialsLike {
  readonly credentials: SoftCredential[] = [];
  readonly options: Required<Omit<SoftAuthenticatorOptions, "rpId">> & { rpId: string };

  constructor(options: SoftAuthenticatorOptions) {
    this.options = {
      userVerified: true,
      userPresent: true,
      backedUp: false,
      extraClientDataMember: false,
      rpId: options.rpId ?? new URL(options.origin).hostname,
      ...options,
    } as SoftAuthenticator["options"];
  }

  /** `navigator.credentials.create({ publicKey })`: a new P-256 credential, "none" attestation. */
  async create(request: { publicKey: Record<string, unknown> }): Promise<unknown> {
    const options = request.publicKey as { challenge: Uint8Array; rp: { id?: string }; pubKeyCredParams: { alg: number }[] };
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error("NotSupportedError: only ES256 keys");
    const rpId = options.rp.id ?? this.options.rpId;
    const pair = (await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const raw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
    const publicKey = { x: bytesToHex(raw.slice(1, 33)), y: bytesToHex(raw.slice(33, 65)) };
    const rawId = webcrypto.getRandomValues(new Uint8Array(32));
    const credential: SoftCredential = { rawId, credentialId: toBase64Url(rawId), publicKey, privateKey: pair.privateKey, signCount: 0 };
    this.credentials.push(credential);

    const coseKey = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, raw.slice(1, 33)], [-3, raw.slice(33, 65)]]));
    const authData = concat(
      await rpIdHash(rpId),
      [this.flags() | AT],
      u32(credential.signCount),
      new Uint8Array(16), // aaguid: none for "none" attestation
      [rawId.length >> 8, rawId.length & 0xff],
      rawId,
      coseKey,
    );
    const attestationObject = cbor(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    const clientDataJSON = this.clientData("webauthn.create", options.challenge);
    const spki = new Uint8Array(await subtle.exportKey("spki", pair.publicKey));
    return {
      id: credential.credentialId,
      rawId: rawId.buffer,
      type: "public-key",
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: clientDataJSON.buffer,
        attestationObject: attestationObject.buffer,
        getAuthenticatorData: () => authData.buffer,
        getPublicKey: () => spki.buffer,
        getTransports: () => ["internal"],
      },
    };
  }

  /** `navigator.credentials.get({ publicKey })`: an assertion by an allowed (or the first) credential. */
  async get(request: { publicKey: Record<string, unknown> }): Promise<unknown> {
    const options = request.publicKey as { challenge: Uint8Array; rpId?: string; allowCredentials?: { id: Uint8Array }[] };
    const allowed = options.allowCredentials ?? [];
    const credential = allowed.length === 0 ? this.credentials[0] : this.credentials.find((c) => allowed.some((a) => bytesToHex(a.id) === bytesToHex(c.rawId)));
    if (!credential) throw new Error("NotAllowedError: no credential of this authenticator is allowed");
    credential.signCount += 1;
    const authData = concat(await rpIdHash(options.rpId ?? this.options.rpId), [this.flags()], u32(credential.signCount));
    const clientDataJSON = this.clientData("webauthn.get", options.challenge);
    const signature = await signDer(credential.privateKey, concat(authData, sha256(clientDataJSON, "bytes")));
    return {
      id: credential.credentialId,
      rawId: credential.rawId.buffer,
      type: "public-key",
      authenticatorAttachment: "platform",
      response: { clientDataJSON: clientDataJSON.buffer, authenticatorData: authData.buffer, signature: signature.buffer, userHandle: null },
    };
  }

  private flags(): number {
    const o = this.options;
    return (o.userPresent ? UP : 0) | (o.userVerified ? UV : 0) | (o.backedUp ? BE | BS : 0);
  }

  /** Client data JSON in Chromium's member order and spacing (CollectedClientData, WebAuthn §5.8.1.1). */
  private clientData(type: string, challenge: Uint8Array): Uint8Array {
    let json = `{"type":"${type}","challenge":"${toBase64Url(challenge)}","origin":"${this.options.origin}","crossOrigin":false`;
    if (this.options.extraClientDataMember) {
      json += `,"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"`;
    }
    return new TextEncoder().encode(json + "}");
  }
}

/** Signs with ECDSA P-256/SHA-256 and encodes DER, as authenticators return signatures. */
export async function signDer(key: webcrypto.CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  const raw = new Uint8Array(await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, message));
  return derSignature(BigInt(bytesToHex(raw.slice(0, 32))), BigInt(bytesToHex(raw.slice(32, 64))));
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }`, minimal integers (a 0x00 before a high bit). */
export function derSignature(r: bigint, s: bigint): Uint8Array {
  const integer = (v: bigint) => {
    let bytes: Uint8Array = Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    bytes = bytes.slice(start);
    if (bytes[0] & 0x80) bytes = concat([0], bytes);
    return concat([0x02, bytes.length], bytes);
  };
  const body = concat(integer(r), integer(s));
  return concat([0x30, body.length], body);
}

/** The other valid signature of the same bytes: (r, n − s). */
export function flipS(s: bigint): bigint {
  return P256_N - s;
}

async function rpIdHash(rpId: string): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(rpId)));
}

function u32(n: number): Uint8Array {
  return Uint8Array.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let pos = 0;
  for (const a of arrays) {
    out.set(a, pos);
    pos += a.length;
  }
  return out;
}

/** CTAP2 canonical CBOR of the few types a registration holds: ints, byte and text strings, maps. */
function cbor(value: unknown): Uint8Array {
  const head = (major: number, n: number) => {
    if (n < 24) return [(major << 5) | n];
    if (n < 0x100) return [(major << 5) | 24, n];
    if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
    return [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  };
  if (typeof value === "number") return Uint8Array.from(value >= 0 ? head(0, value) : head(1, -1 - value));
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (typeof value === "string") {
    const text = new TextEncoder().encode(value);
    return concat(head(3, text.length), text);
  }
  if (value instanceof Map) {
    const parts: Uint8Array[] = [Uint8Array.from(head(5, value.size))];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return concat(...parts);
  }
  throw new Error(`soft authenticator: no CBOR for ${typeof value}`);
}
