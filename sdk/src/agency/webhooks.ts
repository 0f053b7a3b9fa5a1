/**
 * Receiving the relay's webhooks: check the signature and timestamp over the raw body (before
 * parsing it), then read the event. Deliveries are at least once: dedupe by `event.id`.
 */
import { verifyWebhook, HEADER_WEBHOOK_SIGNATURE, DEFAULT_REPLAY_WINDOW_SECONDS } from "../auth";
import { InvalidWebhookError } from "../errors/relay";
import { operationEventSchema } from "../wire/operations";
import { toOperationEvent, type OperationEvent } from "./types";

export { verifyWebhook, HEADER_WEBHOOK_SIGNATURE };

export interface ParseWebhookParameters {
  /** The agency's webhook secret (not its API secret). */
  secret: string;
  /** The request body exactly as received (bytes as UTF-8 text), before any JSON parsing. */
  body: string;
  /** The `X-CP-Webhook-Signature` header. */
  signature: string | undefined;
  /** Accepted clock difference, 300 s by default. */
  toleranceSeconds?: number;
  /** Unix seconds; now by default. */
  now?: number;
}

const REASONS = {
  malformed: "The webhook carries no well-formed signature header.",
  stale: "The webhook's timestamp is outside the accepted window (a replay, or a clock far off).",
  mismatch: "The webhook's signature does not match its body and the webhook secret.",
} as const;

/**
 * Verifies a webhook and returns its event; throws InvalidWebhookError (reason "malformed",
 * "stale", "mismatch" or "invalid_body") for anything that should be answered 400 and ignored.
 * @example
 * import { createServer } from "node:http";
 * createServer((req, res) => {
 *   let body = "";
 *   req.setEncoding("utf8").on("data", (c) => (body += c)).on("end", () => {
 *     try {
 *       const event = parseWebhook({ secret: process.env.WEBHOOK_SECRET!, body, signature: req.headers["x-cp-webhook-signature"] as string });
 *       console.log(event.id, event.type, event.operation.id);
 *       res.writeHead(204).end();
 *     } catch (error) {
 *       res.writeHead(error instanceof InvalidWebhookError ? 400 : 500).end();
 *     }
 *   });
 * }).listen(9090);
 */
export function parseWebhook(params: ParseWebhookParameters): OperationEvent {
  const verdict = verifyWebhook(params.secret, params.body, params.signature, {
    toleranceSeconds: params.toleranceSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS,
    ...(params.now !== undefined ? { now: params.now } : {}),
  });
  if (!verdict.ok) throw new InvalidWebhookError(verdict.reason, REASONS[verdict.reason]);
  let value: unknown;
  try {
    value = JSON.parse(params.body);
  } catch (error) {
    throw new InvalidWebhookError("invalid_body", "The webhook's body is not JSON.", { cause: error });
  }
  const parsed = operationEventSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidWebhookError("invalid_body", "The webhook's body is not an operation event.", {
      details: { problems: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`) },
    });
  }
  try {
    return toOperationEvent(parsed.data);
  } catch (error) {
    throw new InvalidWebhookError("invalid_body", "The webhook's body holds a malformed number.", { cause: error });
  }
}
