/** The error envelope every 4xx/5xx response carries, and the codes the relay uses. */
import { z } from "zod";

export const ERROR_CODES = [
  "invalid_request", // 400: a field is wrong; details name it
  "malformed_json", // 400
  "missing_idempotency_key", // 400
  "unauthenticated", // 401: missing, unknown, stale, replayed or wrong request signature
  "forbidden", // 403: another agency's domain or signer
  "not_found", // 404
  "conflict", // 409: idempotency key reused with another body; claim id or intent nonce already taken
  "payload_too_large", // 413
  "unsupported_media_type", // 415
  "rate_limited", // 429 (Retry-After)
  "queue_full", // 503 (Retry-After)
  "chain_unavailable", // 503 (Retry-After), when configured to refuse writes while the chain is down
  "internal", // 500: never for user input
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "ErrorResponse", description: "every error response; details name the offending field(s)" });

export type ErrorResponse = z.output<typeof errorResponseSchema>;

/** Shape of `details` for invalid_request: one entry per problem. */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
