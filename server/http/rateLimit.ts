/**
 * Rate limits per agency (after authentication) and per client address for public routes: 429 +
 * Retry-After. The client address is Express's req.ip: the socket's address, or the one a trusted
 * proxy put in X-Forwarded-For when TRUST_PROXY says which proxies to trust.
 *
 * Counted by the relay's own fixed-window counter (windowLimiter.ts), synchronously, on every
 * request: express-rate-limit's middleware, which this replaced, awaited its store and built its
 * headers each time (its own code alone was 1.4% of the relay's samples in the single-request phase
 * of `npm run bench:relay`). The answers carry the same draft-7 `RateLimit` and `RateLimit-Policy` headers.
 */
import { ipKeyGenerator } from "express-rate-limit";
import type { NextFunction, Request, Response } from "express";
import { RateLimitedError } from "../errors";
import { state } from "./context";
import { WindowLimiter } from "./windowLimiter";

const WINDOW_MS = 60_000;

/** The key a client address is counted under (IPv6 addresses by their /56, as express-rate-limit does). */
export function clientAddressKey(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
}

function limiter(perMinute: number, key: (req: Request, res: Response) => string) {
  const window = new WindowLimiter(perMinute, WINDOW_MS);
  const policy = `${perMinute};w=${WINDOW_MS / 1000}`;
  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = window.take(key(req, res));
    res.setHeader("RateLimit-Policy", policy);
    res.setHeader("RateLimit", `limit=${perMinute}, remaining=${verdict.remaining}, reset=${verdict.retryAfterSeconds}`);
    if (!verdict.allowed) {
      return next(
        new RateLimitedError(`too many requests: at most ${perMinute} per minute`, { retryAfterSeconds: verdict.retryAfterSeconds, details: { limitPerMinute: perMinute } }),
      );
    }
    next();
  };
}

export function agencyRateLimit(perMinute: number) {
  return limiter(perMinute, (_req, res) => `agency:${state(res).agency?.keyId ?? "none"}`);
}

export function publicRateLimit(perMinute: number) {
  return limiter(perMinute, clientAddressKey);
}
