/**
 * How an agency signs its requests to the relay, and how the relay signs its webhooks. The relay
 * verifies with the same functions the SDK signs with, so the two cannot drift apart.
 *
 * Request: HMAC-SHA256, keyed by the agency's secret, over
 *   METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n SHA256-HEX(BODY)
 * sent as the headers below. The relay accepts a timestamp within its replay window and each nonce
 * once within that window; a retry is signed anew (new timestamp and nonce) but keeps its
 * Idempotency-Key, so a retried write is recognised as the same operation.
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

/** Seconds a signed request or webhook stays valid on either side of the receiver's clock. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export interface RequestToSign {
  method: string;
  /** Path with its query string, exactly as sent: "/v1/issuances?wait=0". */
  path: string;
  body: string | Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  nonce: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function canonicalRequest(req: RequestToSign): string {
  return [req.method.toUpperCase(), req.path, String(req.timestamp), req.nonce, sha256Hex(req.body)].join("\n");
}

export function requestSignature(secret: string, req: RequestToSign): string {
  return createHmac("sha256", secret).update(canonicalRequest(req)).digest("hex");
}

/** The headers that authenticate one request. A fresh nonce and the current time unless given. */
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
    [HEADER_SIGNATURE]: `v1=${requestSignature(credentials.secret, full)}`,
  };
}

/** Constant-time comparison of two hex signatures of any length. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a request's signature (not its freshness or nonce; the relay tracks those). */
export function verifyRequestSignature(secret: string, req: RequestToSign, header: string): boolean {
  const match = /^v1=([0-9a-f]{64})$/.exec(header);
  return match !== null && signaturesEqual(match[1], requestSignature(secret, req));
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
