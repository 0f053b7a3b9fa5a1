/**
 * The one error class of the network tooling (profile generator, preflight, deployment): a stable
 * code for scripts and tests, a short message for people, details and the cause.
 */
export type NetworkErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_PLAN"
  | "MISSING_KEY"
  | "WRONG_CHAIN"
  | "OUTPUT_EXISTS"
  | "DEPLOY_REVERTED"
  | "NONCE_TAKEN"
  | "PLAN_CHANGED"
  | "RECORD_MISMATCH"
  | "DEVELOPMENT_KEY"
  | "TIMEOUT";

export class NetworkToolError extends Error {
  override readonly name = "NetworkToolError" as const;
  readonly code: NetworkErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: NetworkErrorCode, message: string, details: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = details;
  }
}
