/**
 * How the agency client talks to the relay: every request signed with sdk/src/auth.ts (a fresh
 * timestamp and nonce per attempt; the relay's host and the Idempotency-Key covered), every write
 * carrying one Idempotency-Key for all its attempts,
 * and retries with backoff where a retry is safe: a network failure, a 5xx, and 429/503 after the
 * Retry-After the relay asked for (bounded: a longer wait is the caller's decision, not ours).
 */
import { randomUUID } from "node:crypto";
import { signRequest } from "../auth";
import { InvalidArgumentError } from "../errors/base";
import { errorResponseSchema } from "../wire/errors";
import { InvalidRelayResponseError, RelayError, RelayUnreachableError, isRelayErrorCode, relayErrorFor, type RelayErrorCode } from "../errors/relay";

export interface RetryOptions {
  /** Retries after the first attempt; 4 by default (0 disables retrying). */
  retries?: number;
  /** First backoff; doubles per retry (with jitter). 200 ms by default. */
  baseDelayMs?: number;
  /** Largest backoff between two attempts. 5,000 ms by default. */
  maxDelayMs?: number;
  /** Longest Retry-After the client waits for on its own; a longer one is thrown to the caller. 30,000 ms by default. */
  maxRetryAfterMs?: number;
}

export interface RetryInfo {
  request: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  /** HTTP status, or undefined for a network failure. */
  status: number | undefined;
  error: unknown;
}

export interface AgencyClientConfig {
  /** The relay's base URL, e.g. "http://127.0.0.1:8080". */
  url: string;
  /** The agency's API key id and secret (from the relay's operator; `npm start` writes them to .data/credentials). */
  keyId: string;
  secret: string;
  retry?: RetryOptions;
  /** Time allowed for each attempt until the response headers arrive. 30,000 ms by default. */
  timeoutMs?: number;
  /** A fetch implementation (the global one by default): a proxy agent, a test double. */
  fetch?: typeof fetch;
  /** Called before each retry (logging, metrics). */
  onRetry?: (info: RetryInfo) => void;
}

export type HttpMethod = "GET" | "POST" | "PUT";

export interface RelayRequest {
  method: HttpMethod;
  /** Path with its query string, exactly as signed: "/v1/quotes?fromDomain=1&toDomain=2&amountIn=5". */
  path: string;
  /** A JSON-ready body (writes). */
  body?: unknown;
  /** Writes: the key that makes every attempt the same request; a fresh one when omitted. */
  idempotencyKey?: string;
  /** Whether the request is a write (needs an Idempotency-Key). POST and PUT are. */
  write?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface RelayTransport {
  readonly url: string;
  readonly keyId: string;
  /** One signed attempt; the raw response (the event stream reads it as it arrives). */
  send(request: RelayRequest): Promise<Response>;
  /** Signed, retried as allowed, the JSON answer of a 2xx; a typed error otherwise. */
  request(request: RelayRequest): Promise<unknown>;
  /** Backoff before retry `attempt` (from 1): exponential with jitter, capped. */
  backoffMs(attempt: number): number;
  readonly retry: Required<RetryOptions>;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export const DEFAULT_RETRY: Required<RetryOptions> = { retries: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A fresh Idempotency-Key (a random UUID). */
export function newIdempotencyKey(): string {
  return randomUUID();
}

export function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidArgumentError("idempotencyKey must be 1-128 letters, digits, '_', '.', ':' or '-'.", { details: { idempotencyKey: key } });
  }
  return key;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

const CODE_BY_STATUS: Record<number, RelayErrorCode> = {
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Turns a non-2xx response into the error class of its code (or a generic RelayError for a foreign answer). */
export async function errorFromResponse(response: Response, request: string): Promise<RelayError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = errorResponseSchema.safeParse(body);
  if (parsed.success && isRelayErrorCode(parsed.data.error.code)) {
    return relayErrorFor(parsed.data.error.code, parsed.data.error.message, parsed.data.error.details, { retryAfterSeconds, request });
  }
  // Not the relay's envelope (a proxy's page, a gateway timeout): keep the status, with the nearest relay code.
  const code = CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? "internal" : "invalid_request");
  return new RelayError(code, response.status, `The relay answered ${response.status} ${response.statusText}`.trim() + ".", undefined, {
    retryAfterSeconds,
    request,
    details: { body: text.slice(0, 200) },
  });
}

export function createRelayTransport(config: AgencyClientConfig): RelayTransport {
  let base: URL;
  try {
    base = new URL(config.url);
  } catch (error) {
    throw new InvalidArgumentError(`url is not a URL: ${config.url}`, { cause: error, details: { url: config.url } });
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new InvalidArgumentError("url must be http(s).", { details: { url: config.url } });
  if (!config.keyId || !config.secret) throw new InvalidArgumentError("keyId and secret are required.");
  const origin = config.url.replace(/\/+$/, "");
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry: Required<RetryOptions> = { ...DEFAULT_RETRY, ...config.retry };
  const credentials = { keyId: config.keyId, secret: config.secret };

  async function send(req: RelayRequest): Promise<Response> {
    const raw = req.body === undefined ? "" : JSON.stringify(req.body);
    // fetch sends the URL's host (with its port unless it is the scheme's default) as the Host header.
    const signed = signRequest(credentials, { method: req.method, host: base.host, path: req.path, idempotencyKey: req.idempotencyKey, body: raw });
    const headers: Record<string, string> = { ...req.headers, ...signed };
    if (raw) headers["content-type"] = "application/json";
    return doFetch(`${origin}${req.path}`, { method: req.method, headers, body: raw || undefined, signal: req.signal });
  }

  function backoffMs(attempt: number): number {
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  async function request(req: RelayRequest): Promise<unknown> {
    const write = req.write ?? req.method !== "GET";
    const idempotencyKey = write ? checkIdempotencyKey(req.idempotencyKey ?? newIdempotencyKey()) : undefined;
    const label = `${req.method} ${req.path.split("?")[0]}`;
    for (let attempt = 1; ; attempt += 1) {
      req.signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      let failure: unknown;
      let status: number | undefined;
      let retryAfterSeconds: number | undefined;
      try {
        const response = await send({ ...req, idempotencyKey, signal });
        if (response.ok) {
          const text = await response.text();
          try {
            return text === "" ? undefined : JSON.parse(text);
          } catch (error) {
            throw new InvalidRelayResponseError(`The answer to ${label} is not JSON.`, { cause: error, details: { status: response.status, body: text.slice(0, 200) } });
          }
        }
        const error = await errorFromResponse(response, label);
        if (!isRetryableStatus(response.status)) throw error;
        failure = error;
        status = response.status;
        retryAfterSeconds = error.retryAfterSeconds;
      } catch (error) {
        if (error instanceof RelayError || error instanceof InvalidRelayResponseError) throw error;
        if (req.signal?.aborted) throw req.signal.reason;
        // A network failure or a timeout: the relay may or may not have the request. The same
        // Idempotency-Key makes the retry the same request either way.
        failure = error;
      }
      if (attempt > retry.retries) {
        if (failure instanceof RelayError) throw failure;
        throw new RelayUnreachableError(`${label} failed after ${attempt} attempt(s): ${(failure as Error)?.message ?? String(failure)}`, {
          cause: failure,
          details: { url: origin, attempts: attempt },
        });
      }
      let delayMs = backoffMs(attempt);
      if (retryAfterSeconds !== undefined) {
        if (retryAfterSeconds * 1000 > retry.maxRetryAfterMs) throw failure;
        delayMs = Math.max(retryAfterSeconds * 1000, 0);
      }
      config.onRetry?.({ request: label, attempt, delayMs, status, error: failure });
      await sleep(delayMs, req.signal);
    }
  }

  return { url: origin, keyId: config.keyId, send, request, backoffMs, retry };
}
