/**
 * The SDK's error base, shaped like viem's `BaseError`: a literal `name` per class, a stable `code`
 * (the same vocabulary the relay answers with in `{ error: { code, message, details } }`), a short
 * message, structured details and the `cause`. Subclasses only fix the name and the code.
 */

/** Codes raised inside the SDK. Errors the relay answered with keep the relay's own code (sdk/src/wire/errors.ts). */
export const SDK_ERROR_CODES = [
  "INVALID_INTENT",
  "INVALID_SIGNATURE",
  "UNSUPPORTED_SIGNER",
  "PASSKEY_UNAVAILABLE",
  "INVALID_PASSKEY",
  "CONTRACT_REVERT",
  "RPC_ERROR",
  "RPC_UNAVAILABLE",
  "RPC_RESPONSE_TOO_LARGE",
  "INVALID_DEPLOYMENT",
  "CHAIN_MISMATCH",
  "INVALID_ARGUMENT",
  "RELAY_UNREACHABLE",
  "INVALID_RESPONSE",
  "OPERATION_FAILED",
  "OPERATION_TIMEOUT",
  "INVALID_WEBHOOK",
] as const;

export type SdkErrorCode = (typeof SDK_ERROR_CODES)[number];
/** A known code, or one the relay defines (kept open so relay codes need no SDK release). */
export type ErrorCode = SdkErrorCode | (string & {});

export type ErrorDetails = Record<string, unknown>;

export interface CityPointsErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
  /** HTTP status when the error came from (or maps to) a relay response. */
  status?: number;
}

export class CityPointsError extends Error {
  override name = "CityPointsError";
  readonly code: ErrorCode;
  /** The message without the details appended. */
  readonly shortMessage: string;
  readonly details: ErrorDetails;
  readonly status?: number;

  constructor(code: ErrorCode, shortMessage: string, options: CityPointsErrorOptions = {}) {
    super(composeMessage(shortMessage, options.details), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details ?? {};
    if (options.status !== undefined) this.status = options.status;
  }

  /** The innermost cause, or the first error in the cause chain that `match` accepts. */
  walk(match?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    for (;;) {
      if (match?.(current)) return current;
      const next = typeof current === "object" && current !== null && "cause" in current ? (current as { cause?: unknown }).cause : undefined;
      if (next === undefined) return match ? null : current;
      current = next;
    }
  }

  /** The shape the relay uses on the wire: `{ code, message, details }`, bigints as strings. */
  toJSON(): { name: string; code: string; message: string; details: ErrorDetails } {
    return { name: this.name, code: this.code, message: this.shortMessage, details: jsonSafe(this.details) as ErrorDetails };
  }
}

function composeMessage(shortMessage: string, details: ErrorDetails | undefined): string {
  if (!details || Object.keys(details).length === 0) return shortMessage;
  const lines = Object.entries(details).map(([key, value]) => `  ${key}: ${formatValue(value)}`);
  return `${shortMessage}\n\nDetails:\n${lines.join("\n")}`;
}

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(jsonSafe(value));
  } catch {
    return String(value);
  }
}

/** Bigints become decimal strings, so details survive JSON. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

export class InvalidArgumentError extends CityPointsError {
  override name = "InvalidArgumentError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_ARGUMENT", shortMessage, options);
  }
}
