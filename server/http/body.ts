/**
 * Bodies are read raw (the request signature covers the exact bytes), bounded in size (413), and
 * parsed as JSON here so a malformed body is a clear 400, never a parser's stack trace.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../errors";
import { state } from "./context";

export function rawBody(limitBytes: number) {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    read(req, res, (error?: unknown) => {
      if (error) {
        const type = (error as { type?: string }).type;
        if (type === "entity.too.large") return next(new PayloadTooLargeError(`body exceeds ${limitBytes} bytes`, { details: { limit: limitBytes } }));
        return next(new MalformedJsonError("the request body could not be read", { cause: error }));
      }
      state(res).rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      next();
    });
  };
}

/** The JSON body of a write: application/json, an object, well formed. */
export function jsonBody(req: Request, res: Response): unknown {
  const raw = state(res).rawBody;
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError("the body must be JSON (Content-Type: application/json)", { details: { contentType: type || null } });
  }
  if (raw.length === 0) throw new MalformedJsonError("the body is empty; a JSON object is required");
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new MalformedJsonError(`malformed JSON: ${(error as Error).message}`.slice(0, 200), { cause: error });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new MalformedJsonError("the body must be a JSON object");
  return value;
}
