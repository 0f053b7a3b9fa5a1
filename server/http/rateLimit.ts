/** Rate limits per agency (after authentication) and per client address for public routes: 429 + Retry-After. */
import { rateLimit, ipKeyGenerator } from "express-rate-limit";
import type { NextFunction, Request, Response } from "express";
import { RateLimitedError } from "../errors";
import { state } from "./context";

function limiter(perMinute: number, key: (req: Request, res: Response) => string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req: Request, res: Response, next: NextFunction) => {
      const reset = (_req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new RateLimitedError(`too many requests: at most ${perMinute} per minute`, { retryAfterSeconds: retryAfter, details: { limitPerMinute: perMinute } }));
    },
  });
}

export function agencyRateLimit(perMinute: number) {
  return limiter(perMinute, (_req, res) => `agency:${state(res).agency?.keyId ?? "none"}`);
}

export function publicRateLimit(perMinute: number) {
  return limiter(perMinute, (req) => `ip:${ipKeyGenerator(req.ip ?? "unknown")}`);
}
