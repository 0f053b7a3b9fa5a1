/** Builds the Express app: security headers, raw bounded bodies, routes, the web app, 404s and the error envelope. */
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
import { webApp } from "./http/webApp";
import { agencyOperationRoutes } from "./routes/agencyOps";
import { healthRoutes, metricsRoutes } from "./routes/health";
import { intentRoutes } from "./routes/intents";
import { passkeyRoutes } from "./routes/passkeys";
import { stationRoutes } from "./routes/stations";
import { issuanceRoutes } from "./routes/issuances";
import { ledgerRoutes } from "./routes/ledger";
import { operationRoutes } from "./routes/operations";
import { readRoutes } from "./routes/reads";
import { rpcRoutes } from "./routes/rpc";

export const API_VERSION = "1.0.0";

export function apiRoutes(deps: RelayDeps): RouteDef[] {
  return [...issuanceRoutes(deps), ...intentRoutes(deps), ...passkeyRoutes(deps), ...stationRoutes(deps), ...agencyOperationRoutes(deps), ...readRoutes(deps), ...ledgerRoutes(deps), ...operationRoutes(deps)];
}

/**
 * The web app runs only its own scripts and styles, talks only to this relay, and cannot be framed.
 * Not helmet's defaults: their upgrade-insecure-requests would break the app served over plain HTTP
 * on a city network address, and they allow inline styles from anywhere.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function createApp(deps: RelayDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  // Which X-Forwarded-For hops to believe for req.ip (the rate limits' client address) and X-Forwarded-Host.
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } }));
  app.use(accessLog(deps));
  // JSON-RPC reads its own bounded body, before the API's.
  app.use(rpcRoutes({ config: deps.config, chain: deps.rpcChain, metrics: deps.metrics }));
  app.use(rawBody(deps.config.BODY_LIMIT_BYTES));

  const routes = apiRoutes(deps);
  let openApi: Record<string, unknown> | undefined;
  app.use(healthRoutes(deps, () => (openApi ??= openApiDocument(routes, { version: API_VERSION }))));
  if (deps.config.METRICS_PORT === "main") app.use(metricsRoutes(deps));
  app.use(
    mountRoutes(routes, {
      agencyAuth: agencyAuth(deps.keystore, deps.journal.requestNonces, deps.config.REPLAY_WINDOW_SECONDS),
      agencyRateLimit: agencyRateLimit(deps.config.AGENCY_RATE_LIMIT_PER_MINUTE),
      publicRateLimit: publicRateLimit(deps.config.PUBLIC_RATE_LIMIT_PER_MINUTE),
    }),
  );
  app.use(webApp(deps.config.WEB_DIR));
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
