/** Builds the Express app: security headers, raw bounded bodies, routes, 404s and the error envelope. */
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { RelayDeps } from "./deps";
import { NotFoundError } from "./errors";
import { agencyAuth } from "./http/agencyAuth";
import { rawBody } from "./http/body";
import { errorHandler } from "./http/errorHandler";
import { openApiDocument } from "./http/openapi";
import { agencyRateLimit, publicRateLimit } from "./http/rateLimit";
import { mountRoutes, type RouteDef } from "./http/route";
import { agencyOperationRoutes } from "./routes/agencyOps";
import { healthRoutes } from "./routes/health";
import { intentRoutes } from "./routes/intents";
import { passkeyRoutes } from "./routes/passkeys";
import { issuanceRoutes } from "./routes/issuances";
import { operationRoutes } from "./routes/operations";
import { readRoutes } from "./routes/reads";

export const API_VERSION = "1.0.0";

export function apiRoutes(deps: RelayDeps): RouteDef[] {
  return [...issuanceRoutes(deps), ...intentRoutes(deps), ...passkeyRoutes(deps), ...agencyOperationRoutes(deps), ...readRoutes(deps), ...operationRoutes(deps)];
}

export function createApp(deps: RelayDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  app.use(helmet());
  app.use(accessLog(deps));
  app.use(rawBody(deps.config.BODY_LIMIT_BYTES));

  const routes = apiRoutes(deps);
  let openApi: Record<string, unknown> | undefined;
  app.use(healthRoutes(deps, () => (openApi ??= openApiDocument(routes, { version: API_VERSION }))));
  app.use(
    mountRoutes(routes, {
      agencyAuth: agencyAuth(deps.keystore, deps.journal.requestNonces, deps.config.REPLAY_WINDOW_SECONDS),
      agencyRateLimit: agencyRateLimit(deps.config.AGENCY_RATE_LIMIT_PER_MINUTE),
      publicRateLimit: publicRateLimit(deps.config.PUBLIC_RATE_LIMIT_PER_MINUTE),
    }),
  );
  app.use((req: Request) => {
    throw new NotFoundError(`no route ${req.method} ${req.path.slice(0, 100)}`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** One log line and metric per request: route pattern (never the URL: it may hold an address), status, duration. */
function accessLog(deps: RelayDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const route = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? "unmatched" : req.path.startsWith("/v1/") ? "v1" : req.path);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      deps.metrics.httpDuration.observe({ method: req.method, route }, seconds);
      if (deps.logger.isLevelEnabled("debug") || res.statusCode >= 500) {
        deps.logger[res.statusCode >= 500 ? "error" : "debug"]({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
      }
    });
    next();
  };
}
