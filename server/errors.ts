/**
 * Errors a request can end in. Each has a literal name, an API code, the HTTP status, a short
 * message, details naming what was wrong, and the cause. The error middleware turns them into
 * `{ error: { code, message, details } }`.
 */
import type { ErrorCode } from "../sdk/src/wire/errors";

export abstract class RelayError extends Error {
  abstract override readonly name: string;
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
  readonly details?: unknown;
  /** Seconds a client should wait before retrying (429, 503). */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: { details?: unknown; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class InvalidRequestError extends RelayError {
  override readonly name = "InvalidRequestError" as const;
  readonly code = "invalid_request" as const;
  readonly status = 400;
}

export class MalformedJsonError extends RelayError {
  override readonly name = "MalformedJsonError" as const;
  readonly code = "malformed_json" as const;
  readonly status = 400;
}

export class MissingIdempotencyKeyError extends RelayError {
  override readonly name = "MissingIdempotencyKeyError" as const;
  readonly code = "missing_idempotency_key" as const;
  readonly status = 400;
}

export class UnauthenticatedError extends RelayError {
  override readonly name = "UnauthenticatedError" as const;
  readonly code = "unauthenticated" as const;
  readonly status = 401;
}

export class ForbiddenError extends RelayError {
  override readonly name = "ForbiddenError" as const;
  readonly code = "forbidden" as const;
  readonly status = 403;
}

export class NotFoundError extends RelayError {
  override readonly name = "NotFoundError" as const;
  readonly code = "not_found" as const;
  readonly status = 404;
}

export class ConflictError extends RelayError {
  override readonly name = "ConflictError" as const;
  readonly code = "conflict" as const;
  readonly status = 409;
}

export class PayloadTooLargeError extends RelayError {
  override readonly name = "PayloadTooLargeError" as const;
  readonly code = "payload_too_large" as const;
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends RelayError {
  override readonly name = "UnsupportedMediaTypeError" as const;
  readonly code = "unsupported_media_type" as const;
  readonly status = 415;
}

export class RateLimitedError extends RelayError {
  override readonly name = "RateLimitedError" as const;
  readonly code = "rate_limited" as const;
  readonly status = 429;
}

export class QueueFullError extends RelayError {
  override readonly name = "QueueFullError" as const;
  readonly code = "queue_full" as const;
  readonly status = 503;
}

export class ChainUnavailableError extends RelayError {
  override readonly name = "ChainUnavailableError" as const;
  readonly code = "chain_unavailable" as const;
  readonly status = 503;
}

/** Startup problems: bad configuration, keystore or deployment. Printed, then the process exits. */
export class ConfigError extends Error {
  override readonly name = "ConfigError" as const;
  readonly code = "config_invalid" as const;
  readonly problems: string[];
  constructor(problems: string[], options: { cause?: unknown } = {}) {
    super(`relay configuration is invalid:\n  - ${problems.join("\n  - ")}`, { cause: options.cause });
    this.problems = problems;
  }
}
