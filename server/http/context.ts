/** What the middleware learns about a request, for the handlers. */
import type { Request, Response } from "express";
import type { Agency } from "../keystore";

export interface RequestState {
  /** Raw body bytes, exactly as signed. */
  rawBody: Buffer;
  /** The authenticated agency, if the request was signed. */
  agency?: Agency;
}

export function state(res: Response): RequestState {
  return res.locals as RequestState;
}

/** Path with its query string, as the agency signed it. */
export function signedPath(req: Request): string {
  return req.originalUrl;
}
