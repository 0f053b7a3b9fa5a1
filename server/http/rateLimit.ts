/**
 * Rate limits per agency (after authentication) and per client address for public routes: 429 +
 * Retry-After. The client address is Express's req.ip: the socket's address, or the one a trusted
 * proxy put in X-Forwarded-For when TRUST_PROXY says which proxies to trust.
 */
import { rateLimit, ipKeyGenerator } from "express-rate-limit";
import type { NextFunction, Request, Response } from "express";
import { RateLimitedError } from "../errors";
import { state } from "./context";

/** The key a client address is counted under (IPv6 addresses by their /56, as express-rate-limit does). */
export function clientAddressKey(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
}

function limiter(perMinute: number, key: (req: Request, res: Response) => string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: key,
    // Its warnings about X-Forwarded-For without a trusted proxy would bypass the JSON log; the
    // header is simply not believed then (docs/relay.md, TRUST_PROXY).
    validate: { xForwardedForHeader: false, forwardedHeader: false },
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
  return limiter(perMinute, clientAddressKey);
}
