/**
 * A passkey's P-256 public key and what follows from it on chain: its key id and the account it
 * creates. The formulas are the registry's (contracts/PasskeyAccounts.sol: `keyIdOf`, `accountOf`);
 * a test compares them with the contract's.
 */
import { InvalidPasskeyError } from "../../errors/passkey";
import { encodeAbiParameters, getAddress, keccak256, toHex, type Address, type Hex } from "viem";

/** An uncompressed P-256 point, each coordinate as 32 bytes of hex. */
export interface P256PublicKey {
  x: Hex;
  y: Hex;
}

/** The field prime, curve constant b and group order of P-256 (SEC 2, §2.4.2). */
export const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** keccak256("CityPoints.PasskeyAccount"), the registry's ACCOUNT_ID_TAG. */
export const PASSKEY_ACCOUNT_ID_TAG = keccak256(toHex("CityPoints.PasskeyAccount"));

const WORDS = [{ type: "bytes32" }, { type: "bytes32" }] as const;

/** Whether (x, y) is a point of P-256: both coordinates below p and y² = x³ − 3x + b (mod p). */
export function isP256Point(key: P256PublicKey): boolean {
  const x = BigInt(key.x);
  const y = BigInt(key.y);
  if (x >= P256_P || y >= P256_P) return false;
  const p = P256_P;
  const rhs = (((x * x) % p) * x - 3n * x + P256_B) % p;
  return (y * y) % p === (rhs + p) % p;
}

/** The registry's key id of a public key: keccak256(abi.encode(x, y)). */
export function passkeyKeyId(key: P256PublicKey): Hex {
  return keccak256(encodeAbiParameters(WORDS, [key.x, key.y]));
}

/**
 * The account a credential creates when it is registered first: the low 160 bits of
 * keccak256(abi.encode(ACCOUNT_ID_TAG, x, y)). Checksummed.
 */
export function passkeyAccountOf(key: P256PublicKey): Address {
  const hash = keccak256(encodeAbiParameters([{ type: "bytes32" }, ...WORDS], [PASSKEY_ACCOUNT_ID_TAG, key.x, key.y]));
  return getAddress(`0x${hash.slice(26)}`);
}

/** The key from its 65-byte uncompressed SEC 1 encoding (0x04 ‖ x ‖ y). */
export function publicKeyFromUncompressed(point: Uint8Array): P256PublicKey {
  if (point.length !== 65 || point[0] !== 0x04) throw new InvalidPasskeyError("not an uncompressed P-256 point (65 bytes starting 0x04)");
  return { x: toHex(point.slice(1, 33)), y: toHex(point.slice(33, 65)) };
}

/**
 * The key from a SubjectPublicKeyInfo (DER), as `AuthenticatorAttestationResponse.getPublicKey()`
 * returns it: for P-256 the 91-byte structure ends with the uncompressed point.
 */
export function publicKeyFromSpki(spki: Uint8Array): P256PublicKey {
  // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING { 0x00, 0x04 ‖ x ‖ y } }
  const prefix = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00];
  if (spki.length !== prefix.length + 65 || prefix.some((b, i) => spki[i] !== b)) {
    throw new InvalidPasskeyError("not the SubjectPublicKeyInfo of a P-256 key");
  }
  return publicKeyFromUncompressed(spki.slice(prefix.length));
}

/** The key as WebCrypto imports it ("raw": the uncompressed point). */
export function uncompressedPoint(key: P256PublicKey): Uint8Array {
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(hexBytes(key.x, 32), 1);
  out.set(hexBytes(key.y, 32), 33);
  return out;
}

/** Exactly `size` bytes of a hex string (left-padded), or an error. */
export function hexBytes(hex: Hex, size: number): Uint8Array {
  const digits = hex.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length > size * 2) throw new InvalidPasskeyError(`not ${size} bytes of hex`);
  const padded = digits.padStart(size * 2, "0");
  return Uint8Array.from({ length: size }, (_, i) => parseInt(padded.slice(i * 2, i * 2 + 2), 16));
}
