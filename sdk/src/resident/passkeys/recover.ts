/**
 * Which P-256 keys could have made a signature: ECDSA public-key recovery. A WebAuthn sign-in with
 * a discoverable credential tells the app the credential's id and a signature, not its public key,
 * and createPasskey's user handle is random, so the key (and from it the account, passkeyAccountOf)
 * is recovered from the signature: at most a few candidates, one per possible point R, which the
 * app tells apart by asking the registry which one is an active credential.
 */
import { concatBytes, sha256 } from "viem";
import { toBytes, type AssertionResponseBytes } from "./assertion";
import { P256_B, P256_N, P256_P, type P256PublicKey } from "./publicKey";
import { parseDerSignature, toWord } from "./signature";

type Point = { x: bigint; y: bigint } | null;

const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function power(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

// Affine addition on y² = x³ − 3x + b: few enough operations per sign-in that clarity wins over speed.
function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P256_P) === 0n) return null;
  const slope = p.x === q.x ? mod((3n * p.x * p.x - 3n) * inverse(2n * p.y, P256_P), P256_P) : mod((q.y - p.y) * inverse(q.x - p.x, P256_P), P256_P);
  const x = mod(slope * slope - p.x - q.x, P256_P);
  return { x, y: mod(slope * (p.x - x) - p.y, P256_P) };
}

function multiply(k: bigint, p: Point): Point {
  let result: Point = null;
  let addend = p;
  for (let e = mod(k, P256_N); e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

/** The points with this x coordinate (none when x is not on the curve). */
function pointsAt(x: bigint): Point[] {
  const rhs = mod(x * x * x - 3n * x + P256_B, P256_P);
  const y = power(rhs, (P256_P + 1n) / 4n, P256_P); // p ≡ 3 (mod 4)
  if ((y * y) % P256_P !== rhs) return [];
  return [{ x, y }, { x, y: mod(-y, P256_P) }];
}

/**
 * The public keys for which `signature` (DER, as the authenticator gives it) is a valid ECDSA
 * P-256 signature of SHA-256(`message`): Q = r⁻¹(sR − eG) for each point R whose x is r (or r + n).
 */
export function recoverP256PublicKeys(message: Uint8Array, signature: Uint8Array): P256PublicKey[] {
  const { r, s } = parseDerSignature(signature);
  if (r <= 0n || r >= P256_N || s <= 0n || s >= P256_N) return [];
  const e = BigInt(sha256(message));
  const rInverse = inverse(r, P256_N);
  const eG = multiply(e, G);
  const minusEG: Point = eG && { x: eG.x, y: mod(-eG.y, P256_P) };
  const xs = r + P256_N < P256_P ? [r, r + P256_N] : [r];
  const keys: P256PublicKey[] = [];
  for (const R of xs.flatMap(pointsAt)) {
    const q = multiply(rInverse, add(multiply(s, R), minusEG));
    if (q) keys.push({ x: toWord(q.x), y: toWord(q.y) });
  }
  return keys;
}

/** The candidate public keys of a `navigator.credentials.get()` response (signed: authenticatorData ‖ SHA-256(clientDataJSON)). */
export function recoverPasskeyPublicKeys(response: AssertionResponseBytes): P256PublicKey[] {
  const signed = concatBytes([toBytes(response.authenticatorData), sha256(toBytes(response.clientDataJSON), "bytes")]);
  return recoverP256PublicKeys(signed, toBytes(response.signature));
}
