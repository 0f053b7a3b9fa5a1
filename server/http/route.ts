/**
 * Routes are declared once, with their zod schemas: the same declaration mounts the Express handler
 * (auth → rate limit → idempotency key → parse → handle) and produces the OpenAPI document, so the
 * document cannot drift from what is served.
 */
import { Router, type NextFunction, type Request, type Response } from "express";
import type { z } from "zod";
import { HEADER_IDEMPOTENCY_KEY } from "../../sdk/src/auth";
import { MissingIdempotencyKeyError, InvalidRequestError } from "../errors";
import type { Agency } from "../keystore";
import { jsonBody } from "./body";
import { state } from "./context";
import { hasAgencySignature } from "./agencyAuth";
import { parseOrThrow } from "./validate";

export type AuthMode = "agency" | "public" | "optional";

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  agency?: Agency;
  body: B;
  query: Q;
  params: P;
  idempotencyKey: string;
}

export interface RouteDef<B = unknown, Q = unknown, P = unknown> {
  method: "get" | "post" | "put";
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: AuthMode;
  /** Writes need an Idempotency-Key and answer 202 with operation(s). */
  write?: boolean;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Returns the response, or nothing when it wrote the response itself (SSE). */
  handle(ctx: HandlerContext<B, Q, P>): Promise<{ status: number; body: unknown } | void>;
}

export function defineRoute<B, Q, P>(def: RouteDef<B, Q, P>): RouteDef {
  return def as unknown as RouteDef;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * What res.json writes for these answers (the same Content-Type and Content-Length; no ETag, which
 * the app turns off), without Express's content-type lookup and freshness checks on every answer.
 */
function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

export interface RouteMiddleware {
  agencyAuth: (req: Request, res: Response, next: NextFunction) => Promise<void>;
  agencyRateLimit: (req: Request, res: Response, next: NextFunction) => unknown;
  publicRateLimit: (req: Request, res: Response, next: NextFunction) => unknown;
}

export function mountRoutes(defs: RouteDef[], mw: RouteMiddleware): Router {
  const router = Router();
  for (const def of defs) {
    const chain: ((req: Request, res: Response, next: NextFunction) => unknown)[] = [];
    if (def.auth === "agency") chain.push(mw.agencyAuth, mw.agencyRateLimit);
    else if (def.auth === "public") chain.push(mw.publicRateLimit);
    else
      chain.push((req, res, next) => (hasAgencySignature(req) ? mw.agencyAuth(req, res, next) : mw.publicRateLimit(req, res, next)));
    chain.push(async (req: Request, res: Response) => {
      let idempotencyKey = "";
      if (def.write) {
        const key = req.headers[HEADER_IDEMPOTENCY_KEY];
        if (typeof key !== "string" || key.length === 0) {
          throw new MissingIdempotencyKeyError("writes need an Idempotency-Key header", { details: [{ path: `header.${HEADER_IDEMPOTENCY_KEY}`, message: "required" }] });
        }
        if (!IDEMPOTENCY_KEY.test(key)) {
          throw new InvalidRequestError("Idempotency-Key must be 1-128 letters, digits, '_', '.', ':' or '-'", {
            details: [{ path: `header.${HEADER_IDEMPOTENCY_KEY}`, message: "bad format" }],
          });
        }
        idempotencyKey = key;
      }
      const params = def.params ? parseOrThrow(def.params, req.params, "params") : req.params;
      const query = def.query ? parseOrThrow(def.query, { ...req.query }, "query") : {};
      const body = def.body ? parseOrThrow(def.body, jsonBody(req, res), "body") : undefined;
      const result = await def.handle({ req, res, agency: state(res).agency, body, query, params, idempotencyKey });
      if (result) sendJson(res, result.status, result.body);
    });
    router[def.method](def.path, ...(chain as never[]));
  }
  return router;
}
