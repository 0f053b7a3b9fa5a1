/**
 * Structured JSON logs (pino). Never secrets or personal data: request headers, bodies and resident
 * addresses are not logged; operations are named by their ids. As a last line of defence every
 * line is passed through redactSecrets before it is written, so a URL's credentials or a signed
 * transaction inside an error message cannot reach the log either.
 */
import pino, { type Logger } from "pino";
import { redactSecrets } from "./redact";

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "city-points-relay" },
      redact: { paths: ["secret", "*.secret", "privateKey", "*.privateKey", "headers", "*.headers", "body", "*.body"], censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: redactSecrets },
    },
    destination,
  );
}

export type { Logger };
