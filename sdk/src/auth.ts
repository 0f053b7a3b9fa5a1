/**
 * How an agency signs its requests to the relay, and how the relay signs its webhooks. The relay
 * verifies with the same functions the SDK signs with, so the two cannot drift apart.
 *
 * Request signature, version 2: HMAC-SHA256 keyed by the UTF-8 bytes of the agency's secret
 * string exactly as issued (for `npm start`'s agencies, 64 hex characters used as text, not
 * decoded), over the UTF-8 bytes of these eight lines joined by "\n" (no final newline):
 *   CP-HMAC-SHA256-2
 *   METHOD                    upper case
 *   HOST                      the Host header's value, lower case, with its port when it has one
 *   PATH?QUERY                exactly as sent
 *   TIMESTAMP                 unix seconds, decimal
 *   NONCE
 *   IDEMPOTENCY-KEY           the Idempotency-Key header's value; empty when the request has none
 *   SHA256-HEX(BODY)          lower-case hex of the body's exact bytes (of nothing, for no body)
 * sent as `x-cp-signature: v2=<lower-case hex>` beside the key id, timestamp and nonce headers.
 * docs/relay.md has test vectors. The relay accepts a timestamp within its replay window and each
 * nonce once within it; a retry is signed anew (new timestamp and nonce) but keeps its
 * Idempotency-Key, so a retried write is recognised as the same operation.
 *
 * Version 1 (the same without the first, third and seventh lines, `v1=`) is refused by the relay:
 * its signature could be replayed against another host sharing the secret, and left the
 * Idempotency-Key free to be swapped.
 *
 * Webhook: `X-CP-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const HEADER_KEY_ID = "x-cp-key-id";
export const HEADER_TIMESTAMP = "x-cp-timestamp";
export const HEADER_NONCE = "x-cp-nonce";
export const HEADER_SIGNATURE = "x-cp-signature";
export const HEADER_IDEMPOTENCY_KEY = "idempotency-key";
export const HEADER_WEBHOOK_SIGNATURE = "x-cp-webhook-signature";

/** The first line of every version 2 canonical request. */
export const REQUEST_SIGNATURE_V2 = "CP-HMAC-SHA256-2";

/** Seconds a signed request or webhook stays valid on either side of the receiver's clock. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export interface RequestToSign {
  method: string;
  /** The Host header as sent: "relay.example.city", "127.0.0.1:8080" (compared in lower case). */
  host: string;
  /** Path with its query string, exactly as sent: "/v1/issuances?wait=0". */
  path: string;
  /** The Idempotency-Key header; omitted (or "") when the request has none. */
  idempotencyKey?: string;
  body: string | Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  nonce: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The exact text the version 2 signature is computed over. */
export function canonicalRequest(req: RequestToSign): string {
  return [
    REQUEST_SIGNATURE_V2,
    req.method.toUpperCase(),
    req.host.toLowerCase(),
    req.path,
    String(req.timestamp),
    req.nonce,
    req.idempotencyKey ?? "",
    sha256Hex(req.body),
  ].join("\n");
}

/** The version 2 signature, lower-case hex. */
export function requestSignature(secret: string, req: RequestToSign): string {
  return createHmac("sha256", secret).update(canonicalRequest(req)).digest("hex");
}

/**
 * The headers that authenticate one request: key id, timestamp, nonce, signature and, when the
 * request has one, the Idempotency-Key it covers. A fresh nonce and the current time unless given.
 */
export function signRequest(
  credentials: { keyId: string; secret: string },
  req: Omit<RequestToSign, "timestamp" | "nonce"> & Partial<Pick<RequestToSign, "timestamp" | "nonce">>,
): Record<string, string> {
  const full: RequestToSign = {
    ...req,
    timestamp: req.timestamp ?? Math.floor(Date.now() / 1000),
    nonce: req.nonce ?? randomBytes(16).toString("hex"),
  };
  return {
    [HEADER_KEY_ID]: credentials.keyId,
    [HEADER_TIMESTAMP]: String(full.timestamp),
    [HEADER_NONCE]: full.nonce,
    [HEADER_SIGNATURE]: `v2=${requestSignature(credentials.secret, full)}`,
    ...(full.idempotencyKey ? { [HEADER_IDEMPOTENCY_KEY]: full.idempotencyKey } : {}),
  };
}

/** Constant-time comparison of two hex signatures of any length. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export type RequestSignatureCheck = { ok: true } | { ok: false; reason: "malformed" | "version" | "mismatch" };

/**
 * Checks a request's signature header (not its freshness or nonce; the relay tracks those):
 * "version" for a well-formed signature of a version this side does not accept (v1).
 */
export function checkRequestSignature(secret: string, req: RequestToSign, header: string): RequestSignatureCheck {
  const match = /^v([0-9]+)=([0-9a-f]{64})$/.exec(header);
  if (!match) return { ok: false, reason: "malformed" };
  if (match[1] !== "2") return { ok: false, reason: "version" };
  return signaturesEqual(match[2], requestSignature(secret, req)) ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** Whether a request's signature header is a valid version 2 signature of it. */
export function verifyRequestSignature(secret: string, req: RequestToSign, header: string): boolean {
  return checkRequestSignature(secret, req, header).ok;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The signature header the relay sends with a webhook. */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

export type WebhookVerification = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/** Verifies a webhook's signature header against its raw body and the agency's webhook secret. */
export function verifyWebhook(
  secret: string,
  body: string,
  header: string | undefined,
  options: { toleranceSeconds?: number; now?: number } = {},
): WebhookVerification {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return { ok: false, reason: "malformed" };
  const timestamp = Number(match[1]);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS)) return { ok: false, reason: "stale" };
  if (!signaturesEqual(match[2], webhookSignature(secret, timestamp, body))) return { ok: false, reason: "mismatch" };
  return { ok: true, timestamp };
}
