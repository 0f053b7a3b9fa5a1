/**
 * Structured JSON logs (pino). Never secrets or personal data: request headers, bodies and resident
 * addresses are not logged; operations are named by their ids.
 */
import pino, { type Logger } from "pino";

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "city-points-relay" },
      redact: { paths: ["secret", "*.secret", "privateKey", "*.privateKey", "headers", "*.headers", "body", "*.body"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
