/** The one place errors become responses: `{ error: { code, message, details } }`, never a stack trace. */
import type { NextFunction, Request, Response } from "express";
import type { ErrorResponse } from "../../sdk/src/wire/errors";
import { ChainUnreachableError } from "../chain/gateway";
import { ChainUnavailableError, InvalidRequestError, RelayError, PayloadTooLargeError } from "../errors";
import type { Logger } from "../logger";

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    let relayError: RelayError | undefined = error instanceof RelayError ? error : undefined;
    const status = (error as { status?: number; type?: string })?.status;
    if (!relayError && error instanceof ChainUnreachableError) {
      relayError = new ChainUnavailableError("the chain is unreachable; try again shortly", { retryAfterSeconds: 5 });
    } else if (!relayError && (error as { type?: string })?.type === "entity.too.large") relayError = new PayloadTooLargeError("the body is too large");
    else if (!relayError && status && status >= 400 && status < 500) relayError = new InvalidRequestError("the request could not be read (bad encoding in the path or body)");
    if (res.headersSent) {
      res.end();
      return;
    }
    if (relayError) {
      if (relayError.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(relayError.retryAfterSeconds));
      const body: ErrorResponse = {
        error: { code: relayError.code, message: relayError.message, ...(relayError.details !== undefined ? { details: relayError.details } : {}) },
      };
      res.status(relayError.status).json(body);
      return;
    }
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error), method: req.method }, "unexpected error");
    const body: ErrorResponse = { error: { code: "internal", message: "internal error; the request may be retried with the same Idempotency-Key" } };
    res.status(500).json(body);
  };
}
