/**
 * Errors of the relay's HTTP API, as the agency client raises them. Every answer the relay gives
 * with `{ error: { code, message, details } }` becomes the class of its code (the codes of
 * sdk/src/wire/errors.ts, kept verbatim in `code`); what happens around the answer (the relay
 * unreachable, a reply that is not the API's, an operation that failed or did not finish in time)
 * has a class of its own.
 */
import { ERROR_CODES, type ErrorCode as RelayErrorCode } from "../wire/errors";
import type { OperationFailure } from "../wire/operations";
import { CityPointsError, type CityPointsErrorOptions, type ErrorDetails } from "./base";

export type { RelayErrorCode, OperationFailure };

export interface RelayErrorOptions extends CityPointsErrorOptions {
  /** Seconds the relay asked to wait before a retry (Retry-After on 429 and 503). */
  retryAfterSeconds?: number;
  /** The request that got the answer, e.g. "POST /v1/issuances". */
  request?: string;
}

/**
 * The relay answered with an error. `code` is the relay's code, `status` the HTTP status and
 * `errorName` the ledger's error where the relay names one (a view that reverted, e.g.
 * `PointsLedgerNoAgreement`).
 */
export class RelayError extends CityPointsError {
  override name: string = "RelayError";
  declare readonly code: RelayErrorCode;
  declare readonly status: number;
  /** The Solidity error the relay reports in `details.error`, when it reports one. */
  readonly errorName: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** The relay's `details` as sent: an object, or a list of `{ path, message }` for invalid requests. */
  readonly relayDetails: unknown;

  constructor(code: RelayErrorCode, status: number, message: string, relayDetails: unknown, options: RelayErrorOptions = {}) {
    const details: ErrorDetails = { ...(options.request ? { request: options.request } : {}), status };
    if (relayDetails !== undefined) details.relay = relayDetails;
    if (options.retryAfterSeconds !== undefined) details.retryAfterSeconds = options.retryAfterSeconds;
    super(code, message, { ...options, status, details: { ...details, ...options.details } });
    this.relayDetails = relayDetails;
    this.retryAfterSeconds = options.retryAfterSeconds;
    const named = relayDetails && typeof relayDetails === "object" && !Array.isArray(relayDetails) ? (relayDetails as { error?: unknown }).error : undefined;
    this.errorName = typeof named === "string" ? named : undefined;
  }

  /** The offending fields of an invalid request, as the relay names them (`body.amount`, `header.idempotency-key`). */
  get fieldIssues(): { path: string; message: string }[] {
    if (!Array.isArray(this.relayDetails)) return [];
    return this.relayDetails.filter(
      (d): d is { path: string; message: string } => typeof d === "object" && d !== null && typeof d.path === "string" && typeof d.message === "string",
    );
  }
}

type RelayErrorClass = new (message: string, relayDetails?: unknown, options?: RelayErrorOptions) => RelayError;

/** 400: a field is wrong; `fieldIssues` names each. */
export class InvalidRequestError extends RelayError {
  override name = "InvalidRequestError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("invalid_request", 400, message, relayDetails, options);
  }
}

/** 400: the body is not a JSON object. */
export class MalformedJsonError extends RelayError {
  override name = "MalformedJsonError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("malformed_json", 400, message, relayDetails, options);
  }
}

/** 400: a write without an Idempotency-Key (the client always sends one). */
export class MissingIdempotencyKeyError extends RelayError {
  override name = "MissingIdempotencyKeyError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("missing_idempotency_key", 400, message, relayDetails, options);
  }
}

/** 401: unknown key id, wrong secret, a clock outside the relay's replay window, or a replayed request. */
export class UnauthenticatedError extends RelayError {
  override name = "UnauthenticatedError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("unauthenticated", 401, message, relayDetails, options);
  }
}

/** 403: another agency's domain, agreement or operation. */
export class ForbiddenError extends RelayError {
  override name = "ForbiddenError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("forbidden", 403, message, relayDetails, options);
  }
}

/** 404: no such operation, agreement or domain (`errorName` says what the ledger reported). */
export class NotFoundError extends RelayError {
  override name = "NotFoundError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("not_found", 404, message, relayDetails, options);
  }
}

/** 409: the Idempotency-Key was used with another request, a claim id or intent nonce is taken, or the ledger refused a read. */
export class ConflictError extends RelayError {
  override name = "ConflictError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("conflict", 409, message, relayDetails, options);
  }
}

/** 413: the body exceeds the relay's limit. */
export class PayloadTooLargeError extends RelayError {
  override name = "PayloadTooLargeError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("payload_too_large", 413, message, relayDetails, options);
  }
}

/** 415: the body was not sent as JSON. */
export class UnsupportedMediaTypeError extends RelayError {
  override name = "UnsupportedMediaTypeError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("unsupported_media_type", 415, message, relayDetails, options);
  }
}

/** 429: too many requests; `retryAfterSeconds` says when to come back. */
export class RateLimitedError extends RelayError {
  override name = "RateLimitedError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("rate_limited", 429, message, relayDetails, options);
  }
}

/** 503: the relay's queue is full; retry with the same Idempotency-Key. */
export class QueueFullError extends RelayError {
  override name = "QueueFullError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("queue_full", 503, message, relayDetails, options);
  }
}

/** 503: the chain is unreachable and the relay refuses writes until it returns. */
export class ChainUnavailableError extends RelayError {
  override name = "ChainUnavailableError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("chain_unavailable", 503, message, relayDetails, options);
  }
}

/** 500: the relay failed; a write may be retried with the same Idempotency-Key. */
export class RelayInternalError extends RelayError {
  override name = "RelayInternalError" as const;
  constructor(message: string, relayDetails?: unknown, options: RelayErrorOptions = {}) {
    super("internal", 500, message, relayDetails, options);
  }
}

const BY_CODE: Record<RelayErrorCode, RelayErrorClass> = {
  invalid_request: InvalidRequestError,
  malformed_json: MalformedJsonError,
  missing_idempotency_key: MissingIdempotencyKeyError,
  unauthenticated: UnauthenticatedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  rate_limited: RateLimitedError,
  queue_full: QueueFullError,
  chain_unavailable: ChainUnavailableError,
  internal: RelayInternalError,
};

export function isRelayErrorCode(code: unknown): code is RelayErrorCode {
  return typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code);
}

/** The class of a relay error code. */
export function relayErrorFor(code: RelayErrorCode, message: string, relayDetails: unknown, options: RelayErrorOptions = {}): RelayError {
  return new BY_CODE[code](message, relayDetails, options);
}

/** The relay could not be reached (connection refused or reset, timeout) even after the retries allowed. */
export class RelayUnreachableError extends CityPointsError {
  override name = "RelayUnreachableError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("RELAY_UNREACHABLE", shortMessage, options);
  }
}

/** The relay (or whatever answered in its place) sent something that is not the API's answer. */
export class InvalidRelayResponseError extends CityPointsError {
  override name = "InvalidRelayResponseError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_RESPONSE", shortMessage, options);
  }
}

/** An operation ended `failed`: it will not take effect. `errorName` is the ledger's error. */
export class OperationFailedError extends CityPointsError {
  override name = "OperationFailedError" as const;
  readonly operationId: string;
  readonly errorName: string | undefined;
  readonly errorArgs: Record<string, string>;
  /** The final operation as the relay reported it. */
  readonly operation: unknown;

  constructor(operation: { id: string; kind: string; error?: OperationFailure }, options: CityPointsErrorOptions = {}) {
    const failure = operation.error;
    super("OPERATION_FAILED", `Operation ${operation.id} (${operation.kind}) failed${failure ? ` with ${failure.name}: ${failure.message}` : ""}.`, {
      ...options,
      details: { operationId: operation.id, kind: operation.kind, ...(failure ? { errorName: failure.name, args: failure.args ?? {} } : {}), ...options.details },
    });
    this.operationId = operation.id;
    this.errorName = failure?.name;
    this.errorArgs = failure?.args ?? {};
    this.operation = operation;
  }
}

/** An operation was not final when the wait ran out; it may still become final later. */
export class OperationTimeoutError extends CityPointsError {
  override name = "OperationTimeoutError" as const;
  readonly operationId: string;
  /** The status last seen ("queued" or "submitted"), if the operation was read at all. */
  readonly lastStatus: string | undefined;

  constructor(operationId: string, timeoutMs: number, lastStatus: string | undefined, options: CityPointsErrorOptions = {}) {
    super("OPERATION_TIMEOUT", `Operation ${operationId} was not final after ${timeoutMs} ms (last status: ${lastStatus ?? "unknown"}).`, {
      ...options,
      details: { operationId, timeoutMs, lastStatus, ...options.details },
    });
    this.operationId = operationId;
    this.lastStatus = lastStatus;
  }
}

/** A webhook whose signature, timestamp or body does not check out: do not act on it. */
export class InvalidWebhookError extends CityPointsError {
  override name = "InvalidWebhookError" as const;
  readonly reason: "malformed" | "stale" | "mismatch" | "invalid_body";
  constructor(reason: InvalidWebhookError["reason"], shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_WEBHOOK", shortMessage, { ...options, details: { reason, ...options.details } });
    this.reason = reason;
  }
}
